"""Report queries: every aggregate is a GROUP BY in the database, portable SQL only.

Scores, pass rates and criterion counts read the final columns (`finals.py`): a human
review replaces the automatic verdict wherever a manager reads figures.

Where SQLite and PostgreSQL differ (calendar days, text order) `portable` decides, so the
same data gives the same report on both.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import Float, Text, and_, case, cast, func, select
from sqlalchemy.sql import Executable

from serviceqa.store.filters import Filters
from serviceqa.store.portable import binary, day_of, week_of
from serviceqa.store.schema import (AlertAcknowledgementRow, AlertRow, ConversationRow,
                                    CriterionResultRow, CustomerTypeRow, EvaluationRow)

C, E, R, A, T = ConversationRow, EvaluationRow, CriterionResultRow, AlertRow, CustomerTypeRow
K = AlertAcknowledgementRow
Dimension = Literal["agent", "team", "channel", "language", "day", "week"]
DIMENSIONS: dict[str, Any] = {
    "agent": C.agent_id, "team": C.team, "channel": C.channel, "language": C.language,
    "day": day_of(C.started_at), "week": week_of(C.started_at),
}
NO_FILTERS = Filters()


def _alerts_per_agent(filters: Filters) -> Any:
    """Alerts of the conversations `filters` keeps, per agent: a join of alerts with the
    filtered conversations (not a count over every alert, then joined)."""
    query = select(C.agent_id, func.count(A.id).label("alerts")).join(A, A.conversation_id == C.id)
    if filters.needs_evaluations():
        query = query.join(E, E.conversation_id == C.id)
    return filters.apply(query.group_by(C.agent_id)).subquery("alerts_per_agent")


def _alerts_per_conversation() -> Any:
    return (select(A.conversation_id, func.count(A.id).label("n"))
            .group_by(A.conversation_id).subquery("alerts_per_conversation"))


def _mean_score() -> Any:
    return cast(func.avg(E.final_score), Float)


def _pass_rate() -> Any:
    return cast(func.avg(case((E.final_passed, 1.0), else_=0.0)), Float)


def leaderboard(limit: int, filters: Filters = NO_FILTERS) -> Executable:
    """Agents by mean score (best first, agents without a score last), ties by agent id.

    Name and team are taken with MAX() so a renamed agent stays one row. Alerts are
    those of the conversations the filters keep (a month's leaderboard counts that month's).
    """
    alerts = _alerts_per_agent(filters)
    mean_score = _mean_score()
    query = (select(C.agent_id, func.max(C.agent_name), func.max(C.team),
                    func.count(E.conversation_id), mean_score, _pass_rate(),
                    func.coalesce(func.max(alerts.c.alerts), 0))
             .join(E, E.conversation_id == C.id)
             .outerjoin(alerts, alerts.c.agent_id == C.agent_id)
             .where(C.agent_id.is_not(None))
             .group_by(C.agent_id)
             .order_by(mean_score.desc().nulls_last(), binary(C.agent_id))
             .limit(limit))
    return filters.apply(query)


def report(by: Dimension, filters: Filters = NO_FILTERS) -> Executable:
    """One row per value of `by` (None last): evaluations, mean score, pass rate, alerts.

    Only evaluated conversations count; alerts are summed per conversation first so the
    join cannot multiply the other aggregates.
    """
    key = DIMENSIONS[by]
    alerts = _alerts_per_conversation()
    query = (select(key, func.count(E.conversation_id), _mean_score(), _pass_rate(),
                    func.coalesce(func.sum(alerts.c.n), 0))
             .select_from(C).join(E, E.conversation_id == C.id)
             .outerjoin(alerts, alerts.c.conversation_id == C.id)
             .group_by(key)
             .order_by(binary(key).nulls_last()))
    return filters.apply(query)


def _count(result: str) -> Any:
    return func.coalesce(func.sum(case((R.final_result == result, 1), else_=0)), 0)


def _scoped(query: Any, child: Any, filters: Filters) -> Any:
    """Rows of a child table (all of them exist only for evaluated conversations), filtered;
    a join is left out when no filter reads its table (evaluations: only the score)."""
    if filters.is_empty():
        return query
    joined = query.join(C, C.id == child.conversation_id)
    if filters.needs_evaluations():
        joined = joined.join(E, E.conversation_id == child.conversation_id)
    return filters.apply(joined)


def criterion_counts(filters: Filters = NO_FILTERS) -> Executable:
    query = (select(R.criterion_id, _count("pass"), _count("fail"), _count("na"))
             .group_by(R.criterion_id).order_by(binary(R.criterion_id)))
    return _scoped(query, R, filters)


def alert_counts(filters: Filters = NO_FILTERS) -> Executable:
    query = select(A.kind, func.count(A.id)).group_by(A.kind).order_by(binary(A.kind))
    return _scoped(query, A, filters)


def customer_type_counts(filters: Filters = NO_FILTERS) -> Executable:
    """Conversations per difficult-customer type."""
    query = (select(T.type, func.count(T.conversation_id))
             .group_by(T.type).order_by(binary(T.type)))
    return _scoped(query, T, filters)


def _newest_first(query: Any, columns: Any = C) -> Any:
    return query.order_by(columns.started_at.desc().nulls_last(), binary(columns.id))


_COUNTED_IN_CHILD = {
    # filter -> (table, condition) whose rows each stand for one evaluated conversation
    "failed_criterion": lambda v: (R, and_(R.criterion_id == v, R.final_result == "fail")),
    "customer_type": lambda v: (T, T.type == v),
}


def _matching(filters: Filters, evaluated_only: bool) -> Any:
    """How many conversations match, joining evaluations only when it changes the answer:
    at 100k rows the join made the count cost 40 times the page itself. A filter that is
    alone and names a child row is counted in that table's index."""
    if evaluated_only and filters.is_empty():
        return select(func.count()).select_from(E)
    given = {name: value for name, value in vars(filters).items() if value is not None}
    if len(given) == 1 and next(iter(given)) in _COUNTED_IN_CHILD:
        name, value = next(iter(given.items()))
        table, condition = _COUNTED_IN_CHILD[name](value)
        return select(func.count()).select_from(table).where(condition)
    if evaluated_only or filters.needs_evaluations():
        joined = select(func.count()).select_from(C).join(E, E.conversation_id == C.id)
        return filters.apply(joined)
    return filters.apply(select(func.count()).select_from(C))


def _page_of_ids(filters: Filters, evaluated_only: bool, limit: int, offset: int) -> Any:
    """The ids of one page, in list order, read from the (…, started_at, id) indexes alone:
    skipping 5,000 rows of the wide conversation table to reach page 100 cost 55 ms."""
    ids: Any = select(C.id, C.started_at).select_from(C)
    if evaluated_only or filters.needs_evaluations():
        ids = ids.join(E, E.conversation_id == C.id)
    return _newest_first(filters.apply(ids)).limit(limit).offset(offset).subquery("page")


@lru_cache(maxsize=256)  # statements are immutable; building one costs ~1 ms
def conversation_page(filters: Filters, evaluated_only: bool, limit: int,
                      offset: int) -> tuple[Any, Any]:
    """(rows, count) of the conversation list, newest first; the evaluation is joined
    outer unless only evaluated conversations are asked for (the evaluation list)."""
    page = _page_of_ids(filters, evaluated_only, limit, offset)
    join = (page.join(C, C.id == page.c.id)
            .join(E, E.conversation_id == C.id, isouter=not evaluated_only))
    columns = (C.id, C.channel, C.language, C.agent_id, C.agent_name, C.team, C.customer_id,
               C.started_at, C.message_count, E.scorecard, E.score, E.passed,
               E.final_score, E.final_passed, E.final_review_id)
    rows = select(*columns).select_from(join)
    return _newest_first(rows, page.c), _matching(filters, evaluated_only)


@lru_cache(maxsize=256)  # statements are immutable; building one costs ~1 ms
def evaluation_page(filters: Filters, limit: int, offset: int) -> tuple[Any, Any]:
    """(rows, count) of whole evaluations, in the conversation list's order."""
    page = _page_of_ids(filters, True, limit, offset)
    join = page.join(E, E.conversation_id == page.c.id)
    # As text: pydantic parses it straight into an Evaluation, twice as fast as decoding it
    # to Python objects first and validating those (about half of a page's time).
    rows = select(cast(E.data, Text)).select_from(join)
    return _newest_first(rows, page.c), _matching(filters, evaluated_only=True)


@lru_cache(maxsize=256)  # statements are immutable; building one costs ~1 ms
def alert_page(filters: Filters, kind: str | None,
               acknowledged: bool | None) -> tuple[Any, Any]:
    """(rows, count) of alerts, safety first then newest, with their acknowledgement.

    The order is one index read backwards (`alerts.priority`, migration 0008), so a page
    stops after its rows; evaluations are joined only for a score filter."""
    join = A.__table__.join(C, C.id == A.conversation_id)
    if filters.needs_evaluations():
        join = join.join(E, E.conversation_id == A.conversation_id)
    join = join.join(K, and_(K.conversation_id == A.conversation_id, K.kind == A.kind),
                     isouter=True)
    conditions = [A.kind == kind] if kind is not None else []
    if acknowledged is not None:
        conditions.append(K.acknowledged_at.is_not(None) if acknowledged
                          else K.acknowledged_at.is_(None))
    columns = (A.id, A.conversation_id, C.agent_id, A.kind, A.reason, A.created_at,
               K.acknowledged_at.is_not(None), K.acknowledged_by)
    rows: Any = select(*columns).select_from(join).where(*conditions)
    rows = filters.apply(rows)
    count = select(func.count()).select_from(join).where(*conditions)
    if filters.is_empty() and acknowledged is None:  # the joins cannot change the count
        count = select(func.count()).select_from(A).where(*conditions)
    count = filters.apply(count)
    return rows.order_by(A.priority.desc(), A.created_at.desc(), A.id.desc()), count
