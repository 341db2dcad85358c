"""Tables of customer feedback (migration 0004): survey definitions, the links sent, the
responses, follow-up tasks with their history, and who is notified about them.

Two unique keys carry the "exactly once" rules, so they hold across threads, processes
and backends: a survey link's nonce is answered once (`survey_responses.nonce`), and a
trigger makes one task (`followup_tasks (trigger_kind, source_id)`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from serviceqa.store.schema import CASCADE, Base

TASK_STATUSES = ("open", "in_progress", "done", "cancelled")


def _conversation_fk() -> Any:
    return ForeignKey("conversations.id", ondelete=CASCADE)


class FeedbackKeyRow(Base):
    """Server secrets made on first use (the survey link key), shared by every process."""

    __tablename__ = "feedback_keys"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    secret: Mapped[str] = mapped_column(String)
    created_at: Mapped[datetime]


class SurveyRow(Base):
    """A survey definition: which questions, and texts that override the bundled ones."""

    __tablename__ = "surveys"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    questions: Mapped[list[str]] = mapped_column(JSON)
    texts: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String)


class SurveyLinkRow(Base):
    """A link sent for one conversation; the denominator of the response rate."""

    __tablename__ = "survey_links"

    nonce: Mapped[str] = mapped_column(String, primary_key=True)
    survey: Mapped[str] = mapped_column(String, index=True)
    conversation_id: Mapped[str] = mapped_column(_conversation_fk(), index=True)
    language: Mapped[str | None] = mapped_column(String)
    created_at: Mapped[datetime] = mapped_column(index=True)
    expires_at: Mapped[datetime]


class SurveyResponseRow(Base):
    """One answer. `nonce` is the link's (unique: one response per link); imported answers
    have none and are keyed by their `external_id` in the other tool instead."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey", "external_id"),
        CheckConstraint("csat IS NULL OR csat BETWEEN 1 AND 5", name="csat"),
        CheckConstraint("nps IS NULL OR nps BETWEEN 0 AND 10", name="nps"),
        CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 10",
                        name="satisfaction"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    nonce: Mapped[str | None] = mapped_column(String, unique=True)
    external_id: Mapped[str | None] = mapped_column(String)
    survey: Mapped[str] = mapped_column(String, index=True)
    conversation_id: Mapped[str] = mapped_column(_conversation_fk(), index=True)
    source: Mapped[str] = mapped_column(String)         # link, api, import
    language: Mapped[str | None] = mapped_column(String)
    csat: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[int | None] = mapped_column(Integer)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    analysis: Mapped[dict[str, Any]]                     # sentiment, signals, themes
    submitted_at: Mapped[datetime] = mapped_column(index=True)


class FollowupTaskRow(Base):
    """A follow-up: a call-back, an answer owed, an incident. One per trigger."""

    __tablename__ = "followup_tasks"
    __table_args__ = (
        UniqueConstraint("trigger_kind", "source_id"),
        CheckConstraint("status IN ('open', 'in_progress', 'done', 'cancelled')",
                        name="status"),
        Index("ix_followup_tasks_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    trigger_kind: Mapped[str] = mapped_column(String)
    source_id: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String, index=True)   # callback, answer, incident
    conversation_id: Mapped[str | None] = mapped_column(_conversation_fk(), index=True)
    agent_id: Mapped[str | None] = mapped_column(String, index=True)
    team: Mapped[str | None] = mapped_column(String)
    assignee: Mapped[str | None] = mapped_column(String, index=True)
    assignee_role: Mapped[str | None] = mapped_column(String)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String)
    due_at: Mapped[datetime]
    customer_informed_at: Mapped[datetime | None]
    breach_alerted_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class FollowupEventRow(Base):
    """A task's history: created, assigned, status changed, a note, customer informed."""

    __tablename__ = "followup_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("followup_tasks.id", ondelete=CASCADE),
                                         index=True)
    at: Mapped[datetime]
    by: Mapped[str | None] = mapped_column(String)
    action: Mapped[str] = mapped_column(String)
    detail: Mapped[dict[str, Any]]


class NotifierRow(Base):
    """Where task news goes: a webhook URL (HMAC-signed with `secret`) or an e-mail
    address through an SMTP server (`settings`: host, port, sender)."""

    __tablename__ = "notifiers"
    __table_args__ = (CheckConstraint("kind IN ('webhook', 'email')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    kind: Mapped[str] = mapped_column(String)
    target: Mapped[str] = mapped_column(String)
    secret: Mapped[str | None] = mapped_column(String)
    settings: Mapped[dict[str, Any]]
    events: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class NotificationRow(Base):
    """What was sent (or failed) about which task; unique so due-soon goes out once."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("notifier_id", "task_id", "event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notifier_id: Mapped[int] = mapped_column(ForeignKey("notifiers.id", ondelete=CASCADE))
    task_id: Mapped[int] = mapped_column(ForeignKey("followup_tasks.id", ondelete=CASCADE),
                                         index=True)
    event: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String)          # sent, failed
    error: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]
