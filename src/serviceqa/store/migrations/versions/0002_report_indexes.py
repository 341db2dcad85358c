"""Indexes for the workspace filters and reports, on SQLite and PostgreSQL alike.

conversations: (agent_id | team | channel | language, started_at) replace the single-column
indexes, which they make redundant (a leading column serves the equality filter alone).
evaluations: score, for the score-range filter. The other filters were served by 0001:
started_at (period), criterion_results (criterion_id, result) (failed criterion),
customer_types.type, alerts.kind.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERED_BY_PERIOD = ("agent_id", "team", "channel", "language")


def upgrade() -> None:
    for column in FILTERED_BY_PERIOD:
        op.create_index(op.f(f"ix_conversations_{column}_started_at"), "conversations",
                        [column, "started_at"])
        op.drop_index(op.f(f"ix_conversations_{column}"), table_name="conversations")
    op.create_index(op.f("ix_evaluations_score"), "evaluations", ["score"])


def downgrade() -> None:
    op.drop_index(op.f("ix_evaluations_score"), table_name="evaluations")
    for column in FILTERED_BY_PERIOD:
        op.create_index(op.f(f"ix_conversations_{column}"), "conversations", [column])
        op.drop_index(op.f(f"ix_conversations_{column}_started_at"),
                      table_name="conversations")
