"""Canonical input: one conversation per line (.jsonl), or a .json file holding one
conversation or an array of them. JSONL is read line by line: the file is never held whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError
from ..model import Conversation, Rejected
from .encoding import EncodingError, decode
from .records import rejected, to_conversation

_SNIFF_BYTES = 4096


def _line_encoding(path: Path) -> str | None:
    """The encoding to decode each line with, or None when the file must be decoded whole
    (UTF-16/32, where a line break is not a single byte)."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    _, name = decode(head) if head else ("", "utf-8")
    return name if name.startswith("utf-8") or name in ("cp1251", "kz1048", "cp1250",
                                                         "iso8859_2") else None


def _decode_line(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return decode(raw)[0]


def _lines(path: Path) -> Iterator[tuple[int, str | InputError]]:
    """(line number, text) per line; a line that cannot be decoded yields its error."""
    encoding = _line_encoding(path)
    if encoding is None:
        yield from enumerate(decode(path.read_bytes())[0].splitlines(), 1)
        return
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            try:
                yield number, _decode_line(raw, encoding)
            except EncodingError as exc:
                yield number, InputError(str(exc), file=str(path), line=number)


class Skip:
    """How many records a resumed read still leaves out (`read_paths`). A reader that can
    tell records apart without parsing them (JSONL: one per non-blank line) takes them off
    itself; the others' records are parsed and then dropped."""

    def __init__(self, count: int) -> None:
        self.left = count


class JsonlLine(NamedTuple):
    """A JSONL record read but not parsed: a batch parses it in the process that scores it,
    so the reading process only moves text (`parse_jsonl_line` gives what `read_jsonl`
    would have)."""

    file: str
    line: int
    text: str


def read_jsonl(path: Path, skip: Skip | None = None,
               unparsed: bool = False) -> Iterator[Conversation | Rejected | JsonlLine]:
    for number, text in _lines(path):
        if not isinstance(text, InputError):
            text = text.lstrip("\ufeff").strip()
            if not text:
                continue
        if skip is not None and skip.left:
            skip.left -= 1  # a record, good or bad, left out unparsed
            continue
        if isinstance(text, InputError):
            yield rejected(text)
        elif unparsed:
            yield JsonlLine(str(path), number, text)
        else:
            yield parse_jsonl_line(JsonlLine(str(path), number, text))


def parse_jsonl_line(item: JsonlLine) -> Conversation | Rejected:
    try:
        record = json.loads(item.text)
    except json.JSONDecodeError as exc:
        return rejected(InputError(f"invalid JSON: {exc.msg} (column {exc.colno})",
                                   file=item.file, line=item.line))
    return to_conversation(record, item.file, item.line)


def read_json(path: Path) -> Iterator[Conversation | Rejected]:
    """A whole-file JSON document: one object or an array; line numbers of each element."""
    try:
        text = decode(path.read_bytes())[0].lstrip("\ufeff")
    except EncodingError as exc:
        yield rejected(InputError(str(exc), file=str(path)))
        return
    decoder = json.JSONDecoder()
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    if not stripped.startswith("["):
        yield from read_json_document(text, path)
        return
    position = offset + 1
    while True:
        position = _skip(text, position, ",")
        if position >= len(text) or text[position] == "]":
            return
        line = text.count("\n", 0, position) + 1
        try:
            record, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            yield rejected(InputError(f"invalid JSON: {exc.msg}", file=str(path), line=line))
            return
        yield to_conversation(record, str(path), line)


def read_json_document(text: str, path: Path) -> Iterator[Conversation | Rejected]:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        yield rejected(InputError(f"invalid JSON: {exc.msg} (column {exc.colno})",
                                  file=str(path), line=exc.lineno))
        return
    yield to_conversation(record, str(path), 1)


def _skip(text: str, position: int, separators: str) -> int:
    while position < len(text) and (text[position].isspace() or text[position] in separators):
        position += 1
    return position
