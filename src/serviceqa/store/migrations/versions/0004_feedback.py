"""Customer feedback: survey keys, definitions, links and responses; follow-up tasks with
their history; notifiers and what they sent.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    referred, _ = target.split(".")
    return sa.ForeignKeyConstraint([column], [target], ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_{column}_{referred}"))


def _surveys() -> None:
    op.create_table(
        "feedback_keys",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("secret", sa.String(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_feedback_keys")),
    )
    op.create_table(
        "surveys",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_surveys")),
    )
    op.create_table(
        "survey_links",
        sa.Column("nonce", sa.String(), nullable=False),
        sa.Column("survey", sa.String(), nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        _fk("survey_links", "conversation_id", "conversations.id"),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_survey_links")),
    )
    for column in ("survey", "conversation_id", "created_at"):
        op.create_index(op.f(f"ix_survey_links_{column}"), "survey_links", [column])


def _responses() -> None:
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("nonce", sa.String(), nullable=True),
        sa.Column("external_id", sa.String(), nullable=True),
        sa.Column("survey", sa.String(), nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("csat", sa.Integer(), nullable=True),
        sa.Column("nps", sa.Integer(), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("analysis", sa.JSON(), nullable=False),
        sa.Column("submitted_at", TS, nullable=False),
        sa.CheckConstraint("csat IS NULL OR csat BETWEEN 1 AND 5",
                           name=op.f("ck_survey_responses_csat")),
        sa.CheckConstraint("nps IS NULL OR nps BETWEEN 0 AND 10",
                           name=op.f("ck_survey_responses_nps")),
        sa.CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 10",
                           name=op.f("ck_survey_responses_satisfaction")),
        _fk("survey_responses", "conversation_id", "conversations.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sa.UniqueConstraint("nonce", name=op.f("uq_survey_responses_nonce")),
        sa.UniqueConstraint("survey", "external_id",
                            name=op.f("uq_survey_responses_survey_external_id")),
    )
    for column in ("survey", "conversation_id", "submitted_at"):
        op.create_index(op.f(f"ix_survey_responses_{column}"), "survey_responses", [column])


def _tasks() -> None:
    op.create_table(
        "followup_tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("trigger_kind", sa.String(), nullable=False),
        sa.Column("source_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=True),
        sa.Column("agent_id", sa.String(), nullable=True),
        sa.Column("team", sa.String(), nullable=True),
        sa.Column("assignee", sa.String(), nullable=True),
        sa.Column("assignee_role", sa.String(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("customer_informed_at", TS, nullable=True),
        sa.Column("breach_alerted_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("status IN ('open', 'in_progress', 'done', 'cancelled')",
                           name=op.f("ck_followup_tasks_status")),
        _fk("followup_tasks", "conversation_id", "conversations.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_tasks")),
        sa.UniqueConstraint("trigger_kind", "source_id",
                            name=op.f("uq_followup_tasks_trigger_kind_source_id")),
    )
    for column in ("kind", "conversation_id", "agent_id", "assignee"):
        op.create_index(op.f(f"ix_followup_tasks_{column}"), "followup_tasks", [column])
    op.create_index("ix_followup_tasks_status_due_at", "followup_tasks", ["status", "due_at"])
    op.create_table(
        "followup_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("by", sa.String(), nullable=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        _fk("followup_events", "task_id", "followup_tasks.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_events")),
    )
    op.create_index(op.f("ix_followup_events_task_id"), "followup_events", ["task_id"])


def _notifications() -> None:
    op.create_table(
        "notifiers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("secret", sa.String(), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint("kind IN ('webhook', 'email')", name=op.f("ck_notifiers_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifiers")),
        sa.UniqueConstraint("name", name=op.f("uq_notifiers_name")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("notifier_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("at", TS, nullable=False),
        _fk("notifications", "notifier_id", "notifiers.id"),
        _fk("notifications", "task_id", "followup_tasks.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("notifier_id", "task_id", "event",
                            name=op.f("uq_notifications_notifier_id_task_id_event")),
    )
    op.create_index(op.f("ix_notifications_task_id"), "notifications", ["task_id"])


def upgrade() -> None:
    _surveys()
    _responses()
    _tasks()
    _notifications()


def downgrade() -> None:
    for table in ("notifications", "notifiers", "followup_events", "followup_tasks",
                  "survey_responses", "survey_links", "surveys", "feedback_keys"):
        op.drop_table(table)
