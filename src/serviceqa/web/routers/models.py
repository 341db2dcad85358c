"""Learned models (admin, lead): every version `serviceqa learn` stored, newest first, with
each criterion trained or skipped (and why) and the cross-validated agreement with the
reviewers before and after learning. The weights are not listed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from serviceqa.review.learn_store import list_models
from serviceqa.web.auth import MANAGE, Principal, allow
from serviceqa.workspace import Workspace

from ._deps import workspace

router = APIRouter(prefix="/models", tags=["models"])


@router.get("")
def models(caller: Principal = Depends(allow(*MANAGE)),
           ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    items = list_models(ws.store)
    return {"newest": items[0]["version"] if items else None, "items": items}
