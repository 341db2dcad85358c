"""Turn (Conversation, Evaluation) pairs into rows and write one batch in one transaction.

Re-ingesting an id updates the conversation row in place (keeping `ingested_at` and
anything later attached to it, such as reviews) and replaces everything derived from
the evaluation: delete-then-insert of the child rows, inside the same transaction.

The conversation row is written with INSERT ... ON CONFLICT (id) DO UPDATE, which SQLite
(3.24+) and PostgreSQL both understand. On PostgreSQL several writers may ingest at once:
the upsert makes a second writer of the same id wait for the first and then update,
instead of failing on the primary key as a SELECT-then-INSERT would. Rows are written in
id order so two batches sharing ids lock them in the same order and cannot deadlock.
The COPY path does ask first which ids are stored, and copies the new ones straight in:
it asks under the writers' advisory lock (`rollups.lock`), which every writer holds
until it commits, so no other writer can store one of those ids in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from operator import itemgetter
from typing import Any

from psycopg import sql
from psycopg.types.json import Json
from pydantic import BaseModel
from sqlalchemy import JSON, DateTime, Table, TypeDecorator, delete, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from serviceqa.errors import InputError
from serviceqa.model import Conversation, Evaluation
from serviceqa.store import finals, rollups
from serviceqa.store.engine import JsonText, json_dumps
from serviceqa.store.schema import (SAFETY_FIRST, AlertRow, ConversationRow,
                                    CriterionResultRow, CustomerTypeRow, EvaluationRow)

Pair = tuple[Conversation, Evaluation | None]
Values = dict[str, Any]


def as_text(model: BaseModel) -> JsonText:
    """The `data` columns' value, for COPY and executemany alike (see JsonText)."""
    return JsonText(model.model_dump_json())
DERIVED = (CriterionResultRow, AlertRow, CustomerTypeRow, EvaluationRow)


def check_pair(conversation: Conversation, evaluation: Evaluation | None) -> None:
    """An evaluation must belong to the conversation it is stored with."""
    if evaluation is not None and evaluation.conversation_id != conversation.id:
        raise InputError(f"evaluation of {evaluation.conversation_id!r} given with "
                         f"conversation {conversation.id!r}", field="conversation_id")


def conversation_values(conversation: Conversation, evaluation: Evaluation | None,
                        now: datetime) -> Values:
    """The indexed copies plus the full dump; language and agent fall back to the evaluation."""
    agent, customer = conversation.agent, conversation.customer
    return {
        "id": conversation.id,
        "channel": conversation.channel,
        "language": conversation.language or (evaluation.language if evaluation else None),
        "agent_id": (agent.id if agent else None) or (evaluation.agent_id if evaluation else None),
        "agent_name": agent.name if agent else None,
        "team": agent.team if agent else None,
        "customer_id": customer.id if customer else None,
        "started_at": conversation.started_at,
        "message_count": len(conversation.messages),
        "data": as_text(conversation),
        "updated_at": now,
    }


def evaluation_values(evaluation: Evaluation, now: datetime) -> Values:
    return {
        "conversation_id": evaluation.conversation_id,
        "scorecard": evaluation.scorecard,
        "score": evaluation.score,
        "passed": evaluation.passed,
        "language": evaluation.language,
        "data": as_text(evaluation),
        "created_at": now,
        # the final copies start as the automatic verdict; `finals` applies a review
        "final_score": evaluation.score,
        "final_passed": evaluation.passed,
    }


def criterion_values(evaluation: Evaluation) -> list[Values]:
    """One row per criterion id; if an id repeats, the last result wins (the JSON keeps all)."""
    by_id = {c.id: {"conversation_id": evaluation.conversation_id, "criterion_id": c.id,
                    "result": c.result, "weight": c.weight, "final_result": c.result}
             for c in evaluation.criteria}
    return list(by_id.values())


def alert_values(evaluation: Evaluation, now: datetime) -> list[Values]:
    return [{"conversation_id": evaluation.conversation_id, "kind": a.kind,
             "reason": a.reason, "created_at": now, "acknowledged": False,
             "priority": SAFETY_FIRST.get(a.kind, 0)}
            for a in evaluation.alerts]


def type_values(evaluation: Evaluation) -> list[Values]:
    types = dict.fromkeys(evaluation.customer.types)  # ordered, without duplicates
    return [{"conversation_id": evaluation.conversation_id, "type": t} for t in types]


def _insert(session: Session, model: type[Any], rows: list[Values]) -> None:
    # An empty executemany would insert one row of defaults, so skip it. The Table, not the
    # class: Core's executemany, not the ORM's bulk path (a third of the write's time).
    if rows:
        session.connection().execute(insert(model.__table__), rows)


def _copy_value(value: Any) -> Any:
    """What COPY is given for a JSON or time value: the same JSON and UTC times as the
    INSERT (a JsonText is a str already)."""
    if isinstance(value, dict):
        return Json(value, dumps=json_dumps)
    if isinstance(value, datetime):
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
    return value


def _copy_rows(cursor: Any, target: str, table: Table, rows: list[Values]) -> list[str]:
    """COPY `rows` (of `table`'s columns) into `target` (one stream, not one statement per
    row); returns the columns. Only JSON and time columns pass through `_copy_value`:
    a criterion row's strings and numbers go as they are (13 rows a conversation)."""
    columns = list(rows[0])
    converted = [i for i, c in enumerate(columns)
                 if isinstance(table.c[c].type, (JSON, DateTime, TypeDecorator))]
    values = itemgetter(*columns)  # a tuple: every table here has two columns or more
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(target), sql.SQL(", ").join(map(sql.Identifier, columns)))
    with cursor.copy(statement) as copy:
        for row in rows:
            line = list(values(row))
            for i in converted:
                line[i] = _copy_value(line[i])
            copy.write_row(line)
    return columns


def _raw_cursor(session: Session) -> Any:
    return session.connection().connection.driver_connection.cursor()


def _copy(session: Session, model: type[Any], rows: list[Values]) -> None:
    """PostgreSQL's COPY FROM STDIN instead of psycopg's executemany, which sends one
    INSERT per row (about 18 child rows per conversation)."""
    if rows:
        with _raw_cursor(session) as cursor:
            _copy_rows(cursor, model.__tablename__, model.__table__, rows)


STAGE = "serviceqa_stage_conversations"


def _copy_upsert_conversations(session: Session, rows: list[Values]) -> list[str]:
    """The upsert of `_upsert_conversations` with COPY. Returns the ids that were stored
    already: only they can have child rows to replace.

    New ids (a bulk load's usual case) are copied straight into the table. Known ones go
    into a temporary table, then one INSERT ... SELECT ... ON CONFLICT moves them, in id
    order. Which ids are known is asked under the writers' lock (`rollups.lock`, taken
    again here: it is re-entrant), so no other writer can store one of them in between.
    """
    rollups.lock(session)
    ids = [row["id"] for row in rows]
    with _raw_cursor(session) as cursor:
        cursor.execute("SELECT id FROM conversations WHERE id = ANY(%s)", (ids,))
        known = {cid for (cid,) in cursor.fetchall()}
        new = [row for row in rows if row["id"] not in known]
        if new:
            _copy_rows(cursor, "conversations", ConversationRow.__table__, new)
        if known:
            _stage_upsert(session, cursor, [row for row in rows if row["id"] in known])
    return [cid for cid in ids if cid in known]


def _stage_upsert(session: Session, cursor: Any, rows: list[Values]) -> None:
    """Update stored rows from `rows`: COPY into a temporary table, then one upsert."""
    kept = {"id", "ingested_at"}  # a re-ingest keeps when the id was first stored
    # the stage compresses as the table does (lz4, migration 0011): a moved value
    # keeps the compression it was stored with
    like = ("LIKE conversations INCLUDING COMPRESSION"
            if session.get_bind().dialect.server_version_info >= (14,)
            else "LIKE conversations")
    cursor.execute(sql.SQL("CREATE TEMPORARY TABLE {} ({}) ON COMMIT DROP")
                   .format(sql.Identifier(STAGE), sql.SQL(like)))
    table = ConversationRow.__table__
    columns = [sql.Identifier(c) for c in _copy_rows(cursor, STAGE, table, rows)]
    updates = [sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c.name))
               for c in table.columns if c.name not in kept]
    listed = sql.SQL(", ").join(columns)
    cursor.execute(sql.SQL("INSERT INTO conversations ({}) SELECT {} FROM {} "
                           "ORDER BY id COLLATE \"C\" ON CONFLICT (id) DO UPDATE SET {}")
                   .format(listed, listed, sql.Identifier(STAGE), sql.SQL(", ").join(updates)))
    cursor.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(STAGE)))


_UPSERT_DIALECTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def _upsert_conversations(session: Session, rows: list[Values]) -> list[str]:
    """Insert new ids, update known ones in place; `ingested_at` keeps its first value.

    Returns the ids whose child rows may need replacing: all of them."""
    dialect = session.get_bind().dialect.name
    if dialect not in _UPSERT_DIALECTS:
        raise NotImplementedError(f"no upsert for {dialect}; SQLite and PostgreSQL only")
    table = ConversationRow.__table__
    statement = _UPSERT_DIALECTS[dialect](table)
    kept = {"id", "ingested_at"}
    updates = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in kept}
    session.connection().execute(
        statement.on_conflict_do_update(index_elements=["id"], set_=updates), rows)
    return [row["id"] for row in rows]


@dataclass
class Prepared:
    """One batch turned into rows, ready for `write_prepared`: the Python half of a write,
    which a bulk load does for the next batch while the database takes this one."""

    ids: list[str]
    use_copy: bool
    conversations: list[Values]
    children: list[tuple[type[Any], list[Values]]]


def prepare(batch: list[Pair], now: datetime, use_copy: bool) -> Prepared:
    """Within the batch a repeated id keeps its last version; rows go in id order."""
    latest = {conversation.id: (conversation, evaluation) for conversation, evaluation in batch}
    pairs = dict(sorted(latest.items()))
    conversations = [{**conversation_values(c, e, now), "ingested_at": now}
                     for c, e in pairs.values()]
    evaluations = [e for _, e in pairs.values() if e is not None]
    children = [
        (EvaluationRow, [evaluation_values(e, now) for e in evaluations]),
        (CriterionResultRow, [r for e in evaluations for r in criterion_values(e)]),
        (AlertRow, [r for e in evaluations for r in alert_values(e, now)]),
        (CustomerTypeRow, [r for e in evaluations for r in type_values(e)]),
    ]
    return Prepared(list(pairs), use_copy, conversations, children)


def write_batch(session: Session, batch: list[Pair], now: datetime,
                use_copy: bool | None = None, bulk: bool = False) -> None:
    """Write one batch (see `prepare`).

    On PostgreSQL (`use_copy` None: when the session is on PostgreSQL) every table is
    written with COPY, otherwise with executemany; the rows are the same. `bulk` leaves
    the rollups of the days written to `rollups.refresh` (one of many batches).
    """
    if use_copy is None:
        use_copy = uses_copy(session)
    write_prepared(session, prepare(batch, now, use_copy), bulk)


def uses_copy(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def write_prepared(session: Session, prepared: Prepared, bulk: bool = False) -> None:
    """Write a prepared batch in `session`'s transaction; `bulk` as in `write_batch`."""
    keeping = rollups.deferred if bulk else rollups.tracking
    with keeping(session, prepared.ids):
        add, upsert = ((_copy, _copy_upsert_conversations) if prepared.use_copy
                       else (_insert, _upsert_conversations))
        known = upsert(session, prepared.conversations)
        for model in DERIVED if known else ():
            session.execute(delete(model).where(model.conversation_id.in_(known)))
        for model, rows in prepared.children:
            add(session, model, rows)
        finals.after_write(session, known)  # a re-ingest keeps its reviews final
