"""Scorecards: the bundled `phone` and `chat` (read-only) and those stored in the database.

Validation errors name the YAML key and line, as `serviceqa scorecards --check` does.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from serviceqa.web.auth import ALL, MANAGE, Principal, allow
from serviceqa.web.schemas import PreviewIn, ScorecardIn
from serviceqa.workspace import Workspace

from ._deps import workspace

router = APIRouter(prefix="/scorecards", tags=["scorecards"])


@router.get("")
def list_scorecards(caller: Principal = Depends(allow(*ALL)),
                    ws: Workspace = Depends(workspace)) -> list[dict[str, Any]]:
    return ws.scorecards()


@router.get("/{name}")
def get_scorecard(name: str, caller: Principal = Depends(allow(*ALL)),
                  ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    return ws.scorecard_document(name)


@router.post("", status_code=201)
def create_scorecard(body: ScorecardIn, caller: Principal = Depends(allow(*MANAGE)),
                     ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """A new scorecard; to change a bundled one, copy its YAML under another name."""
    name = ws.save_scorecard(body.yaml, caller.user.name)
    return ws.scorecard_document(name)


@router.post("/preview")
def preview_scorecard(body: PreviewIn, caller: Principal = Depends(allow(*MANAGE)),
                      ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """Validate the YAML (422 naming the key) and score the newest `sample` stored
    conversations with it, next to their stored scores; nothing is saved."""
    return {"items": ws.preview_scorecard(body.yaml, body.sample)}


@router.put("/{name}")
def replace_scorecard(name: str, body: ScorecardIn, caller: Principal = Depends(allow(*MANAGE)),
                      ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    ws.save_scorecard(body.yaml, caller.user.name, name=name)
    return ws.scorecard_document(name)


@router.delete("/{name}", status_code=204)
def delete_scorecard(name: str, caller: Principal = Depends(allow(*MANAGE)),
                     ws: Workspace = Depends(workspace)) -> None:
    ws.delete_scorecard(name)
