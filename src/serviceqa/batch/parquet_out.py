"""Evaluations as Parquet parts; pyarrow is imported only when Parquet is asked for."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import Evaluation
from ..output import evaluation_json

SCHEMA = pa.schema([("conversation_id", pa.string()), ("scorecard", pa.string()),
                    ("language", pa.string()), ("score", pa.float64()),
                    ("passed", pa.bool_()), ("evaluation", pa.string())])


def part_path(directory: Path, number: int) -> Path:
    return directory / f"part-{number:06d}.parquet"


def part_number(path: Path) -> int:
    return int(path.name.split(".")[0].removeprefix("part-"))


def _row(evaluation: Evaluation) -> dict[str, Any]:
    return {"conversation_id": evaluation.conversation_id, "scorecard": evaluation.scorecard,
            "language": evaluation.language, "score": evaluation.score,
            "passed": evaluation.passed, "evaluation": evaluation_json(evaluation)}


def write_part(directory: Path, number: int, evaluations: list[Evaluation]) -> Path:
    """Write the part under a temporary name, fsync, rename: a part is whole or absent."""
    final = part_path(directory, number)
    partial = final.with_name(final.name + ".tmp")
    table = pa.Table.from_pylist([_row(e) for e in evaluations], schema=SCHEMA)
    with partial.open("wb") as handle:
        pq.write_table(table, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, final)
    return final


def read_evaluation_lines(directory: Path) -> list[str]:
    """The `evaluation` column of every part, in chunk order (for tests and tools)."""
    lines: list[str] = []
    for part in sorted(directory.glob("part-*.parquet"), key=part_number):
        lines.extend(pq.read_table(part, columns=["evaluation"]).column(0).to_pylist())
    return lines
