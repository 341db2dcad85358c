"""Query parameters shared by the list and report routes: the workspace filters and paging.

Pure functions are `async def` on purpose: FastAPI runs a plain `def` dependency in the
thread pool, and a thread hop per dependency cost more than the query itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from fastapi import Query

from serviceqa.store import Filters

MAX_LIMIT = 500


async def filters(agent: Optional[str] = Query(None, description="Agent id"),
            team: Optional[str] = None,
            channel: Optional[str] = None,
            language: Optional[str] = None,
            since: Optional[datetime] = Query(None, description="Started at or after (ISO-8601)"),
            until: Optional[datetime] = Query(None, description="Started before (ISO-8601)"),
            min_score: Optional[float] = Query(None, ge=0, le=100),
            max_score: Optional[float] = Query(None, ge=0, le=100),
            failed_criterion: Optional[str] = Query(None, description="e.g. greeting"),
            customer_type: Optional[str] = Query(None, description="e.g. rude"),
            alert_kind: Optional[str] = Query(None, description="e.g. callback")) -> Filters:
    return Filters(agent_id=agent, team=team, channel=channel, language=language, since=since,
                   until=until, min_score=min_score, max_score=max_score,
                   failed_criterion=failed_criterion, customer_type=customer_type,
                   alert_kind=alert_kind)


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


async def paging(limit: int = Query(50, ge=1, le=MAX_LIMIT),
           offset: int = Query(0, ge=0)) -> Paging:
    return Paging(limit, offset)
