"""Tokens with offsets into the original text, and accent folding for matching."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

import regex

# Words with inner hyphens/apostrophes ("кое-что", "don't", "Сәлеметсіз") and emoji.
_TOKEN = regex.compile(r"\w+(?:[-'’]\w+)*|\p{Extended_Pictographic}", regex.UNICODE)
# regex lets go of the GIL around every match unless told not to; on short messages taking
# it back costs a fifth of the tokenising work (callgrind). Our matches are all short.
KEEP_GIL = False


class Token(NamedTuple):
    """A word with its offsets; a tuple because millions are made per benchmark run."""

    text: str
    start: int
    end: int
    norm: str  # lower-cased, 'ё' -> 'е', apostrophes unified


_new_token = tuple.__new__  # Token(...) without the keyword handling: millions are made


def normalise(word: str) -> str:
    return word.lower().replace("ё", "е").replace("’", "'")


def tokenize(text: str) -> tuple[Token, ...]:
    lowered = normalise(text)
    if len(lowered) != len(text):  # 'İ'.lower() is two characters: offsets would shift
        return tuple([Token(w, m.start(), m.end(), normalise(w))
                      for m in _TOKEN.finditer(text, concurrent=KEEP_GIL)
                      for w in (m.group(),)])
    spans = [m.span() for m in _TOKEN.finditer(text, concurrent=KEEP_GIL)]
    return tuple([_new_token(Token, (text[start:end], start, end, lowered[start:end]))
                  for start, end in spans])


_NORM = itemgetter(Token._fields.index("norm"))


def norms(tokens: tuple[Token, ...]) -> Iterator[str]:
    """Each token's `norm`, read in C: this runs for every token of every message."""
    return map(_NORM, tokens)


def count_letters(text: str) -> int:
    return sum(map(str.isalpha, text))


@lru_cache(maxsize=262_144)
def strip_accents(word: str) -> str:
    """'objednávku' -> 'objednavku', 'köszönöm' -> 'koszonom'; customers often type so."""
    decomposed = unicodedata.normalize("NFD", word)
    if decomposed == word:
        return word
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
