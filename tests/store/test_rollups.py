"""The report rollups give the raw tables' answers, however the data got there.

A seeded random history of writes (new conversations, re-ingests that move a conversation to
another agent, day or channel, evaluations dropped and re-added, scores with odd decimals)
is written in batches; then every report is asked through the rollups and through the raw
tables, under many filters, and must agree. Rebuilding the rollups from scratch must give
the rows the writers kept. The history is written batch by batch (`tracking`), as bulk
loads (`deferred`, then `refresh`), or both mixed.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from serviceqa.model import Conversation, Evaluation
from serviceqa.store import Filters, Store, rollup_queries, rollups
from serviceqa.store.schema import EvaluationRow
from serviceqa.store.writer import write_batch
from serviceqa.store.schema_rollups import RollupSliceItemRow, RollupGroupRow, RollupItemRow
from tests.store.factory import conversation, evaluation

AGENTS = [("a-1", "Almaty"), ("a-2", "Almaty"), ("a-3", "Astana"), ("b-1", "Praha"),
          ("б-7", "Алматы"), (None, "Almaty")]
CHANNELS = ["chat", "phone", "email"]
LANGUAGES = ["ru", "kk", "cs", "hu", "en", None]
CRITERIA = ["greeting", "closing", "empathy", "no_rudeness"]
ALERTS = ["callback", "safety", "sla_breach"]
TYPES = ["rude", "offended", "chatty"]
DAY0 = datetime(2026, 10, 30, 0, 0, tzinfo=timezone.utc)


def _random_pair(rng: random.Random, cid: str) -> tuple[Conversation, Evaluation | None]:
    agent, team = rng.choice(AGENTS)
    started = None if rng.random() < 0.08 else (
        DAY0 + timedelta(days=rng.randint(0, 12), minutes=rng.randint(0, 1439)))
    extra: dict[str, Any] = {"channel": rng.choice(CHANNELS),
                             "started_at": started.isoformat() if started else None}
    language = rng.choice(LANGUAGES)
    if language:
        extra["language"] = language
    convo = conversation(cid, agent, team=team, **extra)
    if rng.random() < 0.1:
        return convo, None
    score = None if rng.random() < 0.1 else rng.choice([100.0, 83.3, 66.7, 0.0,
                                                        round(rng.uniform(0, 100), 4)])
    criteria = {c: rng.choice(["pass", "fail", "na"]) for c in rng.sample(CRITERIA, 3)}
    return convo, evaluation(cid, score, rng.random() < 0.5, criteria=criteria,
                             alerts=rng.sample(ALERTS, rng.randint(0, 2)),
                             types=rng.sample(TYPES, rng.randint(0, 2)))


MODES = ["tracked", "bulk", "mixed"]


def _history(store: Store, seed: int, mode: str = "tracked") -> None:
    rng = random.Random(seed)
    ids = [f"c-{i:03d}" for i in range(120)]
    for _ in range(6):
        batch = [_random_pair(rng, cid) for cid in rng.sample(ids, 45)]
        batch.append(_random_pair(rng, batch[0][0].id))  # a repeated id: the last one wins
        bulk = mode == "bulk" or (mode == "mixed" and rng.random() < 0.5)
        store.save_many(batch, batch_size=rng.choice([7, 50]), bulk=bulk)


FILTERS = [
    Filters(), Filters(agent_id="a-1"), Filters(agent_id="б-7"), Filters(team="Almaty"),
    Filters(channel="phone"), Filters(language="kk"), Filters(language="cs", channel="chat"),
    Filters(since=DAY0 + timedelta(days=3)), Filters(until=DAY0 + timedelta(days=5)),
    Filters(since=DAY0 + timedelta(days=2), until=DAY0 + timedelta(days=9), team="Astana"),
    Filters(agent_id="nobody"),
]


def _all_reports(store: Store, filters: Filters) -> dict[str, Any]:
    return {
        **{by: store.report(by, filters)  # type: ignore[arg-type]
           for by in ("agent", "team", "channel", "language", "day", "week")},
        "leaderboard": store.leaderboard(4, filters),
        "leaderboard_all": store.leaderboard(100, filters),
        "criteria": store.criterion_pass_rates(filters),
        "alerts": store.alert_counts(filters),
        "types": store.customer_type_counts(filters),
    }


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("seed", [1, 2])
def test_rollups_answer_as_the_raw_tables(store: Store, seed: int, mode: str) -> None:
    _history(store, seed, mode)
    raw = Store(store.url)
    raw.use_rollups = False
    try:
        for filters in FILTERS:
            assert rollup_queries.servable(filters)
            assert _all_reports(store, filters) == _all_reports(raw, filters), filters
    finally:
        raw.close()


def _rows(store: Store) -> dict[str, set[tuple[Any, ...]]]:
    """Rollup rows without the all-zero ones a write may leave behind."""
    tables = {}
    with store.engine.connect() as connection:
        for model, sums in ((RollupGroupRow, ("evaluations",)),
                            (RollupItemRow, ("n",)), (RollupSliceItemRow, ("n",))):
            columns = [c for c in model.__table__.columns]
            rows = connection.execute(select(*columns)).all()
            index = [c.name for c in columns].index(sums[0])
            tables[model.__tablename__] = {tuple(r) for r in rows if r[index]}
    return tables


@pytest.mark.parametrize("mode", MODES)
def test_rebuilding_gives_the_rows_the_writers_kept(store: Store, mode: str) -> None:
    _history(store, 3, mode)
    kept = _rows(store)
    assert kept["rollup_groups"] and kept["rollup_items"] and kept["rollup_item_slices"]
    store.rebuild_rollups()
    assert _rows(store) == kept


def test_a_conversation_moved_to_another_agent_leaves_the_first(store: Store) -> None:
    store.save(conversation("m-1", "a-1"), evaluation("m-1", 90.0, alerts=["callback"]))
    store.save(conversation("m-1", "a-2"), evaluation("m-1", 40.0, False))
    assert [(r.agent_id, r.evaluations, r.mean_score, r.alerts)
            for r in store.leaderboard()] == [("a-2", 1, 40.0, 0)]
    assert store.alert_counts() == {}
    store.save(conversation("m-1", "a-2"), None)  # re-ingested without an evaluation
    assert store.leaderboard() == [] and store.report("agent") == []
    assert store.criterion_pass_rates() == []


@pytest.mark.parametrize(("filters", "rolled"), [
    (Filters(min_score=50), False), (Filters(failed_criterion="greeting"), False),
    (Filters(customer_type="rude"), False), (Filters(alert_kind="safety"), False),
    (Filters(since=datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)), False),
    (Filters(since=datetime(2026, 11, 2, 5, 0, tzinfo=timezone(timedelta(hours=5)))), True),
    (Filters(until=datetime(2026, 11, 2)), True),  # naive: UTC, as the store takes it
    (Filters(team=""), False),
])
def test_which_filters_the_rollups_answer(filters: Filters, rolled: bool) -> None:
    assert rollup_queries.servable(filters) is rolled


def test_a_period_excludes_conversations_without_a_start(store: Store) -> None:
    store.save(conversation("n-1", "a-1", started_at=None), evaluation("n-1", 70.0))
    store.save(conversation("n-2", "a-1"), evaluation("n-2", 90.0))
    until = Filters(until=datetime(2026, 12, 1, tzinfo=timezone.utc))
    assert [(r.key, r.evaluations) for r in store.report("agent", until)] == [("a-1", 1)]
    assert [(r.key, r.evaluations) for r in store.report("day")] == [("2026-11-02", 1),
                                                                     (None, 1)]


def test_concurrent_writers_keep_the_rollups_exact(store: Store) -> None:
    """Two writers re-ingesting overlapping conversations at once (the advisory lock on
    PostgreSQL, the single writer on SQLite) leave the sums a rebuild would make."""
    import threading

    def write(seed: int) -> None:
        rng = random.Random(seed)
        ids = [f"c-{i:03d}" for i in range(60)]
        writer = Store(store.url)
        try:
            for _ in range(4):
                writer.save_many([_random_pair(rng, cid) for cid in rng.sample(ids, 30)],
                                 batch_size=10)
        finally:
            writer.close()

    threads = [threading.Thread(target=write, args=(seed,)) for seed in (11, 12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kept = _rows(store)
    store.rebuild_rollups()
    assert _rows(store) == kept


def _bulk_batch(store: Store, batch: list[tuple[Conversation, Evaluation | None]]) -> None:
    """One batch of a bulk load that stopped before its refresh."""
    with Session(store.engine) as session, session.begin():
        write_batch(session, batch, datetime.now(timezone.utc), bulk=True)


def _stale(store: Store) -> list[str]:
    with store.engine.connect() as connection:
        return rollups.stale_days(connection)


def test_a_stopped_bulk_load_leaves_its_days_to_the_raw_tables(store: Store) -> None:
    on_day = {"started_at": "2026-11-03T10:00:00+00:00"}
    store.save(conversation("s-1", "a-1", **on_day), evaluation("s-1", 80.0))
    moved = conversation("s-1", "a-1", started_at="2026-11-05T23:30:00-02:00")  # the 6th, UTC
    _bulk_batch(store, [(moved, evaluation("s-1", 20.0, False)),
                        (conversation("s-2", "a-2", started_at=None), evaluation("s-2", 60.0))])
    assert _stale(store) == ["", "2026-11-03", "2026-11-06"]  # before, after, no start time
    raw = Store(store.url)
    raw.use_rollups = False
    try:
        for filters in (Filters(), Filters(since=DAY0, until=datetime(2026, 11, 4)),
                        Filters(since=datetime(2026, 11, 4), until=datetime(2026, 11, 6))):
            assert _all_reports(store, filters) == _all_reports(raw, filters), filters
        assert not store._rolled(Filters())  # a stale day inside: the raw tables answer
        assert not store._rolled(Filters(since=datetime(2026, 11, 6)))
        assert store._rolled(Filters(since=datetime(2026, 11, 4), until=datetime(2026, 11, 6)))
        store.refresh_rollups(days_at_once=1)
        assert _stale(store) == [] and store._rolled(Filters())
        assert [(r.agent_id, r.mean_score) for r in store.leaderboard()] == [
            ("a-2", 60.0), ("a-1", 20.0)]
        kept = _rows(store)
        store.rebuild_rollups()
        assert _rows(store) == kept
        for filters in FILTERS:
            assert _all_reports(store, filters) == _all_reports(raw, filters), filters
    finally:
        raw.close()


def _assert_as_raw_tables_and_rebuild(store: Store) -> None:
    """The rollups answer every report as the raw tables do, and a rebuild keeps them."""
    raw = Store(store.url)
    raw.use_rollups = False
    try:
        for filters in FILTERS:
            assert _all_reports(store, filters) == _all_reports(raw, filters), filters
    finally:
        raw.close()
    kept = _rows(store)
    store.rebuild_rollups()
    assert _rows(store) == kept


REVIEW_KINDS = ["review", "review", "resolution", "calibration"]


def review_at_random(store: Store, rng: random.Random, cid: str, at: datetime) -> None:
    """A review row as the review service writes it (any kind, status and scorecard; only
    a submitted review or resolution of the conversation's own scorecard is final), and
    the final columns refreshed in the same transaction."""
    from serviceqa.store import finals
    from serviceqa.store.schema_review import ReviewRow, ReviewVerdictRow

    submitted = rng.random() < 0.8
    with store.engine.begin() as connection:
        review_id = connection.execute(insert(ReviewRow).values(
            conversation_id=cid, reviewer_id=None,
            scorecard=rng.choice(["chat", "chat", "phone"]),
            kind=rng.choice(REVIEW_KINDS), status="submitted" if submitted else "draft",
            score=rng.choice([None, 0.0, 55.5, round(rng.uniform(0, 100), 3)]),
            passed=rng.random() < 0.5, auto_score=None, created_at=at,
            submitted_at=at if submitted else None)).inserted_primary_key[0]
        connection.execute(insert(ReviewVerdictRow), [
            {"review_id": review_id, "criterion_id": c, "auto_result": None, "comment": None,
             "result": rng.choice(["pass", "fail", "na"])} for c in rng.sample(CRITERIA, 3)])
        finals.refresh_tracked(connection, [cid])


def _history_with_reviews(store: Store, seed: int) -> None:
    """Writes as `_history`, with reviews between them: a re-ingest must keep a review of
    the same scorecard final, and every review must move the rollups."""
    rng = random.Random(seed)
    ids = [f"c-{i:03d}" for i in range(60)]
    at = DAY0
    for _ in range(5):
        store.save_many([_random_pair(rng, cid) for cid in rng.sample(ids, 25)],
                        batch_size=rng.choice([7, 50]))
        for cid in rng.sample(sorted(store.existing_ids(ids)), 12):
            at += timedelta(minutes=1)
            review_at_random(store, rng, cid, at)


@pytest.mark.parametrize("seed", [4, 5])
def test_rollups_with_reviews_answer_as_the_raw_tables_and_a_rebuild(store: Store,
                                                                      seed: int) -> None:
    _history_with_reviews(store, seed)
    with store.engine.connect() as connection:
        reviewed = connection.scalar(select(func.count()).where(
            EvaluationRow.final_review_id.is_not(None)))
    assert reviewed  # the history did make some human scores final
    _assert_as_raw_tables_and_rebuild(store)


def test_a_bulk_load_refreshes_what_an_earlier_one_left(store: Store) -> None:
    _bulk_batch(store, [(conversation("o-1", "a-1"), evaluation("o-1", 70.0))])
    assert _stale(store)
    store.save_many([(conversation("o-2", "a-2"), evaluation("o-2", 50.0))], bulk=True)
    assert _stale(store) == []
    assert [r.agent_id for r in store.leaderboard()] == ["a-1", "a-2"]


def test_rebuilding_clears_the_stale_days(store: Store) -> None:
    _bulk_batch(store, [(conversation("r-1", "a-1"), evaluation("r-1", 70.0))])
    store.rebuild_rollups()
    assert _stale(store) == [] and [r.agent_id for r in store.leaderboard()] == ["a-1"]


def _stale_history(store: Store) -> list[str]:
    """Bulk batches over several days that stopped before their refresh."""
    rng = random.Random(9)
    for start in range(0, 60, 20):
        _bulk_batch(store, [_random_pair(rng, f"p-{i:03d}") for i in range(start, start + 20)])
    return _stale(store)


def test_two_refreshes_at_once_share_the_days_out(store: Store) -> None:
    """The second refresh does not wait for the first (nor recompute its day): it takes
    the days the first has not claimed. Both together leave what a rebuild gives."""
    days = _stale_history(store)
    assert len(days) > 2
    with store.engine.connect() as first, store.engine.connect() as second:
        with first.begin():
            assert rollups.refresh(first, 1) == 1  # holds its day (and the lock) until commit
            if second.dialect.name == "postgresql":  # fail, not hang, if it would wait
                with second.begin():
                    second.exec_driver_sql("SET LOCAL lock_timeout = '5s'")
                    assert rollups.refresh(second, None) == len(days) - 1
        if second.dialect.name != "postgresql":  # one writer at a time: one after the other
            with second.begin():
                assert rollups.refresh(second, None) == len(days) - 1
    assert _stale(store) == []
    kept = _rows(store)
    store.rebuild_rollups()
    assert _rows(store) == kept


@pytest.mark.parametrize("workers", [1, 3])
def test_a_refresh_with_workers_leaves_what_a_rebuild_gives(store: Store, workers: int) -> None:
    assert len(_stale_history(store)) > workers
    store.refresh_rollups(days_at_once=31, workers=workers)
    assert _stale(store) == []
    _assert_as_raw_tables_and_rebuild(store)


def test_a_writer_waits_for_a_refresh_under_way(store: Store) -> None:
    """A refresh holds the writers' lock shared; a writer still cannot take it meanwhile."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time by itself")
    _stale_history(store)
    with store.engine.connect() as refresher, store.engine.connect() as writer:
        with refresher.begin():
            rollups.refresh(refresher, 1)
            with writer.begin():
                writer.exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
                with pytest.raises(Exception, match="lock timeout"):
                    rollups.lock_connection(writer)
