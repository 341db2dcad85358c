"""Compiled phrase matching: every section of a pack in one pass over a message's tokens.

Keys are accent-folded surface forms and lemmas, so 'objednávku', 'objednavku' and
'objednávka' meet. Each word form is looked up once (then cached) for the phrases it is or
anchors; a phrase of several words is then checked only where all its words occur. Regex
patterns run only where their necessary literals occur (`prefilter.py`).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import groupby
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick
import regex

from .backtracking import needs_timeout
from .lemmatize import lemma
from .pack import LanguagePack
from .prefilter import BOUNDARY, bare, fold, lowercase_safe, required_literals
from .text import KEEP_GIL, Token, normalise, norms, strip_accents, tokenize

log = logging.getLogger(__name__)

GAP = "..."
EXACT = "="
MAX_GAP = 3
REGEX_TIMEOUT_S = 0.25
UNGUARDED_CHARS = 400  # up to this length, patterns without nested repetition run untimed
SENTIMENT_PREFIX = "sentiment."
SENTIMENT_PARTS = ("positive", "negative", "negators", "intensifiers")
MAX_CACHED_WORDS = 500_000
MAX_CACHED_ALTERNATIONS = 4096
SHORT_WORD = 3           # keys this short ('a', 'nem', 'the') are common in any text ...
SHORT_WORD_PENALTY = 4   # ... so they count as used four times as often
PREFIX_MARK = "*"


class Hit(NamedTuple):
    """One phrase or pattern found in a message; a tuple, because one is made per match."""

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
    anchor: _Word | None = None  # the rarest word: the phrase is looked up by it
    required: tuple[frozenset[str], ...] = ()  # keys of the other exact words


class _WordEntry(NamedTuple):
    """What the pack knows about one word form: its keys, the one-word phrases it is, and
    the longer phrases filed under it. Cached per form, as words repeat (Zipf)."""

    keys: tuple[str, str]  # folded surface, folded lemma
    single: tuple[_Phrase, ...]
    multi: tuple[_Phrase, ...]


class CompiledPack:
    """A language pack turned into look-up tables; built once per process. `sections`
    keeps only those sections (and sentiment lexicon parts, `sentiment.positive` …)."""

    def __init__(self, pack: LanguagePack, sections: frozenset[str] | None = None) -> None:
        self.pack = pack
        self.language = pack.language
        self._fold_table = str.maketrans(pack.fold) if pack.fold else None
        self._words: dict[str, _WordEntry] = {}
        wanted = (lambda name: True) if sections is None else sections.__contains__
        groups = {name: group for name, group in pack.sections.items() if wanted(name)}
        phrases = [(section, phrase) for section, group in groups.items()
                   for phrase in group.phrases]
        phrases += [(SENTIMENT_PREFIX + name, phrase) for name in SENTIMENT_PARTS
                    if wanted(SENTIMENT_PREFIX + name)
                    for phrase in getattr(pack.sentiment, name)]
        self._index_phrases(phrases)
        self._index_patterns([(section, group.patterns) for section, group
                              in groups.items() if group.patterns])

    # -- keys ---------------------------------------------------------------------------
    def fold(self, word: str) -> str:
        if self._fold_table is not None:
            word = word.translate(self._fold_table)
        return strip_accents(word)

    def token_keys(self, token: Token) -> tuple[str, str]:
        """(folded surface, folded lemma) of a token in this language."""
        return self._entry(token.norm).keys

    def _keys_of(self, norm: str) -> tuple[str, str]:
        base = lemma(norm, self.language, self.pack.lemmatizer, self.pack.negation_prefix)
        return self.fold(norm), self.fold(base)

    def _entry(self, norm: str) -> _WordEntry:
        entry = self._words.get(norm)
        if entry is None:
            keys = self._keys_of(norm)
            filed = dict.fromkeys(p for key in dict.fromkeys(keys)
                                  for p in self._by_key.get(key, ()))
            for stem in dict.fromkeys(key[:3] for key in keys):
                filed.update(dict.fromkeys(
                    p for p in self._by_stem.get(stem, ())
                    if _word_matches(p.anchor, keys)))  # type: ignore[arg-type]
            entry = _WordEntry(keys, tuple(p for p in filed if len(p.words) == 1),
                               tuple(p for p in filed if len(p.words) > 1))
            if len(self._words) < MAX_CACHED_WORDS:
                self._words[norm] = entry
        return entry

    def _word(self, raw: str) -> _Word:
        if raw.startswith(EXACT) and len(raw) > 1:  # '=tudom': this form only, not its lemma
            return _Word(frozenset({self.fold(normalise(raw[1:]))}), None)
        if raw.endswith("*"):
            return _Word(frozenset(), self.fold(normalise(raw.rstrip("*"))))
        tokens = tokenize(raw)
        if len(tokens) != 1:
            return _Word(frozenset({self.fold(normalise(raw))}), None)
        return _Word(frozenset(self._keys_of(tokens[0].norm)), None)

    # -- index --------------------------------------------------------------------------
    def _index_phrases(self, phrases: list[tuple[str, str]]) -> None:
        """Each phrase is filed under its rarest word, so a message's common words (вы, the,
        nem) do not drag in the dozens of phrases they belong to. How many phrases of the
        pack use a word, and shortness, stand in for how common it is in text. A prefix word
        (`oprávněn*`) can be the one: word entries are cached, so it costs no more."""
        compiled = []
        for section, phrase in phrases:
            words = tuple(None if raw == GAP else self._word(raw) for raw in phrase.split())
            if words and words[0] is not None:
                compiled.append((section, phrase, words))
        uses: Counter[str] = Counter(key for _, _, words in compiled
                                     for word in {w for w in words if w is not None}
                                     for key in _use_keys(word))
        self._by_key: dict[str, list[_Phrase]] = defaultdict(list)
        self._by_stem: dict[str, list[_Phrase]] = defaultdict(list)

        def rarity(word: _Word) -> tuple[int, int]:
            count = sum(uses[k] for k in _use_keys(word))
            shortest = min(map(len, _use_keys(word)))
            return count * (SHORT_WORD_PENALTY if shortest <= SHORT_WORD else 1), -shortest

        for section, source, words in compiled:
            anchor = min((w for w in words if w is not None), key=rarity)
            others = [w for w in words if w is not None and w is not anchor and w.prefix is None]
            required = tuple(w.keys for w in sorted(others, key=rarity))  # rarest: fails first
            entry = _Phrase(section, source, words, anchor, required)
            if anchor.prefix is not None:
                self._by_stem[anchor.prefix[:3]].append(entry)
            for key in anchor.keys:
                self._by_key[key].append(entry)

    def _index_patterns(self, sections: list[tuple[str, list[str]]]) -> None:
        """Patterns of a section run as one alternation. A pattern whose necessary literals
        are not in the message cannot match there, so it is left out of the alternation;
        one that cannot be analysed always stays in. One Aho-Corasick pass over the message
        finds every literal of the pack at once. Patterns are numbered through the pack,
        section by section, so sorted numbers come grouped by section."""
        self._section_names = [section for section, _ in sections]
        self._sources = [pattern for _, patterns in sections for pattern in patterns]
        self._group_of = [g for g, (_, patterns) in enumerate(sections) for _ in patterns]
        self._always: set[int] = set()
        self._also_needed: dict[int, tuple[frozenset[str], ...]] = {}
        by_literal: dict[str, list[tuple[int, bool, bool]]] = defaultdict(list)
        for number, pattern in enumerate(self._sources):
            required = required_literals(pattern)
            if required is None:
                self._always.add(number)
                continue
            for literal in required[0]:  # the most selective set is looked for ...
                word = bare(literal)     # (with a word edge before or after it, or not)
                edge_before = literal.startswith(BOUNDARY) and word[0].isalpha()
                edge_after = literal.endswith(BOUNDARY) and word[-1].isalpha()
                by_literal[word].append((number, edge_before, edge_after))
            if len(required) > 1:       # ... the others checked when it is found
                self._also_needed[number] = tuple(frozenset(map(bare, group))
                                                  for group in required[1:])
        self._literals = ahocorasick.Automaton()
        for word, places in by_literal.items():
            self._literals.add_word(word, (len(word), tuple(places)))
        if by_literal:
            self._literals.make_automaton()
        self._lower_safe = [lowercase_safe(pattern) for pattern in self._sources]
        self._needs_timeout = [needs_timeout(pattern) for pattern in self._sources]
        self._alternations: dict[tuple[tuple[int, ...], bool], regex.Pattern[str]] = {}

    # -- matching -----------------------------------------------------------------------
    def find(self, text: str, tokens: tuple[Token, ...], folded: str | None = None) -> list[Hit]:
        """All phrase and pattern hits of every section in one message. `folded` is
        `prefilter.fold(text)`, when the caller has it (one message, several packs)."""
        entries = list(map(self._words.get, norms(tokens)))  # most forms are cached
        if None in entries:
            entries = [entry or self._entry(token.norm) for entry, token in zip(entries, tokens)]
        hits = [Hit(phrase.section, tokens[i].start, tokens[i].end, phrase.source, i)
                for i, entry in enumerate(entries) if entry.single for phrase in entry.single]
        candidates = dict.fromkeys(p for entry in entries if entry.multi for p in entry.multi)
        if candidates:
            hits += self._phrase_hits(candidates, tokens, [entry.keys for entry in entries])
        if self._sources:
            hits += self._pattern_hits(text, fold(text) if folded is None else folded)
        return hits

    @staticmethod
    def _phrase_hits(candidates: Iterable[_Phrase], tokens: tuple[Token, ...],
                     keys: list[tuple[str, str]]) -> list[Hit]:
        """Phrases of several words, each checked where its first word occurs."""
        where: dict[str, list[int]] = defaultdict(list)
        for i, (surface, base) in enumerate(keys):
            where[surface].append(i)
            if base != surface:
                where[base].append(i)
        present = set(where)  # a set: isdisjoint then walks the phrase's few keys, not these
        hits = []
        for phrase in candidates:
            for keys_of_word in phrase.required:
                if keys_of_word.isdisjoint(present):
                    break
            else:
                hits += _phrase_at(phrase, tokens, keys, where)
        return hits

    def _possible_patterns(self, folded: str) -> set[int]:
        """The patterns that may match a text: their necessary literals occur in it."""
        possible = set(self._always)
        if not len(self._literals):
            return possible
        also_needed = self._also_needed
        for end, (length, places) in self._literals.iter(folded):
            start = end - length + 1
            word_starts = start == 0 or not folded[start - 1].isalpha()
            word_ends = end + 1 == len(folded) or not folded[end + 1].isalpha()
            for number, edge_before, edge_after in places:
                if number in possible or (edge_before and not word_starts) or \
                        (edge_after and not word_ends):
                    continue
                also = also_needed.get(number)
                if also is None or _each_occurs(also, folded):
                    possible.add(number)
        return possible

    def _pattern_hits(self, text: str, folded: str) -> list[Hit]:
        hits: list[Hit] = []
        possible = sorted(self._possible_patterns(folded))
        if not possible:
            return hits
        lowered = text.lower()
        lower_ok = len(lowered) == len(text) and lowered == lowered.casefold()
        long_text = len(text) > UNGUARDED_CHARS
        for g, numbers in groupby(possible, self._group_of.__getitem__):
            chosen = tuple(numbers)
            on_lowered = lower_ok and all(self._lower_safe[n] for n in chosen)
            pattern = self._alternation(chosen, on_lowered)
            guarded = long_text or any(self._needs_timeout[n] for n in chosen)
            timeout = REGEX_TIMEOUT_S if guarded else None
            try:
                hits.extend(Hit(self._section_names[g], m.start(), m.end(), pattern.pattern)
                            for m in pattern.finditer(lowered if on_lowered else text,
                                                      timeout=timeout, concurrent=KEEP_GIL)
                            if m.end() > m.start())
            except TimeoutError:
                log.warning("pattern of section %s timed out on a %d-character message",
                            self._section_names[g], len(text))
        return hits

    def _alternation(self, numbers: tuple[int, ...], on_lowered: bool) -> regex.Pattern[str]:
        """One regex of the chosen patterns of a section, in their pack order (so the first
        that matches at a position wins, as with the whole section); cached. On lowered
        text it runs without IGNORECASE, which `regex` does a third faster."""
        pattern = self._alternations.get((numbers, on_lowered))
        if pattern is None:
            joined = "|".join(f"(?:{_anchored(self._sources[n])})" for n in numbers)
            flags = regex.UNICODE if on_lowered else regex.IGNORECASE | regex.UNICODE
            pattern = regex.compile(joined, flags)
            if len(self._alternations) < MAX_CACHED_ALTERNATIONS:
                self._alternations[(numbers, on_lowered)] = pattern
        return pattern


def _each_occurs(groups: tuple[frozenset[str], ...], text: str) -> bool:
    """One string of every group is in `text` (loops: this runs for most messages)."""
    for group in groups:
        for literal in group:
            if literal in text:
                break
        else:
            return False
    return True


def _anchored(pattern: str) -> str:
    """'\\w*root' restarts at every character; its leftmost match always begins at a word
    boundary anyway, so anchoring it there finds the same matches, far faster."""
    return "\\b" + pattern if pattern.startswith("\\w*") else pattern


def _phrase_at(phrase: _Phrase, tokens: tuple[Token, ...], keys: list[tuple[str, str]],
               where: dict[str, list[int]]) -> list[Hit]:
    """Hits of one phrase, tried at each place its first word occurs."""
    hits = []
    for i in _starts(phrase.words[0], keys, where):  # type: ignore[arg-type]
        end = _match_from(phrase.words, keys, i)
        if end is not None:
            hits.append(Hit(phrase.section, tokens[i].start, tokens[end].end, phrase.source, i))
    return hits


def _use_keys(word: _Word) -> frozenset[str]:
    """What counts as one word when counting uses: its keys, or its prefix."""
    return word.keys or frozenset({PREFIX_MARK + (word.prefix or "")})


def _starts(word: _Word, keys: list[tuple[str, str]],
            where: dict[str, list[int]]) -> list[int]:
    """Token positions where a phrase's first word occurs, in order."""
    if word.prefix is None:
        return sorted({i for key in word.keys for i in where.get(key, ())})
    return [i for i, pair in enumerate(keys) if _word_matches(word, pair)]


def _word_matches(word: _Word, key: tuple[str, str]) -> bool:
    if word.prefix is not None:
        return key[0].startswith(word.prefix) or key[1].startswith(word.prefix)
    return key[0] in word.keys or key[1] in word.keys


def _match_from(words: tuple[_Word | None, ...], keys: list[tuple[str, str]],
                start: int) -> int | None:
    """Index of the last token matched by `words` from `start`, or None."""
    position = start
    gap = 0
    for word in words:
        if word is None:
            gap = MAX_GAP
            continue
        if gap:  # after '...' the word may come up to MAX_GAP tokens later
            limit = min(len(keys), position + gap + 1)
            position = next((j for j in range(position, limit)
                             if _word_matches(word, keys[j])), -1)
            if position < 0:
                return None
            gap = 0
        elif position >= len(keys) or not _word_matches(word, keys[position]):
            return None  # the usual case: the next word must come right here
        position += 1
    return position - 1
