"""Read survey responses exported from other survey tools: CSV (a header row) or JSON (an
array, or one object a line). Columns / keys: conversation_id (required), csat, nps,
satisfaction, comment, submitted_at (ISO-8601), external_id, language.

Every record comes back either parsed or as an error with its line and field, so one bad
row never stops the import and nothing is dropped without a word.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal

from ..errors import InputError

Format = Literal["csv", "json"]
KNOWN = ("conversation_id", "csat", "nps", "satisfaction", "comment", "submitted_at",
         "external_id", "language")
INTEGERS = ("csat", "nps", "satisfaction")
MAX_RECORDS = 50_000


@dataclass(frozen=True)
class Record:
    line: int
    data: dict[str, Any]


@dataclass(frozen=True)
class RecordError:
    line: int
    field: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


def read(text: str, fmt: Format) -> list[Record | RecordError]:
    if fmt == "csv":
        return _csv(text)
    if fmt == "json":
        return _json(text)
    raise InputError("csv or json", field="format")


def _csv(text: str) -> list[Record | RecordError]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    if "conversation_id" not in header:
        raise InputError("the CSV header has no conversation_id column", line=1,
                         field="conversation_id")
    out: list[Record | RecordError] = []
    line = 1
    for row in reader:
        line_start = line + 1
        line = reader.line_num
        if None in row:
            out.append(RecordError(line_start, None, "more values than header columns"))
            continue
        out.append(clean(line_start, {k: v for k, v in row.items() if v not in (None, "")}))
    return out


def _json(text: str) -> list[Record | RecordError]:
    stripped = text.lstrip("\ufeff").strip()
    if stripped.startswith("["):
        items = _array_items(stripped)
    else:
        items = []
        for n, line_text in enumerate(stripped.splitlines(), start=1):
            if not line_text.strip():
                continue
            try:
                items.append((n, json.loads(line_text)))
            except ValueError as exc:
                items.append((n, RecordError(n, None, f"not JSON: {exc}")))
    out: list[Record | RecordError] = []
    for line, value in items:
        if isinstance(value, RecordError):
            out.append(value)
        elif not isinstance(value, dict):
            out.append(RecordError(line, None, "a response must be a JSON object"))
        else:
            out.append(clean(line, value))
    return out


def _array_items(text: str) -> list[tuple[int, Any]]:
    """The elements of a JSON array with the line each starts on."""
    decoder = json.JSONDecoder()
    items: list[tuple[int, Any]] = []
    at = 1
    while True:
        at = _skip(text, at)
        if at < len(text) and text[at] == "]":
            return items
        line = text.count("\n", 0, at) + 1
        try:
            value, at = decoder.raw_decode(text, at)
        except ValueError as exc:
            raise InputError(f"not JSON: {exc.args[0]}", line=line, field="body") from exc
        items.append((line, value))
        at = _skip(text, at)
        if at < len(text) and text[at] == ",":
            at += 1
        elif at >= len(text) or text[at] != "]":
            raise InputError("expected , or ] in the JSON array",
                             line=text.count("\n", 0, at) + 1, field="body")


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def clean(line: int, data: dict[str, Any]) -> Record | RecordError:
    """Types checked and converted; the first problem is the record's error."""
    unknown = sorted(set(data) - set(KNOWN))
    if unknown:
        return RecordError(line, unknown[0], f"unknown column; known: {', '.join(KNOWN)}")
    if not str(data.get("conversation_id") or "").strip():
        return RecordError(line, "conversation_id", "required")
    out: dict[str, Any] = {"conversation_id": str(data["conversation_id"]).strip()}
    for name in INTEGERS:
        value = data.get(name)
        if value in (None, ""):
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            return RecordError(line, name, f"not a number: {value!r}")
        if number != int(number) or isinstance(value, bool):
            return RecordError(line, name, f"not a whole number: {value!r}")
        out[name] = int(number)
    if data.get("submitted_at"):
        try:
            when = datetime.fromisoformat(str(data["submitted_at"]).replace("Z", "+00:00"))
        except ValueError:
            return RecordError(line, "submitted_at",
                               f"not an ISO-8601 time: {data['submitted_at']!r}")
        out["submitted_at"] = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    for name in ("comment", "external_id", "language"):
        if data.get(name) not in (None, ""):
            out[name] = str(data[name])
    return Record(line, out)
