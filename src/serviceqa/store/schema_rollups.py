"""Report rollups (migration 0007): the report figures summed per day and report key.

A report over 100,000 conversations grouped every conversation, evaluation and criterion
result on each request (2.5 s on SQLite). The rollups hold the same sums per
(day, agent, team, channel, language), kept up to date in the transaction that writes the
conversations (`rollups.py`), so a report reads a few thousand rows instead.

Key columns are NOT NULL so they can form a primary key (an upsert needs one): a missing
value is stored as '' and read back as None. Scores are summed in millionths of a point
as integers, so adding and later subtracting a conversation leaves no rounding residue.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from serviceqa.store.schema import FILTERED_BY_PERIOD, Base

NONE = ""  # how a missing key value is stored


def _key(primary: bool = True) -> Mapped[str]:
    return mapped_column(String, primary_key=primary, default=NONE)


class RollupGroupRow(Base):
    """Evaluated conversations per day and key: the report groups and the leaderboard."""

    __tablename__ = "rollup_groups"
    __table_args__ = tuple(Index(f"ix_rollup_groups_{column}_day", column, "day")
                           for column in FILTERED_BY_PERIOD)

    day: Mapped[str] = _key()
    agent_id: Mapped[str] = _key()
    agent_name: Mapped[str] = _key()  # a key, so MAX(agent_name) per agent stays exact
    team: Mapped[str] = _key()
    channel: Mapped[str] = _key()
    language: Mapped[str] = _key()
    week: Mapped[str] = mapped_column(String)  # the Monday of `day`, kept to group by
    evaluations: Mapped[int] = mapped_column(Integer)
    scored: Mapped[int] = mapped_column(Integer)  # evaluations with a score
    score_micro: Mapped[int] = mapped_column(BigInteger)  # sum of scores x 1,000,000
    passed: Mapped[int] = mapped_column(Integer)
    alerts: Mapped[int] = mapped_column(Integer)


class RollupItemRow(Base):
    """Per day and key, counts of one item of a family: a criterion (n, passed, failed),
    an alert kind or a customer type (n only)."""

    __tablename__ = "rollup_items"
    # Only the primary key (family, day, ...): it is read for reports filtered by two keys
    # or more, a period's rows at a time; the per-key indexes 0007 made cost bulk loads a
    # fifth of their time and were dropped by 0010.

    family: Mapped[str] = _key()
    day: Mapped[str] = _key()
    agent_id: Mapped[str] = _key()
    team: Mapped[str] = _key()
    channel: Mapped[str] = _key()
    language: Mapped[str] = _key()
    item: Mapped[str] = _key()
    n: Mapped[int] = mapped_column(Integer)
    passed: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)


class RollupSliceItemRow(Base):
    """`rollup_items` summed over all keys but one (`dimension` = `value`), or over all of
    them (dimension and value ''): what a report filtered by one key, or by none, reads.

    A team's criteria over 100,000 conversations are 31,000 rows of `rollup_items` and
    1,600 here; a year of a 500-agent centre unfiltered, millions against a few thousand.
    """

    __tablename__ = "rollup_item_slices"

    family: Mapped[str] = _key()
    dimension: Mapped[str] = _key()  # '', agent_id, team, channel or language
    value: Mapped[str] = _key()
    day: Mapped[str] = _key()
    item: Mapped[str] = _key()
    n: Mapped[int] = mapped_column(Integer)
    passed: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)


class RollupStaleDayRow(Base):
    """A day whose rollups a bulk write did not keep (`rollups.deferred`): reports over it
    read the raw tables until `rollups.refresh` recomputes it."""

    __tablename__ = "rollup_stale_days"

    day: Mapped[str] = _key()
