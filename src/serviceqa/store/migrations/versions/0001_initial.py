"""Initial store: conversations, evaluations, criterion results, alerts, customer types.

Constraint names are wrapped in op.f(): they are final, the naming convention of
`schema.NAMING` must not be applied to them a second time.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _conversation_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                   name=op.f(f"fk_{table}_conversation_id_conversations"),
                                   ondelete="CASCADE")


def _conversations() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=True),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("agent_id", sa.String(), nullable=True),
        sa.Column("agent_name", sa.String(), nullable=True),
        sa.Column("team", sa.String(), nullable=True),
        sa.Column("customer_id", sa.String(), nullable=True),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("message_count", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("ingested_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
    )
    for column in ("channel", "language", "agent_id", "team", "started_at"):
        op.create_index(op.f(f"ix_conversations_{column}"), "conversations", [column])


def _evaluations() -> None:
    op.create_table(
        "evaluations",
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("scorecard", sa.String(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        _conversation_fk("evaluations"),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_evaluations")),
    )
    op.create_index(op.f("ix_evaluations_scorecard"), "evaluations", ["scorecard"])


def _criterion_results() -> None:
    op.create_table(
        "criterion_results",
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("criterion_id", sa.String(), nullable=False),
        sa.Column("result", sa.String(length=4), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.CheckConstraint("result IN ('pass', 'fail', 'na')",
                           name=op.f("ck_criterion_results_result")),
        _conversation_fk("criterion_results"),
        sa.PrimaryKeyConstraint("conversation_id", "criterion_id",
                                name=op.f("pk_criterion_results")),
    )
    op.create_index(op.f("ix_criterion_results_criterion_id_result"), "criterion_results",
                    ["criterion_id", "result"])


def _alerts() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("acknowledged", sa.Boolean(), server_default=sa.false(), nullable=False),
        _conversation_fk("alerts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_conversation_id"), "alerts", ["conversation_id"])
    op.create_index(op.f("ix_alerts_kind"), "alerts", ["kind"])


def _customer_types() -> None:
    op.create_table(
        "customer_types",
        sa.Column("conversation_id", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        _conversation_fk("customer_types"),
        sa.PrimaryKeyConstraint("conversation_id", "type", name=op.f("pk_customer_types")),
    )
    op.create_index(op.f("ix_customer_types_type"), "customer_types", ["type"])


def upgrade() -> None:
    _conversations()
    _evaluations()
    _criterion_results()
    _alerts()
    _customer_types()


def downgrade() -> None:
    for table in ("customer_types", "alerts", "criterion_results", "evaluations",
                  "conversations"):
        op.drop_table(table)
