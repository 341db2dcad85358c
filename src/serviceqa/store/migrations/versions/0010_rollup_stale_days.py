"""Days whose rollups a bulk write left to be recomputed (`rollups.deferred`), and
`rollup_items` without its per-key indexes.

Keeping the rollups row by row cost a bulk load of 100k conversations into PostgreSQL
two thirds of its time; a bulk write now marks the days it touched and recomputes them
from the raw tables when it ends. Of that recomputation, most went into `rollup_items`
and its four secondary indexes, which only reports filtered by two keys read: its primary
key (family, day, ...) finds a period's rows for them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


FILTERED_BY_PERIOD = ("agent_id", "team", "channel", "language")


def upgrade() -> None:
    op.create_table("rollup_stale_days", sa.Column("day", sa.String(), nullable=False),
                    sa.PrimaryKeyConstraint("day", name=op.f("pk_rollup_stale_days")))
    for column in FILTERED_BY_PERIOD:
        op.drop_index(op.f(f"ix_rollup_items_family_{column}_day"), table_name="rollup_items")


def downgrade() -> None:
    # An older schema keeps every rollup current: recompute what was left stale.
    from serviceqa.store.rollups import refresh

    refresh(op.get_bind())
    op.drop_table("rollup_stale_days")
    for column in FILTERED_BY_PERIOD:
        op.create_index(op.f(f"ix_rollup_items_family_{column}_day"), "rollup_items",
                        ["family", column, "day"])
