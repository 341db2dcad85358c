"""Report rollups: the report figures summed per day and (agent, team, channel, language),
filled from the conversations already stored.

The backfill is `serviceqa.store.rollups.rebuild`, the same SQL the writers use to keep the
rollups current, so a migrated database and a freshly written one hold the same sums; it
runs at the end of 0009, which adds columns the sums read.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERED_BY_PERIOD = ("agent_id", "team", "channel", "language")


def _key(name: str) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=False)


def _count(name: str, kind: type[sa.types.TypeEngine] = sa.Integer) -> sa.Column:
    return sa.Column(name, kind(), nullable=False)


def upgrade() -> None:
    group_key = ("day", "agent_id", "agent_name", "team", "channel", "language")
    op.create_table(
        "rollup_groups", *map(_key, group_key), sa.Column("week", sa.String(), nullable=False),
        _count("evaluations"), _count("scored"), _count("score_micro", sa.BigInteger),
        _count("passed"), _count("alerts"),
        sa.PrimaryKeyConstraint(*group_key, name=op.f("pk_rollup_groups")))
    for column in FILTERED_BY_PERIOD:
        op.create_index(op.f(f"ix_rollup_groups_{column}_day"), "rollup_groups", [column, "day"])
    item_key = ("family", "day", "agent_id", "team", "channel", "language", "item")
    op.create_table(
        "rollup_items", *map(_key, item_key), _count("n"), _count("passed"), _count("failed"),
        sa.PrimaryKeyConstraint(*item_key, name=op.f("pk_rollup_items")))
    for column in FILTERED_BY_PERIOD:
        op.create_index(op.f(f"ix_rollup_items_family_{column}_day"), "rollup_items",
                        ["family", column, "day"])
    slice_key = ("family", "dimension", "value", "day", "item")
    op.create_table(
        "rollup_item_slices", *map(_key, slice_key), _count("n"), _count("passed"),
        _count("failed"), sa.PrimaryKeyConstraint(*slice_key, name=op.f("pk_rollup_item_slices")))
    # Filled by 0009, not here: `rollups.rebuild` is today's code and sums today's columns
    # (evaluations.final_score and the rest, which 0009 adds), so only the newest
    # migration that changes what the sums read may run it.


def downgrade() -> None:
    for column in FILTERED_BY_PERIOD:
        op.drop_index(op.f(f"ix_rollup_items_family_{column}_day"), table_name="rollup_items")
        op.drop_index(op.f(f"ix_rollup_groups_{column}_day"), table_name="rollup_groups")
    for table in ("rollup_item_slices", "rollup_items", "rollup_groups"):
        op.drop_table(table)
