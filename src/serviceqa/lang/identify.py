"""Language identification for short chat messages, restricted to the languages we have packs
for. lingua (models inside its wheel) does the work; a few cheap signals fix what it can't:
Kazakh-only letters, and messages too short to judge, which inherit the conversation's language.
"""

from __future__ import annotations

from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from .codes import normalise_code
from .text import count_letters

KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
MIN_CONFIDENCE = 0.55
MIN_LETTERS = 8


@lru_cache(maxsize=8)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


def _has_kazakh_letters(text: str) -> bool:
    return not KAZAKH_LETTERS.isdisjoint(text)


class LanguageIdentifier:
    """Identify the language of a text among `codes` (those we have language packs for)."""

    def __init__(self, codes: tuple[str, ...]) -> None:
        self.codes = tuple(c for c in codes if hasattr(IsoCode639_1, c.upper()))
        self._lingua = _detector(self.codes) if len(self.codes) > 1 else None

    def identify(self, text: str) -> tuple[str | None, float]:
        """(code, confidence); code is None when the text is too short or unclear."""
        letters = count_letters(text)
        if "kk" in self.codes and _has_kazakh_letters(text):
            return "kk", 1.0
        if letters < MIN_LETTERS or self._lingua is None:
            return (self.codes[0], 1.0) if len(self.codes) == 1 and letters else (None, 0.0)
        values = self._lingua.compute_language_confidence_values(text)
        if not values:
            return None, 0.0
        best = values[0]
        code = normalise_code(best.language.iso_code_639_1.name)
        return code, best.value
