"""The report queries of `queries.py`, answered from the rollups when they can be.

They can when every filter is one the rollups are keyed by: agent, team, channel, language,
and a period of whole UTC days. A score range, failed criterion, customer type or alert kind
is a property of single conversations, and a period starting at 09:30 cuts a day in two:
those reports read the raw tables (`queries.py`), which always give the same answer.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, func, select

from serviceqa.store.filters import Filters
from serviceqa.store.portable import binary
from serviceqa.store.schema_rollups import (NONE, RollupSliceItemRow, RollupGroupRow,
                                            RollupItemRow)

G, I, D = RollupGroupRow, RollupItemRow, RollupSliceItemRow
KEYED = ("agent_id", "team", "channel", "language")
COLUMN_OF = {"agent": "agent_id", "team": "team", "channel": "channel",
             "language": "language", "day": "day", "week": "week"}


def _utc(moment: datetime) -> datetime:
    """As the store takes it: naive is UTC already."""
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment


def _whole_day(moment: datetime | None) -> bool:
    return moment is None or _utc(moment).time() == time(0)


def _day(moment: datetime) -> str:
    return _utc(moment).date().isoformat()


def servable(filters: Filters) -> bool:
    """Whether the rollups answer a report over `filters` exactly."""
    per_conversation = (filters.min_score, filters.max_score, filters.failed_criterion,
                        filters.customer_type, filters.alert_kind)
    # '' is how the rollups store "none"; a filter for it must not match missing values.
    empty = any(getattr(filters, name) == NONE for name in KEYED)
    return (all(v is None for v in per_conversation) and not empty
            and _whole_day(filters.since) and _whole_day(filters.until))


def days(filters: Filters) -> tuple[str | None, str | None]:
    """The period of `filters` as rollup days: first, and the one after the last."""
    return (_day(filters.since) if filters.since is not None else None,
            _day(filters.until) if filters.until is not None else None)


def _conditions(model: Any, filters: Filters) -> list[Any]:
    conditions = [getattr(model, name) == getattr(filters, name)
                  for name in KEYED if getattr(filters, name) is not None]
    if filters.since is not None or filters.until is not None:
        conditions.append(model.day != NONE)  # no start time: outside every period
    if filters.since is not None:
        conditions.append(model.day >= _day(filters.since))
    if filters.until is not None:
        conditions.append(model.day < _day(filters.until))
    return conditions


def _where(query: Select[Any], model: Any, filters: Filters) -> Select[Any]:
    conditions = _conditions(model, filters)
    return query.where(and_(*conditions)) if conditions else query


def _sums() -> tuple[Any, ...]:
    return (func.sum(G.evaluations), func.sum(G.scored), func.sum(G.score_micro),
            func.sum(G.passed), func.sum(G.alerts))


@lru_cache(maxsize=256)  # statements are immutable; building one costs ~0.5 ms
def report(by: str, filters: Filters) -> Select[Any]:
    """(key, evaluations, scored, score_micro, passed, alerts) per value of `by`."""
    key = getattr(G, COLUMN_OF[by])
    query = select(key, *_sums()).group_by(key).having(func.sum(G.evaluations) > 0)
    return _where(query, G, filters)


@lru_cache(maxsize=256)  # statements are immutable; building one costs ~0.5 ms
def leaderboard(filters: Filters) -> Select[Any]:
    """(agent_id, name, team, evaluations, scored, score_micro, passed, alerts) per agent;
    sorted and cut by the caller, which has the exact means."""
    query = (select(G.agent_id, func.max(G.agent_name), func.max(G.team), *_sums())
             .where(G.agent_id != NONE)
             .group_by(G.agent_id).having(func.sum(G.evaluations) > 0)
             .order_by(binary(G.agent_id)))
    return _where(query, G, filters)


@lru_cache(maxsize=256)  # statements are immutable; building one costs ~0.5 ms
def items(family: str, filters: Filters) -> Select[Any]:
    """(item, n, passed, failed) of a family: from the slice of the one key filtered by,
    or the unfiltered slice; filters on two keys or more read `rollup_items`."""
    keyed = [name for name in KEYED if getattr(filters, name) is not None]
    if len(keyed) > 1:
        model, conditions = I, _conditions(I, filters)
    else:
        model = D
        dimension = keyed[0] if keyed else NONE
        value = getattr(filters, dimension) if keyed else NONE
        conditions = [D.dimension == dimension, D.value == value,
                      *_conditions(D, replace(filters, **{dimension: None}) if keyed
                                   else filters)]
    return (select(model.item, func.sum(model.n), func.sum(model.passed),
                   func.sum(model.failed))
            .where(model.family == family, *conditions)
            .group_by(model.item).having(func.sum(model.n) > 0)
            .order_by(binary(model.item)))
