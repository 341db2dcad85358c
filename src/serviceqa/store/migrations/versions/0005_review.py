"""Human review: reviews and verdicts, assignment queues and rules, disputes and their
history, calibration sessions, coaching notes.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
VERDICTS = "('pass', 'fail', 'na')"


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    name = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], ondelete=ondelete,
                                   name=op.f(f"fk_{table}_{column}_{name}"))


def _user(table: str, column: str) -> sa.ForeignKeyConstraint:
    return _fk(table, column, "users.id", "SET NULL")


def _conversation(table: str) -> sa.ForeignKeyConstraint:
    return _fk(table, "conversation_id", "conversations.id", "CASCADE")


def _calibration() -> None:
    op.create_table(
        "calibration_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("scorecard", sa.String(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')",
                           name=op.f("ck_calibration_sessions_status")),
        _user("calibration_sessions", "created_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_sessions")),
    )
    op.create_table(
        "calibration_items",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=False),
        _fk("calibration_items", "session_id", "calibration_sessions.id", "CASCADE"),
        _conversation("calibration_items"),
        sa.PrimaryKeyConstraint("session_id", "conversation_id",
                                name=op.f("pk_calibration_items")),
    )
    op.create_table(
        "calibration_reviewers",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _fk("calibration_reviewers", "session_id", "calibration_sessions.id", "CASCADE"),
        _fk("calibration_reviewers", "user_id", "users.id", "CASCADE"),
        sa.PrimaryKeyConstraint("session_id", "user_id", name=op.f("pk_calibration_reviewers")),
    )


def _reviews() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("scorecard", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("auto_score", sa.Float(), nullable=True),
        sa.Column("calibration_session_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("submitted_at", TS, nullable=True),
        sa.CheckConstraint("status IN ('draft', 'submitted')", name=op.f("ck_reviews_status")),
        sa.CheckConstraint("kind IN ('review', 'calibration', 'resolution')",
                           name=op.f("ck_reviews_kind")),
        _conversation("reviews"),
        _user("reviews", "reviewer_id"),
        _fk("reviews", "calibration_session_id", "calibration_sessions.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index("ix_reviews_conversation_id_status", "reviews",
                    ["conversation_id", "status"])
    op.create_index(op.f("ix_reviews_reviewer_id"), "reviews", ["reviewer_id"])
    op.create_index(op.f("ix_reviews_calibration_session_id"), "reviews",
                    ["calibration_session_id"])
    op.create_table(
        "review_verdicts",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(), nullable=False),
        sa.Column("result", sa.String(length=4), nullable=False),
        sa.Column("auto_result", sa.String(length=4), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint(f"result IN {VERDICTS}", name=op.f("ck_review_verdicts_result")),
        sa.CheckConstraint(f"auto_result IS NULL OR auto_result IN {VERDICTS}",
                           name=op.f("ck_review_verdicts_auto_result")),
        _fk("review_verdicts", "review_id", "reviews.id", "CASCADE"),
        sa.PrimaryKeyConstraint("review_id", "criterion_id", name=op.f("pk_review_verdicts")),
    )


def _queues() -> None:
    op.create_table(
        "review_rules",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("yaml", sa.Text(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_review_rules")),
    )
    op.create_table(
        "review_assignments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("rule", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'done')",
                           name=op.f("ck_review_assignments_status")),
        _conversation("review_assignments"),
        _user("review_assignments", "reviewer_id"),
        _fk("review_assignments", "review_id", "reviews.id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_assignments")),
        sa.UniqueConstraint("conversation_id", name="uq_review_assignments_conversation_id"),
    )
    op.create_index(op.f("ix_review_assignments_reviewer_id"), "review_assignments",
                    ["reviewer_id"])


def _disputes() -> None:
    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("resolution_review_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("resolved_at", TS, nullable=True),
        sa.CheckConstraint("status IN ('open', 'accepted', 'rejected')",
                           name=op.f("ck_disputes_status")),
        _fk("disputes", "review_id", "reviews.id", "CASCADE"),
        _conversation("disputes"),
        _user("disputes", "opened_by"),
        _user("disputes", "resolved_by"),
        _fk("disputes", "resolution_review_id", "reviews.id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disputes")),
    )
    op.create_index(op.f("ix_disputes_review_id"), "disputes", ["review_id"])
    op.create_index(op.f("ix_disputes_conversation_id"), "disputes", ["conversation_id"])
    op.create_table(
        "dispute_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("at", TS, nullable=False),
        _fk("dispute_events", "dispute_id", "disputes.id", "CASCADE"),
        _user("dispute_events", "actor_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_events")),
    )
    op.create_index(op.f("ix_dispute_events_dispute_id"), "dispute_events", ["dispute_id"])


def _coaching() -> None:
    op.create_table(
        "coaching_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agent_id", sa.String(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(), nullable=True),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("conversation_ids", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("acknowledged_at", TS, nullable=True),
        _user("coaching_notes", "author_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_notes")),
    )
    op.create_index(op.f("ix_coaching_notes_agent_id"), "coaching_notes", ["agent_id"])


def upgrade() -> None:
    _calibration()
    _reviews()
    _queues()
    _disputes()
    _coaching()


def downgrade() -> None:
    for table in ("coaching_notes", "dispute_events", "disputes", "review_assignments",
                  "review_rules", "review_verdicts", "reviews", "calibration_reviewers",
                  "calibration_items", "calibration_sessions"):
        op.drop_table(table)
