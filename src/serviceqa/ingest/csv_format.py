"""CSV with one row per message. Columns (header row required; `,` `;` or tab):

    conversation_id (or id)   required: rows of a conversation share it
    role                      required: agent | customer | bot | system
    text                      required: the message
    at                        optional: message time, ISO-8601
    channel, started_at, language, agent_id, agent_name, team, customer_id
                              optional: conversation fields, taken from the first row that
                              has them
    metadata.<key>            optional: conversation metadata; numbers become numbers

A conversation with a bad row is rejected whole, naming the row's line and column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import ROLES, Conversation, Rejected
from .encoding import EncodingError, decode
from .records import rejected, to_conversation

REQUIRED = ("role", "text")
CONVERSATION_FIELDS = ("channel", "started_at", "language")
PARTY_FIELDS = {"agent_id": ("agent", "id"), "agent_name": ("agent", "name"),
                "team": ("agent", "team"), "customer_id": ("customer", "id")}


def _number(value: str) -> Any:
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            continue
    return value


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


class _Draft:
    """A conversation being assembled from its rows."""

    def __init__(self, conversation_id: str, line: int) -> None:
        self.record: dict[str, Any] = {"id": conversation_id, "messages": [], "metadata": {}}
        self.line = line
        self.error: InputError | None = None

    def add(self, row: dict[str, str], line: int, path: Path) -> None:
        if self.error:
            return
        for field in REQUIRED:
            value = row.get(field) or ""
            blank = not value if field == "text" else not value.strip()  # "  " is a text
            if blank:
                self.error = InputError("empty", file=str(path), line=line, field=field)
                return
        role = row["role"].strip().lower()
        if role not in ROLES:
            self.error = InputError(f"unknown role '{row['role']}'; use {', '.join(ROLES)}",
                                    file=str(path), line=line, field="role")
            return
        message: dict[str, Any] = {"role": role, "text": row["text"]}
        if (row.get("at") or "").strip():
            message["at"] = row["at"].strip()
        self.record["messages"].append(message)
        self._conversation_fields(row)

    def _conversation_fields(self, row: dict[str, str]) -> None:
        for key, value in row.items():
            value = (value or "").strip()
            if not key or not value:
                continue
            if key in CONVERSATION_FIELDS:
                self.record.setdefault(key, value)
            elif key in PARTY_FIELDS:
                party, attr = PARTY_FIELDS[key]
                self.record.setdefault(party, {}).setdefault(attr, value)
            elif key.startswith("metadata."):
                self.record["metadata"].setdefault(key.removeprefix("metadata."), _number(value))


def read_csv(path: Path) -> Iterator[Conversation | Rejected]:
    try:
        text = decode(path.read_bytes())[0].lstrip("\ufeff")
    except EncodingError as exc:
        yield rejected(InputError(str(exc), file=str(path)))
        return
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=_dialect(text[:4096]))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    id_column = "conversation_id" if "conversation_id" in header else "id"
    missing = [c for c in (id_column, *REQUIRED) if c not in header]
    if missing:
        yield rejected(InputError(f"missing column(s) {', '.join(missing)}; found "
                                  f"{', '.join(header) or 'none'}", file=str(path), line=1))
        return
    drafts: dict[str, _Draft] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            yield rejected(InputError("more values than columns", file=str(path), line=line))
            continue
        conversation_id = (row.get(id_column) or "").strip()
        if not conversation_id:
            yield rejected(InputError("empty", file=str(path), line=line, field=id_column))
            continue
        draft = drafts.setdefault(conversation_id, _Draft(conversation_id, line))
        draft.add(row, line, path)
    for conversation_id, draft in drafts.items():
        if draft.error:
            yield rejected(draft.error, conversation_id)
        else:
            yield to_conversation(draft.record, str(path), draft.line)
