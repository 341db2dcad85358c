"""Coaching: an agent's weakest criteria over a period (with example conversations and
their evidence), a lead's notes, the agent's acknowledgement, and how those criteria
went before and after each note.

A conversation counts with its final verdicts: the human ones when it was reviewed (the
latest submitted review), the automatic ones otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from serviceqa.errors import Conflict, Forbidden, InputError, NotFound
from serviceqa.review.reviews import now
from serviceqa.review.store import latest_final_reviews
from serviceqa.store.accounts import User
from serviceqa.store.schema import ConversationRow, CriterionResultRow, EvaluationRow
from serviceqa.store.schema_review import CoachingNoteRow, ReviewRow, ReviewVerdictRow
from serviceqa.workspace import Workspace

EXAMPLES = 3
TREND_DAYS = 30
MAX_NOTE = 5000


@dataclass(frozen=True)
class Verdict:
    conversation_id: str
    started_at: datetime | None
    criterion_id: str
    result: str
    source: str  # "human" or "auto"
    comment: str | None = None


def _rate(verdicts: Sequence[Verdict]) -> dict[str, Any]:
    decided = [v for v in verdicts if v.result != "na"]
    passed = sum(v.result == "pass" for v in decided)
    return {"n": len(decided), "passed": passed,
            "pass_rate": round(passed / len(decided), 4) if decided else None}


class Coaching:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.engine = ws.store.engine

    @staticmethod
    def check_scope(user: User, agent_id: str) -> None:
        """An agent sees only their own coaching (404 for anyone else's)."""
        if user.role == "agent" and user.agent_id != agent_id:
            raise NotFound(f"no agent {agent_id!r}")

    def verdicts(self, connection: Connection, agent_id: str, since: datetime | None = None,
                 until: datetime | None = None) -> list[Verdict]:
        """Final verdicts of the agent's conversations started in [since, until)."""
        window = [ConversationRow.agent_id == agent_id]
        if since is not None:
            window.append(ConversationRow.started_at >= since)
        if until is not None:
            window.append(ConversationRow.started_at < until)
        human: dict[str, list[Verdict]] = defaultdict(list)
        for row in connection.execute(
                select(ReviewRow.conversation_id, ConversationRow.started_at,
                       ReviewVerdictRow.criterion_id, ReviewVerdictRow.result,
                       ReviewVerdictRow.comment)
                .join(ReviewVerdictRow, ReviewVerdictRow.review_id == ReviewRow.id)
                .join(ConversationRow, ConversationRow.id == ReviewRow.conversation_id)
                .where(ReviewRow.id.in_(latest_final_reviews()), *window)):
            human[row[0]].append(Verdict(row[0], row[1], row[2], row[3], "human", row[4]))
        out = [v for vs in human.values() for v in vs]
        for row in connection.execute(
                select(CriterionResultRow.conversation_id, ConversationRow.started_at,
                       CriterionResultRow.criterion_id, CriterionResultRow.result)
                .join(ConversationRow, ConversationRow.id == CriterionResultRow.conversation_id)
                .where(*window)):
            if row[0] not in human:
                out.append(Verdict(row[0], row[1], row[2], row[3], "auto"))
        return sorted(out, key=lambda v: (v.criterion_id, v.conversation_id))

    def weakest(self, user: User, agent_id: str, since: datetime | None = None,
                until: datetime | None = None, limit: int = 5) -> dict[str, Any]:
        """Criteria by pass rate, lowest first, each with failed example conversations."""
        self.check_scope(user, agent_id)
        with self.engine.connect() as connection:
            verdicts = self.verdicts(connection, agent_id, since, until)
        if not verdicts:
            raise NotFound(f"no conversations of agent {agent_id!r} in this period")
        by_criterion: dict[str, list[Verdict]] = defaultdict(list)
        for v in verdicts:
            by_criterion[v.criterion_id].append(v)
        rated = [(k, _rate(vs)) for k, vs in by_criterion.items() if _rate(vs)["n"]]
        rated.sort(key=lambda kv: (kv[1]["pass_rate"], -kv[1]["n"], kv[0]))
        weakest = []
        for criterion, rate in rated[:limit]:
            failed = [v for v in by_criterion[criterion] if v.result == "fail"]
            failed.sort(key=lambda v: (v.started_at is None, v.started_at), reverse=True)
            weakest.append({"criterion_id": criterion, **rate,
                            "examples": [self._example(v) for v in failed[:EXAMPLES]]})
        return {"agent_id": agent_id, "since": since, "until": until,
                "conversations": len({v.conversation_id for v in verdicts}),
                "weakest": weakest, "notes": self.notes(user, agent_id)}

    def _example(self, verdict: Verdict) -> dict[str, Any]:
        with self.engine.connect() as connection:
            data = connection.scalar(select(EvaluationRow.data).where(
                EvaluationRow.conversation_id == verdict.conversation_id))
        evidence = []
        for criterion in (data or {}).get("criteria", []):
            if criterion.get("id") == verdict.criterion_id:
                evidence = criterion.get("evidence", [])
        return {"conversation_id": verdict.conversation_id, "started_at": verdict.started_at,
                "source": verdict.source, "comment": verdict.comment, "evidence": evidence}

    # --- notes ------------------------------------------------------------------------

    def add_note(self, lead: User, agent_id: str, text: str, criteria: Sequence[str] = (),
                 conversation_ids: Sequence[str] = (), at: datetime | None = None
                 ) -> dict[str, Any]:
        """`at`: when the coaching happened (default now); the trend splits there."""
        body = (text or "").strip()
        if not body:
            raise InputError("must not be empty", field="text")
        if len(body) > MAX_NOTE:
            raise InputError(f"at most {MAX_NOTE} characters", field="text")
        with self.engine.begin() as connection:
            known = set(connection.scalars(select(ConversationRow.id).where(
                ConversationRow.agent_id == agent_id)))
            if not known:
                raise InputError(f"no conversations of agent {agent_id!r}", field="agent_id")
            for index, cid in enumerate(conversation_ids):
                if cid not in known:
                    raise InputError(f"{cid!r} is not a conversation of {agent_id!r}",
                                     field=f"conversation_ids[{index}]")
            note_id = int(connection.execute(insert(CoachingNoteRow).values(
                agent_id=agent_id, author_id=lead.id, author_name=lead.name,
                criteria=list(dict.fromkeys(criteria)),
                conversation_ids=list(dict.fromkeys(conversation_ids)), text=body,
                created_at=at or now())).inserted_primary_key[0])
        return self.note(lead, note_id)

    def note(self, user: User, note_id: int) -> dict[str, Any]:
        with self.engine.connect() as connection:
            row = connection.execute(select(CoachingNoteRow)
                                     .where(CoachingNoteRow.id == note_id)).first()
            if row is None or (user.role == "agent" and row.agent_id != user.agent_id):
                raise NotFound(f"no coaching note {note_id}")
            return {**_note(row), "trend": self._trend(connection, row)}

    def notes(self, user: User, agent_id: str | None = None) -> list[dict[str, Any]]:
        if user.role == "agent":
            agent_id = user.agent_id
        query = select(CoachingNoteRow).order_by(CoachingNoteRow.created_at.desc(),
                                                 CoachingNoteRow.id.desc())
        if agent_id is not None:
            query = query.where(CoachingNoteRow.agent_id == agent_id)
        with self.engine.connect() as connection:
            return [_note(r) for r in connection.execute(query)]

    def acknowledge(self, agent: User, note_id: int) -> dict[str, Any]:
        """The agent the note is for says they have read it (once)."""
        self.note(agent, note_id)  # 404 for someone else's note
        if agent.role != "agent":
            raise Forbidden("only the agent the note is for acknowledges it")
        with self.engine.begin() as connection:
            done = connection.execute(update(CoachingNoteRow).where(
                CoachingNoteRow.id == note_id, CoachingNoteRow.acknowledged_at.is_(None))
                .values(acknowledged_at=now()))
        if not done.rowcount:
            raise Conflict(f"coaching note {note_id} is acknowledged already")
        return self.note(agent, note_id)

    def _trend(self, connection: Connection, row: Any) -> list[dict[str, Any]]:
        """Pass rate of the note's criteria in the TREND_DAYS before and after it."""
        at = row.created_at
        before = self.verdicts(connection, row.agent_id, at - timedelta(days=TREND_DAYS), at)
        after = self.verdicts(connection, row.agent_id, at, at + timedelta(days=TREND_DAYS))
        return [{"criterion_id": k,
                 "before": _rate([v for v in before if v.criterion_id == k]),
                 "after": _rate([v for v in after if v.criterion_id == k])}
                for k in row.criteria]


def _note(row: Any) -> dict[str, Any]:
    return {"id": row.id, "agent_id": row.agent_id, "author": row.author_name,
            "criteria": row.criteria, "conversation_ids": row.conversation_ids,
            "text": row.text, "created_at": row.created_at,
            "acknowledged_at": row.acknowledged_at}
