"""Keep the report rollups (`schema_rollups.py`) equal to what the raw tables add up to.

Every write goes through `tracking(session, ids)`: it sums what the conversations `ids`
contribute to the rollups before the write and after it, in the same transaction, and adds
the difference. Both sums are the same SQL (`_group_sums`, `_item_sums`) that `rebuild`
runs over the whole store, so maintained and rebuilt rollups cannot disagree.

A bulk write (`Store.save_many(bulk=True)`, a rescore into the store) goes through
`deferred(session, ids)` instead: it marks the days those conversations are on, before and
after the write, as stale, and `refresh` recomputes the stale days from the raw tables
(the same SQL again, restricted to those days) when the bulk write ends. Keeping the sums
row by row cost a 100k load into PostgreSQL two thirds of its time, because a batch in
random order touches tens of thousands of rollup rows; a day's recomputation is set-based.
Until a day is refreshed, reports over it read the raw tables (`Store._rolled`). Refreshes
may run side by side (`Store.refresh_rollups(workers=…)`, on PostgreSQL): each claims its
own stale days.

Several writers may run at once (server processes, a CLI ingest beside the server); the
"before" sum is only right if nobody else changes those conversations until we commit, so
writers take a lock first: one transaction-level advisory lock on PostgreSQL, the write
lock on SQLite. Scoring happens before the write, so the lock serialises only the
database work. `tests/store/test_rollups.py` has two writers race on both backends.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

from psycopg import sql
from sqlalchemy import (Engine, Integer, and_, cast, delete, func, insert, inspect, literal,
                        select, text)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.ext.compiler import compiles

from serviceqa.store.portable import day_of, week_of
from serviceqa.store.schema import (AlertRow, ConversationRow, CriterionResultRow,
                                    CustomerTypeRow, EvaluationRow)
from serviceqa.store.schema_rollups import (NONE, RollupGroupRow, RollupItemRow,
                                            RollupSliceItemRow, RollupStaleDayRow)

C, E = ConversationRow, EvaluationRow
Key = tuple[str, ...]
Sums = dict[Key, tuple[int, ...]]
LOCK = 0x5E41_0A11  # pg_advisory_xact_lock key of the store's writers

GROUP_KEY = ("day", "agent_id", "agent_name", "team", "channel", "language")
GROUP_SUMS = ("evaluations", "scored", "score_micro", "passed", "alerts")
ITEM_KEY = ("family", "day", "agent_id", "team", "channel", "language", "item")
SLICE_KEY = ("family", "dimension", "value", "day", "item")
SLICED_BY = ("agent_id", "team", "channel", "language")
ITEM_SUMS = ("n", "passed", "failed")


class micro(FunctionElement[int]):  # noqa: N801 - reads like the SQL it compiles to
    """A score in whole millionths of a point, rounded half up (scores are 0-100)."""

    type = Integer()
    name = "micro"
    inherit_cache = True


@compiles(micro)
def _micro_sqlite(element: micro, compiler: Any, **kw: Any) -> str:
    # For non-negative x, CAST truncates, so CAST(x + 0.5) is floor(x + 0.5).
    return f"CAST(({compiler.process(element.clauses, **kw)}) * 1000000 + 0.5 AS INTEGER)"


@compiles(micro, "postgresql")
def _micro_pg(element: micro, compiler: Any, **kw: Any) -> str:
    return f"CAST(floor(({compiler.process(element.clauses, **kw)}) * 1000000 + 0.5) AS BIGINT)"


def _or_none(column: Any) -> Any:
    return func.coalesce(column, NONE)


def _keys() -> dict[str, Any]:
    """The key columns of a conversation, as `rollup_*` stores them."""
    return {"day": _or_none(day_of(C.started_at)), "agent_id": _or_none(C.agent_id),
            "agent_name": _or_none(C.agent_name), "team": _or_none(C.team),
            "channel": _or_none(C.channel), "language": _or_none(C.language)}


def _flag(condition: Any) -> Any:
    return func.coalesce(func.sum(cast(condition, Integer)), 0)


class Among:
    """Which conversations a sum covers: all (`EVERYTHING`), some ids, or some days."""

    def __init__(self, ids: Sequence[str] | None = None,
                 days: Sequence[str] | None = None) -> None:
        self.ids, self.days = ids, days

    def conversations(self) -> Any:
        """A condition on `conversations`, or None for all of them."""
        if self.ids is not None:
            return C.id.in_(self.ids)
        if self.days is None:
            return None
        on_days = _or_none(day_of(C.started_at)).in_(self.days)
        if NONE in self.days:
            return on_days
        # The same days as a range of started_at, which its index can find.
        first, last = min(self.days), max(self.days)
        return and_(on_days, C.started_at >= _moment(first, 0), C.started_at < _moment(last, 1))

    def children(self, model: Any) -> Any:
        """A condition on a child table of conversations, or None."""
        if self.ids is not None:
            return model.conversation_id.in_(self.ids)
        if self.days is None:
            return None
        return model.conversation_id.in_(select(C.id).where(self.conversations()))


EVERYTHING = Among()


def _moment(day: str, offset: int) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc) + timedelta(days=offset)


def _group_sums(among: Among) -> Any:
    """Per group key (then week): evaluations, scored, score_micro, passed, alerts; of the
    final scores (the human review's where one applies, `finals.py`)."""
    keys = _keys()
    alerts = select(AlertRow.conversation_id, func.count().label("n"))
    if among.children(AlertRow) is not None:
        alerts = alerts.where(among.children(AlertRow))
    per_conversation = alerts.group_by(AlertRow.conversation_id).subquery("alerts_of")
    group = [keys[k] for k in GROUP_KEY]
    query = (select(*group, func.max(_or_none(week_of(C.started_at))),
                    func.count(), func.count(E.final_score),
                    func.coalesce(func.sum(micro(E.final_score)), 0), _flag(E.final_passed),
                    func.coalesce(func.sum(per_conversation.c.n), 0))
             .select_from(C).join(E, E.conversation_id == C.id)
             .outerjoin(per_conversation, per_conversation.c.conversation_id == C.id)
             .group_by(*group))
    condition = among.conversations()
    return query.where(condition) if condition is not None else query


def _item_sums(among: Among) -> list[Any]:
    """Per item key: (n, passed, failed) of criteria, alert kinds and customer types."""
    keys = _keys()
    head = [keys[k] for k in ITEM_KEY if k in keys]
    queries = []
    sources: tuple[tuple[str, Any, Any, Any, Any], ...] = (
        ("criterion", CriterionResultRow, CriterionResultRow.criterion_id,
         _flag(CriterionResultRow.final_result == "pass"),
         _flag(CriterionResultRow.final_result == "fail")),
        ("alert", AlertRow, AlertRow.kind, literal(0), literal(0)),
        ("customer_type", CustomerTypeRow, CustomerTypeRow.type, literal(0), literal(0)),
    )
    for family, model, item, passed, failed in sources:
        query = (select(literal(family), *head, item, func.count(), passed, failed)
                 .select_from(model).join(C, C.id == model.conversation_id)
                 .group_by(*head, item))
        # ids: the child table's own index; days: the days' conversations, joined already
        condition = among.children(model) if among.ids is not None else among.conversations()
        if condition is not None:
            query = query.where(condition)
        queries.append(query)
    return queries


def lock(session: Session) -> None:
    """Wait until no other writer of this database is inside `tracking` (PostgreSQL)."""
    lock_connection(session.connection())


def lock_connection(connection: Connection, shared: bool = False) -> None:
    """`shared`: a refresh, which several may hold at once (they take their days apart,
    see `refresh`); a writer's lock excludes them all, and they exclude it."""
    if connection.dialect.name == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        connection.execute(text(f"SELECT {function}(:key)"), {"key": LOCK})
    elif connection.dialect.name == "sqlite":
        # Python's sqlite3 opens the transaction at the first write, so the "before" sums
        # would be read outside it, and another process could commit in between. A write
        # that changes nothing takes the database's write lock (and the transaction) now.
        connection.execute(text("DELETE FROM rollup_groups WHERE 0"))


class Snapshot:
    """What a set of conversations adds to each rollup table."""

    def __init__(self, session: Session, ids: Sequence[str]) -> None:
        self.groups: Sums = {}
        self.weeks: dict[Key, str] = {}
        self.items: Sums = {}
        if not ids:
            return
        among = Among(ids=ids)
        for row in session.execute(_group_sums(among)):
            key = tuple(row[:len(GROUP_KEY)])
            self.weeks[key] = row[len(GROUP_KEY)]
            self.groups[key] = tuple(int(v) for v in row[len(GROUP_KEY) + 1:])
        for query in _item_sums(among):
            for row in session.execute(query):
                self.items[tuple(row[:len(ITEM_KEY)])] = tuple(int(v) for v in row[len(ITEM_KEY):])


def _difference(after: Sums, before: Sums) -> Sums:
    changed = {}
    for key in after.keys() | before.keys():
        new, old = after.get(key), before.get(key)
        width = len(new or old or ())
        delta = tuple(a - b for a, b in zip(new or (0,) * width, old or (0,) * width))
        if any(delta):
            changed[key] = delta
    return changed


def _slices(items: Sums) -> Sums:
    """Item sums per (family, dimension, value, day, item): each key's sums go to the
    slice of each of its values and to the unfiltered slice ('', '').

    Plain tuples and dict.get: this runs for every item key of every write (a batch of
    100 new conversations makes ~8,000 slice keys), and was half the rollups' time."""
    slices: dict[Key, tuple[int, ...]] = {}
    get = slices.get
    dimensions = ("", *SLICED_BY)
    for key, (n, passed, failed) in items.items():
        family, day, item = key[0], key[1], key[-1]
        for dimension, value in zip(dimensions, (NONE, *key[2:-1])):
            where = (family, dimension, value, day, item)
            old = get(where)
            slices[where] = (n, passed, failed) if old is None else \
                (old[0] + n, old[1] + passed, old[2] + failed)
    return {key: sums for key, sums in slices.items() if any(sums)}


_UPSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def _add(session: Session, model: type[Any], names: Sequence[str], sums_names: Sequence[str],
         sums: Sums, extra: tuple[str, dict[Key, Any]] | None = None) -> None:
    """Add `sums` to the rows of `model` (creating missing ones), in key order so two
    writers could never lock rows in opposite orders. `extra`: one more column, and its
    value per key (the week of a group's day)."""
    if not sums:
        return
    table = model.__table__.name
    columns = [*names, *sums_names]
    if extra is None:
        rows = [key + sums[key] for key in sorted(sums)]
    else:
        columns.append(extra[0])
        rows = [key + sums[key] + (extra[1][key],) for key in sorted(sums)]
    if session.get_bind().dialect.name == "postgresql":
        _copy_add(session, table, names, sums_names, columns, rows)
    else:
        _sqlite_add(session, table, names, sums_names, columns, rows)


def _sqlite_add(session: Session, table: str, names: Sequence[str], sums_names: Sequence[str],
                columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """The upsert of `_add` on SQLite, as one executemany on the driver's cursor: the
    values are plain strings and integers, and SQLAlchemy's per-row parameter handling
    (Core's, let alone the ORM's) was most of the rollup step's time on an API ingest."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    added = ", ".join(f'"{c}" = "{c}" + excluded."{c}"' for c in sums_names)
    keys = ", ".join(f'"{c}"' for c in names)
    statement = (f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(columns))}) '
                 f"ON CONFLICT ({keys}) DO UPDATE SET {added}")
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        cursor.executemany(statement, rows)
    finally:
        cursor.close()


def _copy_add(session: Session, table: str, names: Sequence[str], sums_names: Sequence[str],
              columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """The upsert of `_add` on PostgreSQL: COPY into a temporary table, then one
    INSERT ... SELECT ... ON CONFLICT, instead of one statement per rollup row (a batch of
    1,000 conversations makes tens of thousands). Measured, it did not move PostgreSQL's
    ingest (523/s with the rollups against 1,825 without): the before/after sums cost more
    (benchmarks/README.md)."""
    stage = sql.Identifier(f"serviceqa_stage_{table}")
    listed = sql.SQL(", ").join(map(sql.Identifier, columns))
    added = sql.SQL(", ").join(sql.SQL("{0} = {1}.{0} + EXCLUDED.{0}").format(
        sql.Identifier(name), sql.Identifier(table)) for name in sums_names)
    keys = sql.SQL(", ").join(map(sql.Identifier, names))
    ordered = sql.SQL(", ").join(sql.SQL("{} COLLATE \"C\"").format(sql.Identifier(n))
                                 for n in names)
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor:
        cursor.execute(sql.SQL("CREATE TEMPORARY TABLE IF NOT EXISTS {} (LIKE {}) "
                               "ON COMMIT DELETE ROWS").format(stage, sql.Identifier(table)))
        with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(stage, listed)) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} ORDER BY {} "
                               "ON CONFLICT ({}) DO UPDATE SET {}")
                       .format(sql.Identifier(table), listed, listed, stage, ordered, keys,
                               added))
        cursor.execute(sql.SQL("TRUNCATE {}").format(stage))


def _apply(session: Session, before: Snapshot, after: Snapshot) -> None:
    groups = _difference(after.groups, before.groups)
    weeks = {key: after.weeks.get(key, before.weeks.get(key)) for key in groups}
    _add(session, RollupGroupRow, GROUP_KEY, GROUP_SUMS, groups, ("week", weeks))
    items = _difference(after.items, before.items)
    _add(session, RollupItemRow, ITEM_KEY, ITEM_SUMS, items)
    _add(session, RollupSliceItemRow, SLICE_KEY, ITEM_SUMS, _slices(items))


_HAVE_ROLLUPS: weakref.WeakSet[Engine] = weakref.WeakSet()


def _have_rollups(session: Session) -> bool:
    """Whether the database is at 0007 or later. Older ones (a write during an upgrade, or a
    test of an old migration) have no rollups to keep: 0007 will sum what they hold."""
    engine = session.get_bind()
    if engine in _HAVE_ROLLUPS:
        return True
    if inspect(session.connection()).has_table(RollupGroupRow.__tablename__):
        _HAVE_ROLLUPS.add(engine)
        return True
    return False


@contextmanager
def tracking(session: Session, ids: Iterable[str]) -> Iterator[None]:
    """Around a write of conversations `ids` (and their evaluations) in `session`'s
    transaction: afterwards the rollups include the change."""
    if not _have_rollups(session):
        yield
        return
    ids = sorted(set(ids))
    lock(session)
    before = Snapshot(session, ids)
    yield
    session.flush()
    _apply(session, before, Snapshot(session, ids))


def _stale(session: Session, ids: Sequence[str]) -> None:
    """Mark the days the conversations `ids` are on now as stale."""
    day = _or_none(day_of(C.started_at))
    days = select(day).where(C.id.in_(ids)).distinct()
    statement = _UPSERT[session.get_bind().dialect.name](RollupStaleDayRow)
    session.execute(statement.from_select(["day"], days).on_conflict_do_nothing())


@contextmanager
def deferred(session: Session, ids: Iterable[str]) -> Iterator[None]:
    """Around a bulk write of conversations `ids`: the days they were on and are on
    afterwards are left for `refresh`. Takes the writers' lock like `tracking`, so a
    refresh never recomputes a day while a write to it is under way."""
    if not _have_rollups(session):
        yield
        return
    ids = sorted(set(ids))
    lock(session)
    _stale(session, ids)
    yield
    session.flush()
    _stale(session, ids)


def stale_days(connection: Connection) -> list[str]:
    return sorted(connection.scalars(select(RollupStaleDayRow.day)))


def has_stale_days(connection: Connection, since: str | None, until: str | None) -> bool:
    """Whether a day in [since, until) is stale (None: unbounded; '' is the no-day day)."""
    query = select(RollupStaleDayRow.day)
    if since is not None or until is not None:
        query = query.where(RollupStaleDayRow.day != NONE)
    if since is not None:
        query = query.where(RollupStaleDayRow.day >= since)
    if until is not None:
        query = query.where(RollupStaleDayRow.day < until)
    return connection.scalar(query.limit(1)) is not None


REFRESH_WORK_MEM = "128MB"


def _roomy(connection: Connection) -> None:
    """Give a recomputation (refresh or rebuild) more than the default 4 MB of `work_mem`,
    for this transaction only. After a bulk load of 100k conversations, grouping the 1.3M
    criterion rows by day and key sorted on disk (an INSERT ... SELECT runs in one
    process): 7.4-8.2 s; with 128 MB the planner hashes them, 3.6 s. The hash holds the
    groups (about 150k), not the rows, so it does not grow with the corpus."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SET LOCAL work_mem = '{REFRESH_WORK_MEM}'"))


def _fill(connection: Connection, among: Among) -> None:
    """Insert the sums of the conversations `among` covers, into rollups that hold none of
    them: every row of each day they are on, or of the whole store."""
    _roomy(connection)
    group_columns = [*GROUP_KEY, "week", *GROUP_SUMS]
    connection.execute(insert(RollupGroupRow).from_select(group_columns, _group_sums(among)))
    for query in _item_sums(among):
        connection.execute(insert(RollupItemRow).from_select([*ITEM_KEY, *ITEM_SUMS], query))
    I = RollupItemRow  # noqa: E741, N806
    for dimension in ("", *SLICED_BY):
        value = getattr(I, dimension) if dimension else literal(NONE)
        sliced = (select(I.family, literal(dimension), value, I.day, I.item, func.sum(I.n),
                         func.sum(I.passed), func.sum(I.failed))
                  .group_by(I.family, value, I.day, I.item))
        if among.days is not None:
            sliced = sliced.where(I.day.in_(among.days))
        connection.execute(insert(RollupSliceItemRow).from_select([*SLICE_KEY, *ITEM_SUMS],
                                                                  sliced))


ROLLUP_TABLES = (RollupGroupRow, RollupItemRow, RollupSliceItemRow)


def _claim(connection: Connection, limit: int | None) -> list[str]:
    """The first `limit` stale days (all when None) that no other refresh has claimed; on
    PostgreSQL their rows stay locked until this transaction ends."""
    query = select(RollupStaleDayRow.day).order_by(RollupStaleDayRow.day).limit(limit)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(connection.scalars(query))


def refresh(connection: Connection, limit: int | None = None) -> int:
    """Recompute up to `limit` stale days (all when None) from the raw tables, in the
    caller's transaction; returns how many days it recomputed (0: none was left to it).

    Several refreshes may run at once on PostgreSQL, each in its own transaction: they
    hold the writers' lock shared and claim their days with FOR UPDATE SKIP LOCKED, so
    the days are shared out, not recomputed twice. Days are disjoint, and so are the
    rollup rows each one deletes and inserts."""
    lock_connection(connection, shared=True)
    chosen = _claim(connection, limit)
    if chosen:
        for model in ROLLUP_TABLES:
            connection.execute(delete(model).where(model.day.in_(chosen)))
        _fill(connection, Among(days=chosen))
        connection.execute(delete(RollupStaleDayRow).where(RollupStaleDayRow.day.in_(chosen)))
    return len(chosen)


def rebuild(connection: Connection) -> None:
    """Recompute every rollup from the raw tables (migration 0007, `serviceqa db rollups`)."""
    for model in ROLLUP_TABLES:
        connection.execute(delete(model))
    _fill(connection, EVERYTHING)
    if inspect(connection).has_table(RollupStaleDayRow.__tablename__):  # 0007 runs before it
        connection.execute(delete(RollupStaleDayRow))
