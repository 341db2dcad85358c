"""Language identification for short chat messages, restricted to the languages we have packs
for. lingua (models inside its wheel) does the work; cheap signals, declared in the packs,
settle what they can first: letters only one of our languages uses (Kazakh ә, Czech ř,
Hungarian ő), and common words only one of them writes ("hogy", "jsem", "the"). Messages too
short to judge inherit the conversation's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from .codes import normalise_code
from .text import count_letters, normalise, norms, tokenize

MIN_CONFIDENCE = 0.55
MIN_LETTERS = 8
# lingua's cost grows with the text, and a message's first 80 characters tell its language as
# well as the whole does: on the shared dev sets (18,000 labelled texts) accuracy per language
# is the same within 0.2 points, and no demo message changes. Unique letters still count in full.
# (60 characters was as accurate on the dev sets but sent one English demo message to hu.)
IDENTIFY_CHARS = 80
# Two different function words of one language and none of another's: on the shared dev sets
# this decides 63% of the texts that reach it and is right on 99.95% of them; accuracy over
# all 18,000 rises from 97.81% to 97.95%, at ~1 µs a text against lingua's ~40 µs.
MIN_FUNCTION_WORDS = 2


@lru_cache(maxsize=8)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


class LanguageIdentifier:
    """Identify the language of a text among `codes` (those we have language packs for)."""

    def __init__(self, codes: tuple[str, ...],
                 unique_letters: dict[str, str] | None = None,
                 function_words: dict[str, list[str]] | None = None) -> None:
        self.codes = tuple(c for c in codes if hasattr(IsoCode639_1, c.upper()))
        self._lingua = _detector(self.codes) if len(self.codes) > 1 else None
        self._owner = {letter: code for code, letters in (unique_letters or {}).items()
                       for letter in letters + letters.upper()}
        self._unique = re.compile("[" + "".join(map(re.escape, self._owner)) + "]") \
            if self._owner else None
        self._letters_not_ascii = not any(letter.isascii() for letter in self._owner)
        self._word_owner = _sole_owners(function_words or {})

    def _by_letters(self, text: str) -> str | None:
        """The one language whose own letters appear in `text`, if exactly one does."""
        if self._unique is None or (self._letters_not_ascii and text.isascii()):
            return None  # isascii() is a flag lookup; the scan below reads every character
        found = {self._owner[letter] for letter in self._unique.findall(text)}
        return found.pop() if len(found) == 1 else None

    def _by_words(self, words: Iterable[str]) -> str | None:
        """The one language with MIN_FUNCTION_WORDS different function words in `words`
        (normalised tokens), if no other language has any there."""
        owner = self._word_owner
        seen = {word for word in words if word in owner}
        found = {owner[word] for word in seen}
        return found.pop() if len(found) == 1 and len(seen) >= MIN_FUNCTION_WORDS else None

    def identify(self, text: str, letters: int | None = None,
                 words: Iterable[str] | None = None) -> tuple[str | None, float]:
        """(code, confidence); code is None when the text is too short or unclear.
        `letters` is the text's count of letters and `words` its normalised tokens, when the
        caller has them already."""
        letters = count_letters(text) if letters is None else letters
        marked = self._by_letters(text)
        if marked:
            return marked, 1.0
        if self._word_owner:
            by_words = self._by_words(norms(tokenize(text)) if words is None else words)
            if by_words:
                return by_words, 1.0
        if letters < MIN_LETTERS or self._lingua is None:
            return (self.codes[0], 1.0) if len(self.codes) == 1 and letters else (None, 0.0)
        # One call per text: lingua's batch call runs worker threads that spin between
        # batches and, on one core, slow the rest of the scoring down.
        values = self._lingua.compute_language_confidence_values(_head(text))
        if not values:
            return None, 0.0
        best = values[0]
        return normalise_code(best.language.iso_code_639_1.name), best.value


def _sole_owners(function_words: dict[str, list[str]]) -> dict[str, str]:
    """Word -> language, for the words only one language lists (a shared word tells nothing;
    the packs' tests keep the lists apart, so none should be)."""
    owners: dict[str, set[str]] = {}
    for code, words in function_words.items():
        for word in words:
            owners.setdefault(normalise(word), set()).add(code)
    return {word: codes.pop() for word, codes in owners.items() if len(codes) == 1}


def _head(text: str) -> str:
    """The first IDENTIFY_CHARS characters, cut at a space where there is one."""
    if len(text) <= IDENTIFY_CHARS:
        return text
    space = text.rfind(" ", 0, IDENTIFY_CHARS)
    return text[:space] if space > IDENTIFY_CHARS // 2 else text[:IDENTIFY_CHARS]
