"""`Store`: the one entry point the rest of ServiceQA uses to save and read results."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from itertools import islice
from typing import Any

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from serviceqa.errors import Conflict, NotFound
from serviceqa.model import Conversation, Evaluation
from serviceqa.store import migrate, queries, rollup_queries, rollups
from serviceqa.store.accounts import Accounts
from serviceqa.store.counts import CountCache
from serviceqa.store.engine import make_engine
from serviceqa.store.filters import Filters
from serviceqa.store.queries import NO_FILTERS, Dimension
from serviceqa.store.rows import (AlertItem, ConversationSummary, CriterionPassRate,
                                  FinalScore, LeaderboardRow, Page, ReportRow)
from serviceqa.store.schema import (AlertAcknowledgementRow, AlertRow, ConversationRow,
                                    EvaluationRow, ScorecardRow)
from serviceqa.store.writer import (Pair, Prepared, check_pair, prepare, write_batch,
                                    write_prepared)


def _checked(batch: list[Pair]) -> list[Pair]:
    for conversation, evaluation in batch:
        check_pair(conversation, evaluation)
    return batch


def _now() -> datetime:
    return datetime.now(timezone.utc)


MEAN_DIGITS = 9
REFRESH_DAYS = 31  # stale days recomputed per transaction by `refresh_rollups`
REFRESH_WORKERS = 2  # PostgreSQL connections recomputing stale days at once


def stable_mean(value: float | None) -> float | None:
    """An AVG() rounded to 9 decimals: SQLite and PostgreSQL sum floats differently and in
    any order, so the last bits differ (28.86666666666666 against 28.866666666666667)."""
    return None if value is None else round(value, MEAN_DIGITS)


def _figures(evaluations: Any, scored: Any, score_micro: Any, passed: Any,
             alerts: Any) -> tuple[int, float | None, float, int]:
    """(evaluations, mean score, pass rate, alerts) from rollup sums (PostgreSQL returns
    SUM of integers as Decimal)."""
    evaluations, scored = int(evaluations), int(scored)
    mean = stable_mean(int(score_micro) / 1_000_000 / scored) if scored else None
    return evaluations, mean, round(int(passed) / evaluations, MEAN_DIGITS), int(alerts)


class Store:
    """Conversations and evaluations in SQLite or PostgreSQL, idempotent by conversation id.

    SQLite allows one writer at a time: keep one Store writing per database file.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.accounts = Accounts(self.engine)
        self.counts = CountCache(self.engine)
        self.use_rollups = True  # False: every report reads the raw tables (tests, benchmarks)

    def _rolled(self, filters: Filters) -> bool:
        """Whether the rollups answer a report over `filters` (no stale day in it)."""
        return self._from_rollups(filters, None) is not None

    def _from_rollups(self, filters: Filters, query: Any) -> list[Any] | None:
        """The rows of the rollup `query` (None: only check), or None when the rollups
        cannot answer: a filter they are not keyed by, or a stale day in the period. The
        check and the query share one connection."""
        if not (self.use_rollups and rollup_queries.servable(filters)):
            return None
        with self.engine.connect() as connection:
            if rollups.has_stale_days(connection, *rollup_queries.days(filters)):
                return None
            return [] if query is None else list(connection.execute(query).all())

    def rebuild_rollups(self) -> None:
        """Recompute the report rollups from the raw tables, in one transaction."""
        with self.engine.begin() as connection:
            rollups.lock_connection(connection)
            rollups.rebuild(connection)

    def refresh_rollups(self, days_at_once: int = REFRESH_DAYS,
                        workers: int = REFRESH_WORKERS) -> None:
        """Recompute the days a bulk write left stale, a few days a transaction (each
        holds the writers' lock, so other writers wait for one part, not for all). On
        PostgreSQL `workers` connections do so at once: one INSERT ... SELECT runs in one
        server process, so a single refresh leaves the server's other cores idle."""
        if workers <= 1 or self.engine.dialect.name != "postgresql":
            self._refresh_until_done(days_at_once)
            return
        with self.engine.connect() as connection:
            stale = len(rollups.stale_days(connection))
        days_at_once = max(1, min(days_at_once, -(-stale // workers)))  # an even share
        with ThreadPoolExecutor(max_workers=workers,
                                thread_name_prefix="serviceqa-refresh") as pool:
            for part in [pool.submit(self._refresh_until_done, days_at_once)
                         for _ in range(workers)]:
                part.result()

    def _refresh_until_done(self, days_at_once: int) -> None:
        while True:
            with self.engine.begin() as connection:
                if not rollups.refresh(connection, days_at_once):
                    return

    def close(self) -> None:
        self.engine.dispose()

    def upgrade(self) -> None:
        """Create or migrate the tables to the newest schema."""
        migrate.upgrade(self.engine)

    def save(self, conversation: Conversation, evaluation: Evaluation | None = None) -> None:
        self.save_many([(conversation, evaluation)])

    def save_many(self, pairs: Iterable[Pair], batch_size: int = 500,
                  bulk: bool = False) -> int:
        """Save pairs from a stream, one transaction per batch; returns how many were read.

        Only one batch is held in memory (two in a bulk load). A batch that fails is rolled
        back alone; batches committed before it stay.

        `bulk` (a load of many batches): while a writer thread stores one batch, this
        thread reads and prepares the next, so the database's work and Python's overlap;
        the days written are marked stale instead of having their rollups kept batch by
        batch, and are recomputed at the end. If the load stops early they stay stale
        (reports read the raw tables for them) until the next bulk load or
        `serviceqa db rollups`.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if bulk:
            saved = self._load(iter(pairs), batch_size)
            self.refresh_rollups()
            return saved
        iterator, saved = iter(pairs), 0
        while batch := _checked(list(islice(iterator, batch_size))):
            with Session(self.engine) as session, session.begin():
                write_batch(session, batch, _now())
            saved += len(batch)
        return saved

    def _load(self, iterator: Iterator[Pair], batch_size: int) -> int:
        use_copy = self.engine.dialect.name == "postgresql"
        saved, pending = 0, None

        def settle() -> None:
            """Wait for the batch in the writer; its error, if any, is raised here."""
            nonlocal saved, pending
            if pending is not None:
                future, count = pending
                pending = None
                future.result()
                saved += count

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="serviceqa-writer") as writer:
            try:
                while batch := _checked(list(islice(iterator, batch_size))):
                    prepared = prepare(batch, _now(), use_copy)
                    settle()
                    pending = (writer.submit(self._write_bulk, prepared), len(batch))
                settle()
            except BaseException:
                settle()  # the batch before the failure commits, or its own error wins
                raise
        return saved

    def _write_bulk(self, prepared: Prepared) -> None:
        with Session(self.engine) as session, session.begin():
            write_prepared(session, prepared, bulk=True)

    def get_conversation(self, conversation_id: str) -> Conversation:
        query = select(ConversationRow.data).where(ConversationRow.id == conversation_id)
        return Conversation.model_validate(self._data(query, f"conversation {conversation_id!r}"))

    def get_evaluation(self, conversation_id: str) -> Evaluation:
        query = select(EvaluationRow.data).where(EvaluationRow.conversation_id == conversation_id)
        return Evaluation.model_validate(self._data(query, f"evaluation of {conversation_id!r}"))

    def final_score(self, conversation_id: str) -> FinalScore | None:
        """The final score of a scored conversation (None: not scored)."""
        E = EvaluationRow
        query = select(E.final_score, E.final_passed, E.final_review_id).where(
            E.conversation_id == conversation_id)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else FinalScore(*row)

    def _data(self, query: Select[dict[str, Any]], what: str) -> dict[str, Any]:
        with self.engine.connect() as connection:
            data: dict[str, Any] | None = connection.scalar(query)
        if data is None:
            raise NotFound(f"no {what}")
        return data

    def existing_ids(self, ids: list[str]) -> set[str]:
        """Which of `ids` are stored already (to tell a create from an update)."""
        if not ids:
            return set()
        with self.engine.connect() as connection:
            return set(connection.scalars(select(ConversationRow.id)
                                          .where(ConversationRow.id.in_(ids))))

    def count_conversations(self) -> int:
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(ConversationRow)) or 0

    def leaderboard(self, limit: int = 20,
                    filters: Filters = NO_FILTERS) -> list[LeaderboardRow]:
        rolled = self._from_rollups(filters, rollup_queries.leaderboard(filters))
        if rolled is not None:
            rows = [LeaderboardRow(r[0], r[1] or None, r[2] or None, *_figures(*r[3:]))
                    for r in rolled]
            rows.sort(key=lambda row: (row.mean_score is None, -(row.mean_score or 0.0)))
            return rows[:limit]  # a stable sort: ties stay in agent id order
        with self.engine.connect() as connection:
            raw = connection.execute(queries.leaderboard(limit, filters)).all()
        return [LeaderboardRow(agent_id=r[0], agent_name=r[1], team=r[2], evaluations=r[3],
                               mean_score=stable_mean(r[4]), pass_rate=round(r[5], MEAN_DIGITS),
                               alerts=int(r[6])) for r in raw]

    def report(self, by: Dimension, filters: Filters = NO_FILTERS) -> list[ReportRow]:
        """Aggregates per agent, team, channel, language, day or week of `started_at`."""
        if by not in queries.DIMENSIONS:
            raise ValueError(f"cannot group by {by!r}; one of {', '.join(queries.DIMENSIONS)}")
        rolled = self._from_rollups(filters, rollup_queries.report(by, filters))
        if rolled is not None:
            rows = [ReportRow(r[0] or None, *_figures(*r[1:])) for r in rolled]
            return sorted(rows, key=lambda row: (row.key is None, row.key or ""))
        with self.engine.connect() as connection:
            raw = connection.execute(queries.report(by, filters)).all()
        return [ReportRow(r[0], int(r[1]), stable_mean(r[2]), round(r[3], MEAN_DIGITS),
                          int(r[4])) for r in raw]

    def _items(self, family: str, filters: Filters) -> list[tuple[str, int, int, int]] | None:
        """(item, n, passed, failed) from the rollups, or None when they cannot answer."""
        rows = self._from_rollups(filters, rollup_queries.items(family, filters))
        if rows is None:
            return None
        return [(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]

    def criterion_pass_rates(self, filters: Filters = NO_FILTERS) -> list[CriterionPassRate]:
        rolled = self._items("criterion", filters)
        if rolled is not None:
            return [CriterionPassRate(item, passed, failed, n - passed - failed)
                    for item, n, passed, failed in rolled]
        with self.engine.connect() as connection:
            rows = connection.execute(queries.criterion_counts(filters)).all()
        return [CriterionPassRate(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]

    def alert_counts(self, filters: Filters = NO_FILTERS) -> dict[str, int]:
        rolled = self._items("alert", filters)
        if rolled is not None:
            return {item: n for item, n, _, _ in rolled}
        with self.engine.connect() as connection:
            return {kind: int(n) for kind, n in connection.execute(queries.alert_counts(filters))}

    def customer_type_counts(self, filters: Filters = NO_FILTERS) -> dict[str, int]:
        rolled = self._items("customer_type", filters)
        if rolled is not None:
            return {item: n for item, n, _, _ in rolled}
        with self.engine.connect() as connection:
            rows = connection.execute(queries.customer_type_counts(filters))
            return {kind: int(n) for kind, n in rows}

    def recent_alerts(self, limit: int = 50) -> list[AlertItem]:
        """Safety first (a threat outranks everything), then newest; as the alert list."""
        return self.list_alerts(limit=limit).items

    def _page(self, queries_: tuple[Any, Any], limit: int, offset: int,
              key: Any) -> tuple[int, list[Any]]:
        rows_query, count_query = queries_
        return self._counted((rows_query.limit(limit).offset(offset), count_query), key)

    def _counted(self, queries_: tuple[Any, Any], key: Any) -> tuple[int, list[Any]]:
        """(count, rows) of a page whose query is already cut to the page; `key` names the
        count (the list and its filters) for `self.counts`."""
        rows_query, count_query = queries_
        with self.engine.connect() as connection:
            total = self.counts.total(key, lambda: int(connection.scalar(count_query) or 0))
            rows = connection.execute(rows_query).all()
        return total, list(rows)

    def list_conversations(self, filters: Filters = NO_FILTERS, limit: int = 50,
                           offset: int = 0) -> Page:
        """Conversations newest first, scored or not; score filters keep only scored ones."""
        total, rows = self._counted(queries.conversation_page(filters, False, limit, offset),
                                    ("conversations", filters))
        return Page(total, limit, offset, [ConversationSummary(*row) for row in rows])

    def list_evaluations(self, filters: Filters = NO_FILTERS, limit: int = 50,
                         offset: int = 0) -> Page:
        page = self.list_evaluation_texts(filters, limit, offset)
        return Page(page.total, limit, offset,
                    [Evaluation.model_validate_json(text) for text in page.items])

    def list_evaluation_texts(self, filters: Filters = NO_FILTERS, limit: int = 50,
                              offset: int = 0) -> Page:
        """`list_evaluations` with each evaluation as its stored JSON text, for a caller
        that only passes it on (`output.stored_evaluation_dict`)."""
        total, rows = self._counted(queries.evaluation_page(filters, limit, offset),
                                    ("evaluations", filters))
        return Page(total, limit, offset, [row[0] for row in rows])

    def list_alerts(self, filters: Filters = NO_FILTERS, kind: str | None = None,
                    acknowledged: bool | None = None, limit: int = 50, offset: int = 0) -> Page:
        total, rows = self._page(queries.alert_page(filters, kind, acknowledged), limit, offset,
                                 ("alerts", filters, kind, acknowledged))
        return Page(total, limit, offset, [AlertItem(*row) for row in rows])

    def get_alert(self, alert_id: int) -> AlertItem:
        query = queries.alert_page(NO_FILTERS, None, None)[0].where(AlertRow.id == alert_id)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None:
            raise NotFound(f"no alert {alert_id}")
        return AlertItem(*row)

    def acknowledge(self, alert_id: int, by: str | None) -> AlertItem:
        """Mark the alert handled; again is a no-op that keeps the first acknowledgement."""
        alert = self.get_alert(alert_id)
        if not alert.acknowledged:
            with Session(self.engine) as session, session.begin():
                session.add(AlertAcknowledgementRow(conversation_id=alert.conversation_id,
                                                    kind=alert.kind, acknowledged_by=by,
                                                    acknowledged_at=_now()))
                session.execute(update(AlertRow)
                                .where(AlertRow.conversation_id == alert.conversation_id,
                                       AlertRow.kind == alert.kind)
                                .values(acknowledged=True))
        return self.get_alert(alert_id)

    def scorecard_names(self) -> list[str]:
        with self.engine.connect() as connection:
            return list(connection.scalars(select(ScorecardRow.name)
                                           .order_by(ScorecardRow.name)))

    def get_scorecard(self, name: str) -> ScorecardRow:
        with Session(self.engine) as session:
            row = session.get(ScorecardRow, name)
            if row is None:
                raise NotFound(f"no scorecard {name!r}")
            session.expunge(row)
            return row

    def save_scorecard(self, name: str, yaml_text: str, by: str | None,
                       create: bool) -> None:
        """Create (`create`: the name must be new) or replace a stored scorecard's YAML."""
        now = _now()
        try:
            with Session(self.engine) as session, session.begin():
                row = session.get(ScorecardRow, name)
                if create and row is not None:
                    raise Conflict(f"scorecard {name!r} exists; PUT it to change it")
                if row is None and not create:
                    raise NotFound(f"no scorecard {name!r}")
                if row is None:
                    session.add(ScorecardRow(name=name, yaml=yaml_text, created_at=now,
                                             updated_at=now, updated_by=by))
                else:
                    row.yaml, row.updated_at, row.updated_by = yaml_text, now, by
        except IntegrityError as exc:  # two creates of one name at once
            raise Conflict(f"scorecard {name!r} exists") from exc

    def delete_scorecard(self, name: str) -> None:
        with self.engine.begin() as connection:
            deleted = connection.execute(delete(ScorecardRow).where(ScorecardRow.name == name))
        if not deleted.rowcount:
            raise NotFound(f"no scorecard {name!r}")
