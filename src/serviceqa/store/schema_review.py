"""Tables of human review (migration 0005): reviews and their verdicts, assignment queues,
disputes with their append-only history, calibration sessions and coaching notes.

A review's verdicts keep the automatic verdict they replaced (`auto_result`), so every
override is visible as `result != auto_result` without re-scoring anything.
Users are referenced with ON DELETE SET NULL: removing an account must not erase the
grades, disputes and notes people wrote.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (JSON, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from serviceqa.store.schema import CASCADE, Base

SET_NULL = "SET NULL"
FINAL_KINDS = ("review", "resolution")  # calibration grades are blind practice, never final
VERDICTS = "('pass', 'fail', 'na')"


def _conversation_fk() -> Any:
    return ForeignKey("conversations.id", ondelete=CASCADE)


def _user_fk() -> Any:
    return ForeignKey("users.id", ondelete=SET_NULL)


class CalibrationSessionRow(Base):
    """A lead's set of conversations that several reviewers grade blind."""

    __tablename__ = "calibration_sessions"
    __table_args__ = (CheckConstraint("status IN ('open', 'closed')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String)
    scorecard: Mapped[str | None] = mapped_column(String)  # None: each conversation's own
    status: Mapped[str] = mapped_column(String(8))
    created_by: Mapped[int | None] = mapped_column(_user_fk())
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class CalibrationItemRow(Base):
    __tablename__ = "calibration_items"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_sessions.id", ondelete=CASCADE), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(_conversation_fk(), primary_key=True)


class CalibrationReviewerRow(Base):
    __tablename__ = "calibration_reviewers"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_sessions.id", ondelete=CASCADE), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete=CASCADE),
                                         primary_key=True)


class ReviewRow(Base):
    """One person's grading of one conversation with one scorecard.

    `calibration_session_id` set: a blind calibration grade, never the conversation's score.
    `kind` 'resolution': the corrected grading a lead gave when accepting a dispute.
    """

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted')", name="status"),
        CheckConstraint("kind IN ('review', 'calibration', 'resolution')", name="kind"),
        Index("ix_reviews_conversation_id_status", "conversation_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(_conversation_fk())
    reviewer_id: Mapped[int | None] = mapped_column(_user_fk(), index=True)
    scorecard: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10))
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None]
    auto_score: Mapped[float | None] = mapped_column(Float)  # the automatic score it reviewed
    calibration_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("calibration_sessions.id", ondelete=CASCADE), index=True)
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]


class ReviewVerdictRow(Base):
    __tablename__ = "review_verdicts"
    __table_args__ = (
        CheckConstraint(f"result IN {VERDICTS}", name="result"),
        CheckConstraint(f"auto_result IS NULL OR auto_result IN {VERDICTS}", name="auto_result"),
    )

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete=CASCADE),
                                           primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String, primary_key=True)
    result: Mapped[str] = mapped_column(String(4))
    auto_result: Mapped[str | None] = mapped_column(String(4))
    comment: Mapped[str | None] = mapped_column(Text)


class ReviewRulesRow(Base):
    """The assignment rules as stored YAML (one row per name; 'default' is used)."""

    __tablename__ = "review_rules"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    yaml: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String)


class AssignmentRow(Base):
    """A conversation picked for human review by a rule; at most one per conversation."""

    __tablename__ = "review_assignments"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'done')", name="status"),
        UniqueConstraint("conversation_id", name="uq_review_assignments_conversation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(_conversation_fk())
    reviewer_id: Mapped[int | None] = mapped_column(_user_fk(), index=True)
    rule: Mapped[str] = mapped_column(String)
    reason: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String(8))
    due_at: Mapped[datetime]
    created_at: Mapped[datetime]
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete=SET_NULL))


class DisputeRow(Base):
    """An agent's objection to a submitted review of their own conversation."""

    __tablename__ = "disputes"
    __table_args__ = (CheckConstraint("status IN ('open', 'accepted', 'rejected')",
                                      name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete=CASCADE),
                                           index=True)
    conversation_id: Mapped[str] = mapped_column(_conversation_fk(), index=True)
    opened_by: Mapped[int | None] = mapped_column(_user_fk())
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    answer: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[int | None] = mapped_column(_user_fk())
    resolution_review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete=SET_NULL))
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]


class DisputeEventRow(Base):
    """Append-only history of a dispute: rows are only ever inserted."""

    __tablename__ = "dispute_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id", ondelete=CASCADE),
                                            index=True)
    action: Mapped[str] = mapped_column(String)
    actor_id: Mapped[int | None] = mapped_column(_user_fk())
    actor_name: Mapped[str | None] = mapped_column(String)
    text: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime]


class CoachingNoteRow(Base):
    """A lead's note to an agent about some criteria; the agent acknowledges it."""

    __tablename__ = "coaching_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agent_id: Mapped[str] = mapped_column(String, index=True)
    author_id: Mapped[int | None] = mapped_column(_user_fk())
    author_name: Mapped[str | None] = mapped_column(String)
    criteria: Mapped[list[str]] = mapped_column(JSON)
    conversation_ids: Mapped[list[str]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
