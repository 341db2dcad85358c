"""Alerts: list (safety first, then newest) and acknowledge."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query

from serviceqa.store import Filters
from serviceqa.web.auth import ALL, REVIEW, Principal, allow
from serviceqa.web.params import Paging, filters, paging
from serviceqa.web.schemas import PageOut
from serviceqa.workspace import Workspace

from ._deps import workspace

router = APIRouter(prefix="/alerts", tags=["alerts"])


@router.get("", response_model=PageOut)
def list_alerts(given: Filters = Depends(filters), page: Paging = Depends(paging),
                kind: Optional[str] = Query(None, description="callback, safety, ..."),
                acknowledged: Optional[bool] = None,
                caller: Principal = Depends(allow(*ALL)),
                ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    return ws.store.list_alerts(caller.scope(given), kind, acknowledged,
                                page.limit, page.offset).to_dict()


@router.post("/{alert_id}/acknowledge")
def acknowledge(alert_id: int, caller: Principal = Depends(allow(*REVIEW)),
                ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """Mark handled; it stays handled when the conversation is scored again."""
    return ws.store.acknowledge(alert_id, caller.user.name).to_dict()
