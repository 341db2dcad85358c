"""Reports: aggregates by agent, team, channel, language, day or week, over the filters."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends

from serviceqa.store import Filters
from serviceqa.web.auth import ALL, Principal, allow
from serviceqa.web.params import filters
from serviceqa.workspace import Workspace

from ._deps import workspace

router = APIRouter(prefix="/reports", tags=["reports"])
By = Literal["agent", "team", "channel", "language", "day", "week"]


@router.get("/{by}")
def report(by: By, given: Filters = Depends(filters), caller: Principal = Depends(allow(*ALL)),
           ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """Groups (evaluations, mean score, pass rate, alerts), pass rate per criterion, alert
    kinds and customer types, all over the same filtered conversations."""
    scoped = caller.scope(given)
    return {"by": by,
            "groups": [row.to_dict() for row in ws.store.report(by, scoped)],
            "criteria": [row.to_dict() for row in ws.store.criterion_pass_rates(scoped)],
            "alerts": ws.store.alert_counts(scoped),
            "customer_types": ws.store.customer_type_counts(scoped)}
