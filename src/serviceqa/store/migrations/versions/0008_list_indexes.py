"""Indexes that let the lists stop early instead of sorting every match.

- conversations: (started_at, id) and (agent_id | team | channel | language, started_at, id)
  replace the indexes without `id`: the list's order is newest first, then id, and the join
  to evaluations needs the id, which otherwise costs a read of the wide row.
- evaluations (conversation_id, score): a score filter reads the score without the row.
- alerts.priority (1 for safety, 0 for the rest) with (priority, created_at, id), read
  backwards: the inbox's order, safety first then newest, without sorting every alert
  (a batch's alerts share one created_at, so a sort on it alone left big ties to sort);
  (kind, created_at, id) for one kind's inbox, and (conversation_id, kind) replaces
  (conversation_id) and (kind) for the alert-kind filter, probed per conversation.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERED_BY_PERIOD = ("agent_id", "team", "channel", "language")


def upgrade() -> None:
    op.create_index(op.f("ix_conversations_started_at_id"), "conversations",
                    ["started_at", "id"])
    op.drop_index(op.f("ix_conversations_started_at"), table_name="conversations")
    for column in FILTERED_BY_PERIOD:
        op.create_index(op.f(f"ix_conversations_{column}_started_at_id"), "conversations",
                        [column, "started_at", "id"])
        op.drop_index(op.f(f"ix_conversations_{column}_started_at"), table_name="conversations")
    op.create_index(op.f("ix_evaluations_conversation_id_score"), "evaluations",
                    ["conversation_id", "score"])
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE alerts SET priority = 1 WHERE kind = 'safety'")
    op.create_index(op.f("ix_alerts_priority_created_at_id"), "alerts",
                    ["priority", "created_at", "id"])
    op.create_index(op.f("ix_alerts_kind_created_at_id"), "alerts", ["kind", "created_at", "id"])
    op.create_index(op.f("ix_alerts_conversation_id_kind"), "alerts", ["conversation_id", "kind"])
    op.drop_index(op.f("ix_alerts_kind"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_conversation_id"), table_name="alerts")


def downgrade() -> None:
    op.create_index(op.f("ix_alerts_conversation_id"), "alerts", ["conversation_id"])
    op.create_index(op.f("ix_alerts_kind"), "alerts", ["kind"])
    op.drop_index(op.f("ix_alerts_conversation_id_kind"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_kind_created_at_id"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_priority_created_at_id"), table_name="alerts")
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("priority")
    op.drop_index(op.f("ix_evaluations_conversation_id_score"), table_name="evaluations")
    for column in FILTERED_BY_PERIOD:
        op.create_index(op.f(f"ix_conversations_{column}_started_at"), "conversations",
                        [column, "started_at"])
        op.drop_index(op.f(f"ix_conversations_{column}_started_at_id"),
                      table_name="conversations")
    op.create_index(op.f("ix_conversations_started_at"), "conversations", ["started_at"])
    op.drop_index(op.f("ix_conversations_started_at_id"), table_name="conversations")
