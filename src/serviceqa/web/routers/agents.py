"""Agents and teams with their figures; an agent sees only its own row."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Depends, Query

from serviceqa.errors import NotFound
from serviceqa.store import Filters
from serviceqa.web.auth import ALL, Principal, allow
from serviceqa.web.params import filters
from serviceqa.workspace import Workspace

from ._deps import workspace

router = APIRouter(tags=["agents"])
MAX_AGENTS = 1000


@router.get("/agents")
def list_agents(given: Filters = Depends(filters),
                limit: int = Query(200, ge=1, le=MAX_AGENTS),
                caller: Principal = Depends(allow(*ALL)),
                ws: Workspace = Depends(workspace)) -> list[dict[str, Any]]:
    """Agents by mean score, best first (the leaderboard), over the filtered conversations."""
    return [row.to_dict() for row in ws.store.leaderboard(limit, caller.scope(given))]


@router.get("/agents/{agent_id}")
def get_agent(agent_id: str, given: Filters = Depends(filters),
              caller: Principal = Depends(allow(*ALL)),
              ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """One agent's figures, pass rate per criterion and alerts."""
    if caller.own_agent_id not in (None, agent_id):
        raise NotFound(f"no agent {agent_id!r}")
    scoped = replace(given, agent_id=agent_id)
    rows = ws.store.leaderboard(1, scoped)
    if not rows:
        raise NotFound(f"no agent {agent_id!r}")
    return {**rows[0].to_dict(),
            "criteria": [r.to_dict() for r in ws.store.criterion_pass_rates(scoped)],
            "alert_kinds": ws.store.alert_counts(scoped)}


@router.get("/teams")
def list_teams(given: Filters = Depends(filters), caller: Principal = Depends(allow(*ALL)),
               ws: Workspace = Depends(workspace)) -> list[dict[str, Any]]:
    return [row.to_dict() for row in ws.store.report("team", caller.scope(given))]
