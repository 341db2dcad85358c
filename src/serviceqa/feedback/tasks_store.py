"""Follow-up tasks in the store, with their history, and the notifiers told about them.

`create` relies on the unique key (trigger_kind, source_id): INSERT ... ON CONFLICT DO
NOTHING, so a trigger seen twice, even by two threads or processes at once, makes one task.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, select, true
from sqlalchemy.orm import Session

from ..errors import Conflict, InputError, NotFound
from ..store import rollups
from ..store.schema import SAFETY_FIRST, AlertRow
from ..store.schema_feedback import (TASK_STATUSES, FollowupEventRow, FollowupTaskRow,
                                     NotificationRow, NotifierRow)
from .repository import insert_ignoring_conflicts, now, writing

T = FollowupTaskRow
EVENTS = ("task_created", "task_due_soon", "task_overdue")
OPEN = ("open", "in_progress")


@dataclass(frozen=True)
class TaskQuery:
    status: str | None = None          # a status, or "active" (open or in progress)
    kind: str | None = None
    assignee: str | None = None
    agent_id: str | None = None
    team: str | None = None
    overdue: bool | None = None


def task_dict(row: FollowupTaskRow, at: datetime | None = None) -> dict[str, Any]:
    moment = at or now()
    return {"id": row.id, "trigger": row.trigger_kind, "source_id": row.source_id,
            "kind": row.kind, "conversation_id": row.conversation_id,
            "agent_id": row.agent_id, "team": row.team, "assignee": row.assignee,
            "assignee_role": row.assignee_role, "reason": row.reason, "status": row.status,
            "due_at": row.due_at, "overdue": row.status in OPEN and row.due_at <= moment,
            "customer_informed_at": row.customer_informed_at,
            "breach_alerted_at": row.breach_alerted_at,
            "created_at": row.created_at, "updated_at": row.updated_at}


NOTIFIERS_TTL_S = 10.0   # another process's new notifier is seen within this


class TaskStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._notifiers: tuple[float, list[NotifierRow]] | None = None
        self._insert_task = insert_ignoring_conflicts(engine, T).returning(T.id)
        self._insert_event = FollowupEventRow.__table__.insert()

    def create(self, values: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        """(task id, the new task as task_dict gives it); None for the task when the
        trigger was seen before (the one already there keeps its id)."""
        stamp = now()
        row = {**values, "status": "open", "created_at": stamp, "updated_at": stamp,
               "customer_informed_at": None, "breach_alerted_at": None}
        with writing(self.engine), self.engine.begin() as connection:
            made = connection.execute(self._insert_task, row).scalar()
            if made is not None:
                connection.execute(self._insert_event, {
                    "task_id": made, "at": stamp, "by": None, "action": "created",
                    "detail": {"reason": values["reason"]}})
                return int(made), task_dict(T(id=int(made), **row), stamp)
            found = connection.execute(select(T.id).where(
                T.trigger_kind == values["trigger_kind"], T.source_id == values["source_id"]
            )).scalar_one()
        return int(found), None

    def get(self, task_id: int) -> dict[str, Any]:
        with Session(self.engine) as session:
            row = session.get(T, task_id)
            if row is None:
                raise NotFound(f"no task {task_id}")
            events = session.scalars(select(FollowupEventRow)
                                     .where(FollowupEventRow.task_id == task_id)
                                     .order_by(FollowupEventRow.id)).all()
            return {**task_dict(row), "history": [
                {"at": e.at, "by": e.by, "action": e.action, "detail": e.detail}
                for e in events]}

    def list(self, query: TaskQuery, limit: int = 200, offset: int = 0
             ) -> tuple[int, list[dict[str, Any]]]:
        conditions = self._conditions(query)
        where = and_(*conditions) if conditions else true()
        with Session(self.engine) as session:
            total = session.scalar(select(func.count(T.id)).where(where)) or 0
            rows = session.scalars(select(T).where(where).order_by(T.due_at, T.id)
                                   .limit(limit).offset(offset)).all()
            return int(total), [task_dict(r) for r in rows]

    @staticmethod
    def _conditions(query: TaskQuery) -> list[Any]:
        out: list[Any] = []
        if query.status == "active":
            out.append(T.status.in_(OPEN))
        elif query.status:
            out.append(T.status == query.status)
        for column, value in ((T.kind, query.kind), (T.assignee, query.assignee),
                              (T.agent_id, query.agent_id), (T.team, query.team)):
            if value:
                out.append(column == value)
        if query.overdue is not None:
            late = and_(T.status.in_(OPEN), T.due_at <= now())
            out.append(late if query.overdue else ~late)
        return out

    def update(self, task_id: int, by: str | None, *, status: str | None = None,
               assignee: str | None = None, due_at: datetime | None = None,
               note: str | None = None, customer_informed: bool = False) -> dict[str, Any]:
        """Change a task; each change goes into its history."""
        if status is not None and status not in TASK_STATUSES:
            raise InputError(f"one of {', '.join(TASK_STATUSES)}", field="status")
        stamp = now()
        with writing(self.engine), Session(self.engine) as session, session.begin():
            row = session.get(T, task_id, with_for_update=True)
            if row is None:
                raise NotFound(f"no task {task_id}")
            changes: list[tuple[str, dict[str, Any]]] = []
            if status is not None and status != row.status:
                changes.append(("status", {"from": row.status, "to": status}))
                row.status = status
            if assignee is not None and assignee != row.assignee:
                changes.append(("assigned", {"from": row.assignee, "to": assignee or None}))
                row.assignee = assignee or None
            if due_at is not None and due_at != row.due_at:
                changes.append(("due", {"from": row.due_at.isoformat(), "to": due_at.isoformat()}))
                row.due_at, row.breach_alerted_at = due_at, None
            if note:
                changes.append(("note", {"text": note}))
            if customer_informed:
                if row.customer_informed_at is not None:
                    raise Conflict(f"task {task_id}: the customer was informed already")
                row.customer_informed_at = stamp
                changes.append(("customer_informed", {"note": note} if note else {}))
            if not changes:
                raise InputError("nothing to change", field="body")
            row.updated_at = stamp
            for action, detail in changes:
                session.add(FollowupEventRow(task_id=task_id, at=stamp, by=by, action=action,
                                             detail=detail))
        return self.get(task_id)

    # --- the sweep --------------------------------------------------------------------

    def due_between(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Active tasks due in [start, end)."""
        with Session(self.engine) as session:
            rows = session.scalars(select(T).where(T.status.in_(OPEN), T.due_at >= start,
                                                   T.due_at < end)).all()
            return [task_dict(r) for r in rows]

    def raise_breaches(self) -> list[dict[str, Any]]:
        """An `sla_breach` alert for each active task past its due date, once a task (the
        stamp is set in the same transaction as the alert)."""
        stamp = now()
        raised = []
        with writing(self.engine), Session(self.engine) as session, session.begin():
            late = session.scalars(select(T).where(
                T.status.in_(OPEN), T.due_at <= stamp, T.breach_alerted_at.is_(None))
                .with_for_update(skip_locked=True)).all()
            alerted = {row.conversation_id for row in late if row.conversation_id is not None}
            with rollups.tracking(session, alerted):  # the reports count these alerts
                for row in late:
                    row.breach_alerted_at = stamp
                    if row.conversation_id is not None:
                        session.add(AlertRow(
                            conversation_id=row.conversation_id, kind="sla_breach",
                            created_at=stamp, priority=SAFETY_FIRST.get("sla_breach", 0),
                            reason=f"follow-up task #{row.id} ({row.kind}) overdue since "
                                   f"{row.due_at:%Y-%m-%d %H:%M} UTC"))
                    session.add(FollowupEventRow(task_id=row.id, at=stamp, by=None,
                                                 action="sla_breach", detail={}))
                    raised.append(task_dict(row, stamp))
        return raised

    # --- notifiers --------------------------------------------------------------------

    def add_notifier(self, name: str, kind: str, target: str, secret: str | None,
                     settings: dict[str, Any], events: list[str]) -> dict[str, Any]:
        with writing(self.engine), Session(self.engine) as session, session.begin():
            if session.scalar(select(NotifierRow.id).where(NotifierRow.name == name)):
                raise Conflict(f"notifier {name!r} exists")
            row = NotifierRow(name=name, kind=kind, target=target, secret=secret,
                              settings=settings, events=events, created_at=now())
            session.add(row)
            session.flush()
            made = notifier_dict(row)
        self._notifiers = None
        return made

    def notifiers(self) -> list[NotifierRow]:
        """Read on every new task, so kept for a few seconds (added here: at once)."""
        cached = self._notifiers
        if cached is not None and time.monotonic() - cached[0] < NOTIFIERS_TTL_S:
            return cached[1]
        with Session(self.engine) as session:
            rows = list(session.scalars(select(NotifierRow).order_by(NotifierRow.id)).all())
            session.expunge_all()
        self._notifiers = (time.monotonic(), rows)
        return rows

    def claim(self, notifier_id: int, task_id: int, event: str) -> int | None:
        """Reserve (notifier, task, event) before sending; None when it was sent before."""
        statement = insert_ignoring_conflicts(self.engine, NotificationRow).values(
            notifier_id=notifier_id, task_id=task_id, event=event, status="sending",
            error=None, at=now()).returning(NotificationRow.id)
        with writing(self.engine), self.engine.begin() as connection:
            return connection.execute(statement).scalar()

    def record(self, claim_id: int, error: str | None) -> None:
        with writing(self.engine), Session(self.engine) as session, session.begin():
            row = session.get(NotificationRow, claim_id)
            if row is not None:
                row.status, row.error, row.at = ("failed" if error else "sent"), error, now()

    def notifications(self, task_id: int | None = None) -> list[dict[str, Any]]:
        query = select(NotificationRow).order_by(NotificationRow.id)
        if task_id is not None:
            query = query.where(NotificationRow.task_id == task_id)
        with Session(self.engine) as session:
            return [{"notifier_id": r.notifier_id, "task_id": r.task_id, "event": r.event,
                     "status": r.status, "error": r.error, "at": r.at}
                    for r in session.scalars(query)]


def notifier_dict(row: NotifierRow) -> dict[str, Any]:
    """Without the secret, which is shown once."""
    return {"id": row.id, "name": row.name, "kind": row.kind, "target": row.target,
            "settings": row.settings, "events": row.events, "created_at": row.created_at}


__all__ = ["EVENTS", "OPEN", "TaskQuery", "TaskStore", "notifier_dict", "task_dict"]
