"""Compiled phrase matching: every section of a pack in one pass over a message's tokens.

Phrases are indexed by the keys of their first word, so the cost per token is a dict
look-up, not a loop over all phrases. Keys are accent-folded surface forms and lemmas, so
'objednávku', 'objednavku' and 'objednávka' meet.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

import regex

from .lemmatize import lemma
from .pack import LanguagePack
from .text import Token, normalise, strip_accents, tokenize

log = logging.getLogger(__name__)

GAP = "..."
EXACT = "="
MAX_GAP = 3
REGEX_TIMEOUT_S = 0.25
SENTIMENT_PREFIX = "sentiment."
MAX_CACHED_WORDS = 500_000


@dataclass(frozen=True, slots=True)
class Hit:
    section: str
    start: int
    end: int
    source: str  # the phrase or pattern that matched, for --explain
    first_token: int = -1


@dataclass(frozen=True, slots=True)
class _Word:
    keys: frozenset[str]
    prefix: str | None


@dataclass(frozen=True, slots=True, eq=False)
class _Phrase:
    section: str
    source: str
    words: tuple[_Word | None, ...]  # None marks a gap
    required: tuple[frozenset[str], ...] = ()  # keys of the exact words after the first


class CompiledPack:
    """A language pack turned into look-up tables; built once per process."""

    def __init__(self, pack: LanguagePack) -> None:
        self.pack = pack
        self.language = pack.language
        self._fold_table = str.maketrans(pack.fold) if pack.fold else None
        self._exact: dict[str, list[_Phrase]] = defaultdict(list)
        self._prefix: dict[str, list[_Phrase]] = defaultdict(list)
        self._patterns: dict[str, regex.Pattern[str]] = {}
        self._keys: dict[str, tuple[str, str]] = {}
        for section, group in pack.sections.items():
            for phrase in group.phrases:
                self._add(section, phrase)
            if group.patterns:
                joined = "|".join(f"(?:{_anchored(p)})" for p in group.patterns)
                self._patterns[section] = regex.compile(joined, regex.IGNORECASE | regex.UNICODE)
        lexicon = pack.sentiment
        for name in ("positive", "negative", "negators", "intensifiers"):
            for phrase in getattr(lexicon, name):
                self._add(SENTIMENT_PREFIX + name, phrase)

    # -- keys ---------------------------------------------------------------------------
    def fold(self, word: str) -> str:
        if self._fold_table is not None:
            word = word.translate(self._fold_table)
        return strip_accents(word)

    def token_keys(self, token: Token) -> tuple[str, str]:
        """(folded surface, folded lemma) of a token in this language; cached per word."""
        keys = self._keys.get(token.norm)
        if keys is None:
            base = lemma(token.norm, self.language, self.pack.lemmatizer,
                         self.pack.negation_prefix)
            keys = (self.fold(token.norm), self.fold(base))
            if len(self._keys) < MAX_CACHED_WORDS:
                self._keys[token.norm] = keys
        return keys

    def _word(self, raw: str) -> _Word:
        if raw.startswith(EXACT) and len(raw) > 1:  # '=tudom': this form only, not its lemma
            return _Word(frozenset({self.fold(normalise(raw[1:]))}), None)
        if raw.endswith("*"):
            return _Word(frozenset(), self.fold(normalise(raw.rstrip("*"))))
        tokens = tokenize(raw)
        if len(tokens) != 1:
            return _Word(frozenset({self.fold(normalise(raw))}), None)
        return _Word(frozenset(self.token_keys(tokens[0])), None)

    def _add(self, section: str, phrase: str) -> None:
        words = tuple(None if raw == GAP else self._word(raw) for raw in phrase.split())
        if not words or words[0] is None:
            return
        required = tuple(w.keys for w in words[1:] if w is not None and w.prefix is None)
        compiled = _Phrase(section, phrase, words, required)
        first = words[0]
        if first.prefix is not None:
            self._prefix[first.prefix[:3]].append(compiled)
        for key in first.keys:
            self._exact[key].append(compiled)

    # -- matching -----------------------------------------------------------------------
    def find(self, text: str, tokens: tuple[Token, ...]) -> list[Hit]:
        """All phrase and pattern hits of every section in one message.

        Candidates are gathered once per message, and a phrase whose other words do not
        occur in the message at all is dropped before any position-by-position check:
        common first words ("вы", "the") start dozens of phrases."""
        keys = [self.token_keys(t) for t in tokens]
        where: dict[str, list[int]] = defaultdict(list)
        for i, pair in enumerate(keys):
            for key in set(pair):
                where[key].append(i)
        hits: list[Hit] = []
        for phrase, starts in self._candidates(keys, where).items():
            if not _other_words_present(phrase, where):
                continue
            for i in sorted(starts):
                end = _match_from(phrase.words, keys, i)
                if end is not None:
                    hits.append(Hit(phrase.section, tokens[i].start, tokens[end].end,
                                    phrase.source, i))
        for section, pattern in self._patterns.items():
            hits.extend(self._pattern_hits(section, pattern, text))
        return hits

    def _candidates(self, keys: list[tuple[str, str]],
                    where: dict[str, list[int]]) -> dict[_Phrase, set[int]]:
        """Phrases whose first word occurs in the message, with the positions it occurs at."""
        found: dict[_Phrase, set[int]] = defaultdict(set)
        for key, positions in where.items():
            for phrase in self._exact.get(key, ()):
                found[phrase].update(positions)
        for i, pair in enumerate(keys):
            for stem in {pair[0][:3], pair[1][:3]}:
                for phrase in self._prefix.get(stem, ()):
                    if _word_matches(phrase.words[0], pair):  # type: ignore[arg-type]
                        found[phrase].add(i)
        return found

    @staticmethod
    def _pattern_hits(section: str, pattern: regex.Pattern[str], text: str) -> list[Hit]:
        try:
            return [Hit(section, m.start(), m.end(), pattern.pattern)
                    for m in pattern.finditer(text, timeout=REGEX_TIMEOUT_S) if m.end() > m.start()]
        except TimeoutError:
            log.warning("pattern of section %s timed out on a %d-character message",
                        section, len(text))
            return []


def _anchored(pattern: str) -> str:
    """'\\w*root' restarts at every character; its leftmost match always begins at a word
    boundary anyway, so anchoring it there finds the same matches, far faster."""
    return "\\b" + pattern if pattern.startswith("\\w*") else pattern


def _other_words_present(phrase: _Phrase, where: dict[str, list[int]]) -> bool:
    """A cheap necessary condition: every exact word after the first occurs somewhere."""
    for keys in phrase.required:
        if keys.isdisjoint(where):
            return False
    return True


def _word_matches(word: _Word, key: tuple[str, str]) -> bool:
    if word.prefix is not None:
        return key[0].startswith(word.prefix) or key[1].startswith(word.prefix)
    return key[0] in word.keys or key[1] in word.keys


def _match_from(words: tuple[_Word | None, ...], keys: list[tuple[str, str]],
                start: int) -> int | None:
    """Index of the last token matched by `words` from `start`, or None."""
    position = start
    gap = 0
    for n, word in enumerate(words):
        if word is None:
            gap = MAX_GAP
            continue
        limit = min(len(keys), position + gap + 1) if n else start + 1
        found = next((j for j in range(position, limit) if _word_matches(word, keys[j])), None)
        if found is None:
            return None
        position = found + 1
        gap = 0
    return position - 1
