"""Sequential, multi-process and Dask runners write byte-identical evaluations, report every
rejected record with its file and line, and resume without losing or repeating work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from serviceqa.batch import (CheckpointError, DaskRunner, FileSource, JsonlSink, ProcessRunner,
                             ScoringConfig, SequentialRunner, batch_job, run_batch)
from serviceqa.model import Rejected

from .corpus import BAD_LINES

CONFIG = ScoringConfig.of(None)
CHUNK = 6


def _run(corpus: Path, out: Path, runner, resume: bool = False):  # type: ignore[no-untyped-def]
    source = FileSource([corpus], CHUNK)
    sink = JsonlSink(out, batch_job(source, CONFIG), resume)
    try:
        return run_batch(source, runner, sink, CONFIG), sink
    finally:
        sink.close()


@pytest.fixture(params=["sequential", "process", "dask"])
def runner(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if request.param == "sequential":
        made = SequentialRunner()
    elif request.param == "process":
        made = ProcessRunner(workers=2)
    else:
        made = DaskRunner(scheduler=request.getfixturevalue("dask_scheduler"))
    yield made
    made.close()


def test_every_runner_writes_the_same_bytes_as_score(corpus: Path, expected: bytes,
                                                     runner, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    summary, sink = _run(corpus, out, runner)
    assert out.read_bytes() == expected
    assert summary.as_dict() == {"read": 42, "scored": 40, "rejected": 2}
    assert sorted((p.file, p.line) for p in summary.problems) == \
        [(str(corpus), line) for line in sorted(BAD_LINES)]
    logged = [Rejected.model_validate_json(line)
              for line in sink.rejections_file.read_text().splitlines()]
    assert [r.line for r in logged] == sorted(BAD_LINES)
    assert logged[0].field == "messages" and logged[0].conversation_id == "bad-empty"


class StopAfter(SequentialRunner):
    """Scores `chunks` chunks, then fails as a crash would."""

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks

    def run(self, chunks, config, form="evaluation"):  # type: ignore[no-untyped-def]
        for number, done in enumerate(super().run(chunks, config, form)):
            if number == self.chunks:
                raise KeyboardInterrupt
            yield done


def test_resume_cuts_off_a_half_written_chunk_and_finishes(corpus: Path, expected: bytes,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        _run(corpus, out, StopAfter(3))
    checkpoint = json.loads((tmp_path / "out.jsonl.checkpoint.json").read_text())
    assert checkpoint["chunks"] == 3 and not checkpoint["complete"]
    with out.open("ab") as handle:  # what a kill in the middle of chunk 4 leaves behind
        handle.write(b'{"conversation_id": "bench-0000')
    summary, sink = _run(corpus, out, SequentialRunner(), resume=True)
    assert out.read_bytes() == expected
    assert summary.as_dict() == {"read": 42, "scored": 40, "rejected": 2}
    assert len(sink.rejections_file.read_text().splitlines()) == 2
    again, _ = _run(corpus, out, SequentialRunner(), resume=True)  # complete: nothing to do
    assert again.as_dict() == summary.as_dict() and out.read_bytes() == expected


def test_a_local_dask_cluster_runs_its_workers_without_the_profiler(corpus: Path,
                                                                   expected: bytes,
                                                                   tmp_path: Path) -> None:
    """Its samples of the scoring thread grew each worker's memory for 17 minutes."""
    runner = DaskRunner(workers=1)
    try:
        profiling = runner.client.run(lambda dask_worker: sorted(dask_worker.periodic_callbacks))
        assert profiling and all("profile" not in names and "heartbeat" in names
                                 for names in profiling.values())
        _run(corpus, tmp_path / "out.jsonl", runner)
    finally:
        runner.close()
    assert (tmp_path / "out.jsonl").read_bytes() == expected


def test_resume_refuses_a_checkpoint_of_another_batch(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        _run(corpus, out, StopAfter(1))
    other = FileSource([corpus], CHUNK + 1)
    with pytest.raises(CheckpointError, match="another batch"):
        JsonlSink(out, batch_job(other, CONFIG), resume=True)
    with pytest.raises(CheckpointError, match="no checkpoint"):
        JsonlSink(tmp_path / "new.jsonl", batch_job(other, CONFIG), resume=True)


class Spy(SequentialRunner):
    """Records what each chunk's items were and which form the sink asked for."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.forms: set[str] = set()

    def run(self, chunks, config, form="evaluation"):  # type: ignore[no-untyped-def]
        self.forms.add(form)
        for chunk, results in super().run(chunks, config, form):
            self.kinds.update(type(item).__name__ for item in chunk.items)
            yield chunk, results


def test_a_file_sink_gets_jsonl_records_parsed_where_they_are_scored(
        corpus: Path, expected: bytes, tmp_path: Path) -> None:
    """The driver only moves text: records travel unparsed, and the JSONL sink gets each
    evaluation as its output line. Bad records are still reported from their line."""
    spy = Spy()
    out = tmp_path / "out.jsonl"
    summary, _ = _run(corpus, out, spy)
    assert spy.kinds == {"JsonlLine"} and spy.forms == {"output"}
    assert out.read_bytes() == expected
    assert sorted(p.line for p in summary.problems) == sorted(BAD_LINES)
