"""Batches into the store, on SQLite and PostgreSQL: upserts never duplicate, `rescore`
rewrites what matches its filter, and a database that goes away mid-batch stops it with
one clear line and exit code 3, keeps only whole chunks, and `--resume` finishes it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

import serviceqa.batch
from serviceqa.batch import SequentialRunner
from serviceqa.cli import app
from serviceqa.store import Store
from serviceqa.store.schema import ConversationRow, CriterionResultRow, EvaluationRow
from tests.batch.corpus import expected_jsonl, write_corpus

from .conftest import PG_URL, _admin_engine, _execute

COUNT, CHUNK = 20, 4
APP = "serviceqa-batch-test"  # only the batch's own connections are cut
cli = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("batch-store") / "corpus.jsonl", COUNT)


def _batch(corpus: Path, db: str, checkpoint: Path, *extra: str):  # type: ignore[no-untyped-def]
    return cli.invoke(app, ["batch", str(corpus), "--db", db, "--chunk-size", str(CHUNK),
                            "--checkpoint", str(checkpoint), "--no-progress", *extra])


def _counts(url: str) -> tuple[int, int, int]:
    store = Store(url)
    try:
        with store.engine.connect() as connection:
            return tuple(connection.scalar(select(func.count()).select_from(model)) or 0
                         for model in (ConversationRow, EvaluationRow, CriterionResultRow))
    finally:
        store.close()


def _stored_lines(url: str) -> bytes:
    """The stored evaluations as `score --format jsonl` writes them, in input order."""
    from serviceqa.output import evaluation_json

    store = Store(url)
    try:
        ids = [f"bench-{n:06d}" for n in range(1, COUNT + 1)]
        return "".join(evaluation_json(store.get_evaluation(i)) + "\n" for i in ids).encode()
    finally:
        store.close()


def test_batch_twice_and_rescore_never_duplicate(corpus: Path, db_url: str,
                                                 tmp_path: Path) -> None:
    checkpoint = tmp_path / "batch.checkpoint.json"
    first = _batch(corpus, db_url, checkpoint)
    assert first.exit_code == 1, first.output  # two bad records, reported
    assert "read 22, scored 20, rejected 2" in first.output
    counts = _counts(db_url)
    assert counts[:2] == (COUNT, COUNT)
    assert _batch(corpus, db_url, checkpoint).exit_code == 1
    assert _counts(db_url) == counts
    assert _stored_lines(db_url) == expected_jsonl([corpus])

    rescored = cli.invoke(app, ["rescore", "--db", db_url, "--channel", "phone", "-s", "phone",
                                "--set", "settings.max_rings=1", "--chunk-size", "3",
                                "--checkpoint", str(tmp_path / "r.checkpoint.json"),
                                "--no-progress"])
    assert rescored.exit_code == 0, rescored.output
    assert _counts(db_url) == counts
    store = Store(db_url)
    try:
        phone = [store.get_evaluation(f"bench-{n:06d}") for n in range(1, COUNT + 1)]
    finally:
        store.close()
    calls = [e for e in phone if e.channel == "phone"]
    assert calls and all(next(c for c in e.criteria if c.id == "answer_speed").result == "fail"
                         for e in calls if e.metrics.get("rings_before_answer", 0) > 1)
    _assert_rollups_current(db_url)


def _assert_rollups_current(url: str) -> None:
    """The batch wrote in bulk and refreshed the days it touched before it ended."""
    from serviceqa.store import rollups

    store = Store(url)
    try:
        with store.engine.connect() as connection:
            assert rollups.stale_days(connection) == []
        kept = store.leaderboard(100)
        store.rebuild_rollups()
        assert store.leaderboard(100) == kept and kept
    finally:
        store.close()


def test_rescore_to_a_file_reads_the_store_by_id(corpus: Path, db_url: str,
                                                 tmp_path: Path) -> None:
    assert _batch(corpus, db_url, tmp_path / "b.checkpoint.json").exit_code == 1
    out = tmp_path / "again.jsonl"
    result = cli.invoke(app, ["rescore", "--db", db_url, "--out", str(out), "--no-progress",
                              "--chunk-size", "6", "--engine", "sequential"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == expected_jsonl([corpus])  # ids sort like the corpus order


def test_rescore_takes_the_score_and_profile_filters(corpus: Path, db_url: str,
                                                     tmp_path: Path) -> None:
    """Only the stored conversations under a score are rescored to the file."""
    assert _batch(corpus, db_url, tmp_path / "b.checkpoint.json").exit_code == 1
    store = Store(db_url)
    try:
        scores = {f"bench-{n:06d}": store.get_evaluation(f"bench-{n:06d}").score
                  for n in range(1, COUNT + 1)}
    finally:
        store.close()
    threshold = sorted(s for s in scores.values() if s is not None)[COUNT // 2]
    out = tmp_path / "low.jsonl"
    result = cli.invoke(app, ["rescore", "--db", db_url, "--out", str(out), "--no-progress",
                              "--max-score", str(threshold), "--engine", "sequential"])
    assert result.exit_code == 0, result.output
    got = {json.loads(line)["conversation_id"] for line in out.read_text().splitlines()}
    assert got == {i for i, s in scores.items() if s is not None and s <= threshold}
    assert 0 < len(got) < COUNT


class DatabaseGoesAway(SequentialRunner):
    """After `chunks` chunks, the database refuses new connections and the batch's open
    ones are cut, as when the server goes down."""

    def __init__(self, url: str, chunks: int) -> None:
        self.database, self.chunks = make_url(url).database, chunks

    def run(self, chunks, config, form="evaluation"):  # type: ignore[no-untyped-def]
        for number, done in enumerate(super().run(chunks, config, form)):
            if number == self.chunks:
                _allow_connections(self.database, False)
            yield done


def _allow_connections(database: str | None, allowed: bool) -> None:
    admin = _admin_engine(make_url(PG_URL))
    try:
        _execute(admin, f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            _execute(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            f"WHERE datname = '{database}' AND application_name = '{APP}'")
    finally:
        admin.dispose()


@pytest.fixture
def flaky_pg(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = make_url(pg_url).update_query_dict({"application_name": APP})
    monkeypatch.setattr(serviceqa.batch, "make_runner",
                        lambda *args: DatabaseGoesAway(pg_url, chunks=2))
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        _allow_connections(url.database, True)


def test_database_going_away_is_a_clear_error_and_resume_finishes(
        corpus: Path, flaky_pg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checkpoint = tmp_path / "batch.checkpoint.json"
    broken = _batch(corpus, flaky_pg, checkpoint)
    assert broken.exit_code == 3, broken.output
    assert "the database went away while writing chunk 2" in broken.output
    assert "--resume" in broken.output and "Traceback" not in broken.output
    assert broken.exception is None or isinstance(broken.exception, SystemExit)
    state = json.loads(checkpoint.read_text())
    assert (state["chunks"], state["complete"]) == (2, False)

    _allow_connections(make_url(flaky_pg).database, True)
    done_ids = {f"bench-{n:06d}" for n in range(1, 8)}  # 2 chunks of 4, one bad record
    assert _counts(flaky_pg)[:2] == (len(done_ids), len(done_ids))  # whole chunks only
    monkeypatch.setattr(serviceqa.batch, "make_runner", lambda *args: SequentialRunner())
    resumed = _batch(corpus, flaky_pg, checkpoint, "--resume")
    assert resumed.exit_code == 1, resumed.output
    assert "read 22, scored 20, rejected 2" in resumed.output
    assert _counts(flaky_pg)[:2] == (COUNT, COUNT)
    assert _stored_lines(flaky_pg) == expected_jsonl([corpus])
    assert len(Path(str(checkpoint).replace(".checkpoint.json", ".rejected.jsonl"))
               .read_text().splitlines()) == 2



class CrashAfterCommit(serviceqa.batch.StoreSink):
    """Dies after chunk `crash_at` is committed, before its checkpoint is saved."""

    crash_at = 1

    def _write(self, chunk, results, after):  # type: ignore[no-untyped-def]
        super()._write(chunk, results, after)
        if chunk.number == self.crash_at:
            raise KeyboardInterrupt


class CountingRunner(SequentialRunner):
    def __init__(self) -> None:
        self.chunks: list[int] = []

    def run(self, chunks, config, form="evaluation"):  # type: ignore[no-untyped-def]
        for chunk, results in super().run(chunks, config, form):
            self.chunks.append(chunk.number)
            yield chunk, results


def test_a_chunk_committed_just_before_a_crash_is_not_scored_again(
        corpus: Path, db_url: str, tmp_path: Path) -> None:
    from serviceqa.batch import FileSource, ScoringConfig, StoreSink, batch_job, run_batch

    config, checkpoint = ScoringConfig.of(None), tmp_path / "b.checkpoint.json"
    source = FileSource([corpus], CHUNK)
    job = batch_job(source, config)
    crashing = CrashAfterCommit(db_url, job, False, checkpoint)
    with pytest.raises(KeyboardInterrupt):
        run_batch(source, SequentialRunner(), crashing, config)
    crashing.close()
    assert json.loads(checkpoint.read_text())["pending"] is not None

    runner, sink = CountingRunner(), StoreSink(db_url, job, True, checkpoint)
    assert sink.state.chunks == 2  # the committed chunk 1 is recognised as done
    summary = run_batch(source, runner, sink, config)
    sink.close()
    assert runner.chunks == list(range(2, 6))
    assert summary.as_dict() == {"read": 22, "scored": 20, "rejected": 2}
    assert _counts(db_url)[:2] == (COUNT, COUNT)
    assert _stored_lines(db_url) == expected_jsonl([corpus])
    logged = sink.rejections_file.read_text().splitlines()
    assert [json.loads(line)["line"] for line in logged] == [7, 19]
