"""Report queries: every aggregate is a GROUP BY in the database, portable SQL only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, case, cast, func, select
from sqlalchemy.sql import Executable

from serviceqa.store.schema import AlertRow, ConversationRow, CriterionResultRow, EvaluationRow

C, E, R, A = ConversationRow, EvaluationRow, CriterionResultRow, AlertRow


def _alerts_per_agent() -> Any:
    return (select(C.agent_id, func.count(A.id).label("alerts"))
            .join(A, A.conversation_id == C.id)
            .group_by(C.agent_id)
            .subquery("alerts_per_agent"))


def leaderboard(limit: int) -> Executable:
    """Agents by mean score (best first, agents without a score last), ties by agent id.

    Name and team are taken with MAX() so a renamed agent stays one row.
    """
    alerts = _alerts_per_agent()
    mean_score = cast(func.avg(E.score), Float)
    return (select(C.agent_id, func.max(C.agent_name), func.max(C.team),
                   func.count(E.conversation_id), mean_score,
                   cast(func.avg(case((E.passed, 1.0), else_=0.0)), Float),
                   func.coalesce(func.max(alerts.c.alerts), 0))
            .join(E, E.conversation_id == C.id)
            .outerjoin(alerts, alerts.c.agent_id == C.agent_id)
            .where(C.agent_id.is_not(None))
            .group_by(C.agent_id)
            .order_by(mean_score.desc().nulls_last(), C.agent_id)
            .limit(limit))


def _count(result: str) -> Any:
    return func.coalesce(func.sum(case((R.result == result, 1), else_=0)), 0)


def criterion_counts() -> Executable:
    return (select(R.criterion_id, _count("pass"), _count("fail"), _count("na"))
            .group_by(R.criterion_id)
            .order_by(R.criterion_id))


def alert_counts() -> Executable:
    return select(A.kind, func.count(A.id)).group_by(A.kind).order_by(A.kind)


def recent_alerts(limit: int) -> Executable:
    """Safety first (a threat outranks everything), then newest."""
    safety_first = case((A.kind == "safety", 0), else_=1)
    return (select(A.id, A.conversation_id, C.agent_id, A.kind, A.reason, A.created_at,
                   A.acknowledged)
            .join(C, C.id == A.conversation_id)
            .order_by(safety_first, A.created_at.desc(), A.id.desc())
            .limit(limit))
