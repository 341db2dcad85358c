"""Language identification for short chat messages, restricted to the languages we have packs
for. lingua (models inside its wheel) does the work; cheap signals fix what it can't: letters
only one of our languages uses (Kazakh ә, Czech ř, Hungarian ő, declared in the packs), and
messages too short to judge, which inherit the conversation's language.
"""

from __future__ import annotations

from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from .codes import normalise_code
from .text import count_letters

MIN_CONFIDENCE = 0.55
MIN_LETTERS = 8


@lru_cache(maxsize=8)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


class LanguageIdentifier:
    """Identify the language of a text among `codes` (those we have language packs for)."""

    def __init__(self, codes: tuple[str, ...],
                 unique_letters: dict[str, str] | None = None) -> None:
        self.codes = tuple(c for c in codes if hasattr(IsoCode639_1, c.upper()))
        self._lingua = _detector(self.codes) if len(self.codes) > 1 else None
        self._letters = {code: frozenset(letters + letters.upper())
                         for code, letters in (unique_letters or {}).items() if letters}

    def _by_letters(self, text: str) -> str | None:
        """The one language whose own letters appear in `text`, if exactly one does."""
        found = [code for code, letters in self._letters.items() if not letters.isdisjoint(text)]
        return found[0] if len(found) == 1 else None

    def identify(self, text: str) -> tuple[str | None, float]:
        """(code, confidence); code is None when the text is too short or unclear."""
        letters = count_letters(text)
        marked = self._by_letters(text)
        if marked:
            return marked, 1.0
        if letters < MIN_LETTERS or self._lingua is None:
            return (self.codes[0], 1.0) if len(self.codes) == 1 and letters else (None, 0.0)
        values = self._lingua.compute_language_confidence_values(text)
        if not values:
            return None, 0.0
        best = values[0]
        code = normalise_code(best.language.iso_code_639_1.name)
        return code, best.value
