"""Tokens with offsets into the original text, and accent folding for matching."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

# Words with inner hyphens/apostrophes ("кое-что", "don't", "Сәлеметсіз") and emoji.
_TOKEN = regex.compile(r"\w+(?:[-'’]\w+)*|\p{Extended_Pictographic}", regex.UNICODE)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    norm: str  # lower-cased, 'ё' -> 'е', apostrophes unified


def normalise(word: str) -> str:
    return word.lower().replace("ё", "е").replace("’", "'")


def tokenize(text: str) -> tuple[Token, ...]:
    return tuple(Token(m.group(), m.start(), m.end(), normalise(m.group()))
                 for m in _TOKEN.finditer(text))


@lru_cache(maxsize=262_144)
def strip_accents(word: str) -> str:
    """'objednávku' -> 'objednavku', 'köszönöm' -> 'koszonom'; customers often type so."""
    decomposed = unicodedata.normalize("NFD", word)
    if decomposed == word:
        return word
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
