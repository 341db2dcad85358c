"""Parquet conversations: one conversation a row, streamed by record batch.

A file written by `write_conversations` (and `serviceqa generate --out x.parquet`) has a
`conversation` column holding the JSON record, plus copies of `id`, `channel` and
`language` for other tools. A file without that column is read as nested columns in the
shape of the JSON contract. pyarrow is imported only here (`pip install 'serviceqa[scale]'`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Conversation, Rejected
from .records import rejected, to_conversation

BATCH_ROWS = 1_000
JSON_COLUMN = "conversation"
COPIED = ("id", "channel", "language")


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise InputError("Parquet needs pyarrow: pip install 'serviceqa[scale]'") from exc
    return pyarrow


def _record(row: dict[str, Any]) -> Any:
    if JSON_COLUMN in row and isinstance(row[JSON_COLUMN], str):
        return json.loads(row[JSON_COLUMN])
    return {key: value for key, value in row.items() if value is not None}


def read_parquet(path: Path) -> Iterator[Conversation | Rejected]:
    """Row n (from 1) is reported as line n, so a bad row is named like a bad JSONL line."""
    pa = _pyarrow()
    try:
        parquet = pa.parquet.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        yield rejected(InputError(f"not a Parquet file: {exc}", file=str(path)))
        return
    number = 0
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
        for row in batch.to_pylist():
            number += 1
            try:
                record = _record(row)
            except json.JSONDecodeError as exc:
                yield rejected(InputError(f"invalid JSON: {exc.msg}", file=str(path),
                                          line=number, field=JSON_COLUMN))
                continue
            yield to_conversation(record, str(path), number)


def write_conversations(records: Iterable[dict[str, Any]], out: Path) -> int:
    """Write JSON-contract records to `out`, BATCH_ROWS per row group; returns the count."""
    pa = _pyarrow()
    schema = pa.schema([(name, pa.string()) for name in (*COPIED, JSON_COLUMN)])
    count, rows = 0, []
    with pa.parquet.ParquetWriter(out, schema) as writer:
        for record in records:
            rows.append({**{k: _text(record.get(k)) for k in COPIED},
                         JSON_COLUMN: json.dumps(record, ensure_ascii=False)})
            if len(rows) == BATCH_ROWS:
                writer.write_table(pa.Table.from_pylist(rows, schema))
                count, rows = count + len(rows), []
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema))
            count += len(rows)
    return count


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
