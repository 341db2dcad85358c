"""Parquet in and out: a generated Parquet corpus scores to the same evaluations as its
JSONL twin; a Parquet output holds the JSONL sink's JSON; bad rows are named by row."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from serviceqa.batch import (FileSource, ParquetSink, ScoringConfig, SequentialRunner,
                             batch_job, run_batch)
from serviceqa.batch.parquet_out import read_evaluation_lines
from serviceqa.generate import generate, write
from serviceqa.ingest import read_paths
from serviceqa.model import Conversation, Rejected

from .corpus import expected_jsonl

CONFIG = ScoringConfig.of(None)


def test_parquet_in_and_out_round_trip(tmp_path: Path) -> None:
    jsonl, parquet = write(25, tmp_path / "c.jsonl", 3), write(25, tmp_path / "c.parquet", 3)
    source = FileSource([parquet], chunk_size=7)
    out = tmp_path / "evaluations.parquet"
    sink = ParquetSink(out, batch_job(source, CONFIG), resume=False)
    summary = run_batch(source, SequentialRunner(), sink, CONFIG)
    sink.close()
    assert summary.as_dict() == {"read": 25, "scored": 25, "rejected": 0}
    assert sorted(p.name for p in out.iterdir()) == [f"part-{n:06d}.parquet" for n in range(4)]
    lines = "".join(line + "\n" for line in read_evaluation_lines(out)).encode()
    assert lines == expected_jsonl([jsonl])
    table = pq.read_table(out)
    assert table.num_rows == 25 and table.column("conversation_id")[0].as_py() == "bench-000001"


def test_parquet_nested_columns_and_bad_rows(tmp_path: Path) -> None:
    records = list(generate(3, seed=2))
    records[1] = {"id": "no-messages", "channel": "chat", "messages": []}
    path = tmp_path / "nested.parquet"
    pq.write_table(pa.Table.from_pylist(records), path)
    items = list(read_paths([path]))
    assert isinstance(items[0], Conversation) and items[0].id == records[0]["id"]
    assert len(items[0].messages) == len(records[0]["messages"])
    assert isinstance(items[1], Rejected) and (items[1].file, items[1].line) == (str(path), 2)
    assert items[1].field == "messages"
