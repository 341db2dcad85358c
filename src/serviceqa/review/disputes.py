"""Disputes: an agent objects to a submitted review of their own conversation; a lead
accepts (giving the corrected verdicts, which become a new final review) or rejects with
an answer. Every step is one more row in `dispute_events`, which is never updated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert, select, update

from serviceqa.errors import Conflict, Forbidden, InputError, NotFound
from serviceqa.review.reviews import LEADS, Reviews, VerdictIn, now
from serviceqa.store.accounts import User
from serviceqa.store.schema import ConversationRow, UserRow
from serviceqa.store.schema_review import DisputeEventRow, DisputeRow, ReviewRow

MAX_TEXT = 5000


def _text(value: str | None, field: str, required: bool = True) -> str | None:
    value = (value or "").strip()
    if required and not value:
        raise InputError("must not be empty", field=field)
    if len(value) > MAX_TEXT:
        raise InputError(f"at most {MAX_TEXT} characters", field=field)
    return value or None


class Disputes:
    def __init__(self, reviews: Reviews) -> None:
        self.reviews = reviews
        self.engine = reviews.engine

    def open(self, agent: User, review_id: int, reason: str) -> dict[str, Any]:
        """Only the agent whose conversation it is, only a submitted final review, and
        only one open dispute per review."""
        reason_text = _text(reason, "reason")
        with self.engine.begin() as connection:
            row = connection.execute(select(ReviewRow, ConversationRow.agent_id).join(
                ConversationRow, ConversationRow.id == ReviewRow.conversation_id).where(
                ReviewRow.id == review_id)).first()
            if (row is None or row.agent_id is None or row.agent_id != agent.agent_id
                    or row.status != "submitted" or row.kind == "calibration"):
                raise NotFound(f"no review {review_id} of your conversations")
            pending = connection.scalar(select(DisputeRow.id).where(
                DisputeRow.review_id == review_id, DisputeRow.status == "open"))
            if pending is not None:
                raise Conflict(f"review {review_id} is disputed already (dispute {pending})")
            dispute_id = int(connection.execute(insert(DisputeRow).values(
                review_id=review_id, conversation_id=row.conversation_id,
                opened_by=agent.id, reason=reason_text, status="open",
                created_at=now())).inserted_primary_key[0])
            self._event(connection, dispute_id, agent, "opened", reason_text,
                        {"review_id": review_id, "score": row.score})
        return self.get(agent, dispute_id)

    def accept(self, lead: User, dispute_id: int, answer: str | None,
               verdicts: Sequence[VerdictIn]) -> dict[str, Any]:
        """The corrected verdicts become a new submitted review: the conversation's score."""
        if not verdicts:
            raise InputError("give the corrected verdicts", field="verdicts")
        answer_text = _text(answer, "answer", required=False)
        with self.engine.begin() as connection:
            dispute = self._open_dispute(connection, dispute_id)
            old_score = connection.scalar(select(ReviewRow.score)
                                          .where(ReviewRow.id == dispute.review_id))
            new_id, score = self.reviews.create_resolution(connection, lead, dispute.review_id,
                                                           verdicts)
            connection.execute(update(DisputeRow).where(DisputeRow.id == dispute_id).values(
                status="accepted", answer=answer_text, resolved_by=lead.id,
                resolution_review_id=new_id, resolved_at=now()))
            self._event(connection, dispute_id, lead, "accepted", answer_text, {
                "resolution_review_id": new_id, "old_score": old_score, "new_score": score,
                "verdicts": [{"criterion_id": v.criterion_id, "result": v.result,
                              "comment": v.comment} for v in verdicts]})
        return self.get(lead, dispute_id)

    def reject(self, lead: User, dispute_id: int, answer: str) -> dict[str, Any]:
        answer_text = _text(answer, "answer")
        with self.engine.begin() as connection:
            self._open_dispute(connection, dispute_id)
            connection.execute(update(DisputeRow).where(DisputeRow.id == dispute_id).values(
                status="rejected", answer=answer_text, resolved_by=lead.id, resolved_at=now()))
            self._event(connection, dispute_id, lead, "rejected", answer_text, {})
        return self.get(lead, dispute_id)

    def comment(self, user: User, dispute_id: int, text: str) -> dict[str, Any]:
        """A note in the history (the agent adding detail, a lead asking back)."""
        body = _text(text, "text")
        self.get(user, dispute_id)  # visibility
        with self.engine.begin() as connection:
            self._event(connection, dispute_id, user, "commented", body, {})
        return self.get(user, dispute_id)

    def get(self, user: User, dispute_id: int) -> dict[str, Any]:
        with self.engine.connect() as connection:
            row = self._visible(connection, user, dispute_id)
            history = [{"id": e.id, "action": e.action, "actor": e.actor_name,
                        "text": e.text, "data": e.data, "at": e.at}
                       for e in connection.execute(select(DisputeEventRow).where(
                           DisputeEventRow.dispute_id == dispute_id)
                           .order_by(DisputeEventRow.id))]
            return {**self._summary(connection, row), "history": history}

    def list(self, user: User, status: str | None = None,
             conversation_id: str | None = None) -> list[dict[str, Any]]:
        query = select(DisputeRow).order_by(DisputeRow.created_at.desc(), DisputeRow.id.desc())
        if status is not None:
            query = query.where(DisputeRow.status == status)
        if conversation_id is not None:
            query = query.where(DisputeRow.conversation_id == conversation_id)
        if user.role == "agent":
            query = query.join(ConversationRow, ConversationRow.id == DisputeRow.conversation_id
                               ).where(ConversationRow.agent_id == user.agent_id)
        with self.engine.connect() as connection:
            return self._summaries(connection, connection.execute(query).all())

    # --- helpers ----------------------------------------------------------------------

    def _visible(self, connection: Connection, user: User, dispute_id: int) -> Any:
        row = connection.execute(select(DisputeRow).where(DisputeRow.id == dispute_id)).first()
        if row is not None and user.role == "agent":
            owner = connection.scalar(select(ConversationRow.agent_id)
                                      .where(ConversationRow.id == row.conversation_id))
            if owner is None or owner != user.agent_id:
                row = None
        if row is None:
            raise NotFound(f"no dispute {dispute_id}")
        return row

    @staticmethod
    def _open_dispute(connection: Connection, dispute_id: int) -> Any:
        row = connection.execute(select(DisputeRow).where(DisputeRow.id == dispute_id)
                                 .with_for_update()).first()
        if row is None:
            raise NotFound(f"no dispute {dispute_id}")
        if row.status != "open":
            raise Conflict(f"dispute {dispute_id} is {row.status} already")
        return row

    @staticmethod
    def _event(connection: Connection, dispute_id: int, user: User, action: str,
               text: str | None, data: dict[str, Any]) -> None:
        if action in ("accepted", "rejected") and user.role not in LEADS:
            raise Forbidden("only a lead or an admin resolves disputes")
        connection.execute(insert(DisputeEventRow).values(
            dispute_id=dispute_id, action=action, actor_id=user.id, actor_name=user.name,
            text=text, data=data, at=now()))

    @classmethod
    def _summary(cls, connection: Connection, row: Any) -> dict[str, Any]:
        return cls._summaries(connection, [row])[0]

    @staticmethod
    def _summaries(connection: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
        """One query for the names of everyone involved, however many disputes."""
        people = {i for row in rows for i in (row.opened_by, row.resolved_by) if i}
        names = dict(connection.execute(select(UserRow.id, UserRow.name).where(
            UserRow.id.in_(people))).all()) if people else {}
        return [{"id": row.id, "review_id": row.review_id,
                 "conversation_id": row.conversation_id, "status": row.status,
                 "reason": row.reason, "answer": row.answer,
                 "opened_by": names.get(row.opened_by),
                 "resolved_by": names.get(row.resolved_by),
                 "resolution_review_id": row.resolution_review_id,
                 "created_at": row.created_at, "resolved_at": row.resolved_at}
                for row in rows]
