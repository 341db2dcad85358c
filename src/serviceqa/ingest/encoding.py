"""Decode bytes whose encoding nobody told us: BOMs, UTF-16 without BOM, UTF-8, and the
8-bit code pages of our languages (CP1251 and KZ-1048 for Cyrillic, CP1250 and ISO-8859-2
for Czech and Hungarian).

General detectors confuse CP1250 with ISO-8859-2 (they differ exactly on š ť ž ś ź), so the
8-bit candidates are scored by how plausible the decoded letters are for our languages.
"""

from __future__ import annotations

import codecs
import unicodedata

import regex

EIGHT_BIT = ("cp1251", "kz1048", "cp1250", "iso8859_2")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_KK = "әғқңөұүһі"
_LETTERS = frozenset("áčďéěíňóřšťúůýžöőüű" + _RU + _KK) | frozenset("áčďéěíňóřšťúůýžöőüű".upper()
                                                                 + _RU.upper() + _KK.upper())
_WORD = regex.compile(r"\w+")
_CYRILLIC = regex.compile(r"\p{Cyrillic}")
_ASCII_LETTER = regex.compile(r"[A-Za-z]")


class EncodingError(ValueError):
    pass


def _dominant_share(data: bytes) -> float:
    return max(data.count(b) for b in set(data)) / len(data) if data else 0.0


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text in one script repeats the same high byte (0x00 Latin, 0x04 Cyrillic)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = _dominant_share(data[0::2]), _dominant_share(data[1::2])
    if odd > 0.5 and even < 0.5:
        return "utf-16-le"
    if even > 0.5 and odd < 0.5:
        return "utf-16-be"
    return None


def _mostly_printable(text: str) -> bool:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t")
    return controls <= 0.01 * max(1, len(text))


def _plausibility(text: str) -> int:
    score = 0
    for ch in text:
        if ord(ch) < 128:
            continue
        if ch in _LETTERS:
            score += 1
        elif unicodedata.category(ch).startswith("C"):
            score -= 5
        else:
            score -= 2
    for word in _WORD.findall(text):
        if _CYRILLIC.search(word) and _ASCII_LETTER.search(word):
            score -= 3
    return score


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name). Raises EncodingError when no candidate decodes."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            text = data.decode(utf16)
            if _mostly_printable(text):
                return text, utf16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[int, str, str] | None = None
    for name in EIGHT_BIT:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, name)
    if best is None:
        raise EncodingError("could not decode as UTF-8, UTF-16, CP1251, CP1250 or ISO-8859-2")
    return best[1], best[2]
