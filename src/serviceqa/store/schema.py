"""SQLAlchemy tables of the store; the migrations in `migrations/versions` must match them.

Portable on purpose (SQLite and PostgreSQL): generic types only, named constraints,
timestamps always stored and returned as UTC-aware datetimes.
The `data` columns hold the full pydantic dump, so nothing a user sent is lost;
the other columns are copies kept for filtering, indexing and GROUP BY.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (JSON, Boolean, CheckConstraint, DateTime, Float, ForeignKey, Index,
                        Integer, MetaData, String, Text, false)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
CASCADE = "CASCADE"


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime on every backend; naive input is taken as UTC.

    SQLite has no time zone type, so values are normalised to UTC on the way in
    and marked UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON()}


def _conversation_fk() -> Any:
    return ForeignKey("conversations.id", ondelete=CASCADE)


# The workspace filters by one of these and a period, and reports group by them:
# (column, started_at) serves "agent a-17 in November" and "agent a-17" alike. The id at
# the end covers the join to evaluations and the list's order (newest first, then id)
# without reading the row, whose JSON is most of the table (migration 0008).
FILTERED_BY_PERIOD = ("agent_id", "team", "channel", "language")


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        *(Index(f"ix_conversations_{column}_started_at_id", column, "started_at", "id")
          for column in FILTERED_BY_PERIOD),
        Index("ix_conversations_started_at_id", "started_at", "id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    channel: Mapped[str | None] = mapped_column(String)
    language: Mapped[str | None] = mapped_column(String)
    agent_id: Mapped[str | None] = mapped_column(String)
    agent_name: Mapped[str | None] = mapped_column(String)
    team: Mapped[str | None] = mapped_column(String)
    customer_id: Mapped[str | None] = mapped_column(String)
    started_at: Mapped[datetime | None]
    message_count: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]]
    ingested_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class EvaluationRow(Base):
    """`score` and `passed` are the automatic verdict (as in `data`); the `final_*` columns
    are what managers read: the human review's where one applies, else the automatic
    ones again (`finals.py`, migration 0009). Filters, lists and reports use them."""

    __tablename__ = "evaluations"
    # A score filter joined from conversations reads the score here, not in the wide row.
    __table_args__ = (Index("ix_evaluations_conversation_id_final_score", "conversation_id",
                            "final_score"),)

    conversation_id: Mapped[str] = mapped_column(_conversation_fk(), primary_key=True)
    scorecard: Mapped[str] = mapped_column(String, index=True)
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    language: Mapped[str | None] = mapped_column(String)
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    final_score: Mapped[float | None] = mapped_column(Float, index=True)  # score-range filter
    final_passed: Mapped[bool | None] = mapped_column(Boolean)
    # The review that gave the final columns (None: they are the automatic verdict). Not a
    # foreign key: a copy that `finals.refresh` rewrites, and SQLite cannot add one in place.
    final_review_id: Mapped[int | None] = mapped_column(Integer)


class CriterionResultRow(Base):
    """`result` is the automatic verdict, `final_result` the reviewer's where the final
    review gave one (else `result` again): the failed-criterion filter and the reports."""

    __tablename__ = "criterion_results"
    __table_args__ = (
        CheckConstraint("result IN ('pass', 'fail', 'na')", name="result"),
        Index("ix_criterion_results_criterion_id_final_result", "criterion_id",
              "final_result"),
    )

    conversation_id: Mapped[str] = mapped_column(_conversation_fk(), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String, primary_key=True)
    result: Mapped[str] = mapped_column(String(4))
    weight: Mapped[float] = mapped_column(Float)
    final_result: Mapped[str | None] = mapped_column(String(4))


SAFETY_FIRST = {"safety": 1}  # alert kind -> priority (higher first); any other kind: 0


class AlertRow(Base):
    """`priority` is the inbox order (safety first, then newest), stored so that one index
    read backwards gives it: priority, created_at and id all descending."""

    __tablename__ = "alerts"
    __table_args__ = (
        Index("ix_alerts_priority_created_at_id", "priority", "created_at", "id"),
        Index("ix_alerts_kind_created_at_id", "kind", "created_at", "id"),  # one kind's inbox
        Index("ix_alerts_conversation_id_kind", "conversation_id", "kind"),  # alert_kind filter
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(_conversation_fk())
    kind: Mapped[str] = mapped_column(String)
    reason: Mapped[str] = mapped_column(String)
    created_at: Mapped[datetime]
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CustomerTypeRow(Base):
    __tablename__ = "customer_types"

    conversation_id: Mapped[str] = mapped_column(_conversation_fk(), primary_key=True)
    type: Mapped[str] = mapped_column(String, primary_key=True, index=True)


# The QA workspace (migration 0003): who may use it, and what they changed.

ROLES = ("admin", "lead", "reviewer", "agent")


def _user_fk() -> Any:
    return ForeignKey("users.id", ondelete=CASCADE)


class UserRow(Base):
    """A workspace user; an `agent` user sees only the conversations of `agent_id`."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'lead', 'reviewer', 'agent')",
                                      name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String, unique=True, index=True)
    role: Mapped[str] = mapped_column(String)
    agent_id: Mapped[str | None] = mapped_column(String)
    password_hash: Mapped[str | None] = mapped_column(String)  # argon2; None: tokens only
    created_at: Mapped[datetime]


class ApiTokenRow(Base):
    """Only the sha256 of a token is kept: a leaked table grants nothing."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    token_hash: Mapped[str] = mapped_column(String, unique=True, index=True)
    created_at: Mapped[datetime]


class SessionRow(Base):
    """A browser session: `id` is the sha256 of the cookie value; `csrf_token` is the
    double-submit token the browser must echo in X-CSRF-Token."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    csrf_token: Mapped[str] = mapped_column(String)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ScorecardRow(Base):
    """A scorecard written in the workspace; the YAML is kept as typed, comments and all."""

    __tablename__ = "scorecards"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    yaml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String)


class AlertAcknowledgementRow(Base):
    """Keyed by conversation and alert kind, not alert row: re-scoring replaces the alert
    rows, and an alert someone already handled must stay handled."""

    __tablename__ = "alert_acknowledgements"

    conversation_id: Mapped[str] = mapped_column(_conversation_fk(), primary_key=True)
    kind: Mapped[str] = mapped_column(String, primary_key=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String)
    acknowledged_at: Mapped[datetime]


class WebhookSourceRow(Base):
    """A helpdesk pushing conversations; the secret is kept as is, because checking an
    HMAC needs it (it is shown once, when the source is created)."""

    __tablename__ = "webhook_sources"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    secret: Mapped[str] = mapped_column(String)
    created_at: Mapped[datetime]


metadata = Base.metadata

# Tables defined next to the code that owns them; imported here so `metadata` has them all.
from serviceqa.store import schema_feedback  # noqa: E402,F401 - feedback tables (0004)
from serviceqa.store import schema_review  # noqa: E402,F401 - human review tables (0005)
from serviceqa.store import schema_learn  # noqa: E402,F401 - learned models (0006)
from serviceqa.store import schema_rollups  # noqa: E402,F401 - report rollups (0007)
