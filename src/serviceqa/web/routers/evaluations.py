"""Evaluations: list with filters (whole evaluations, evidence included), fetch one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from serviceqa.errors import NotFound
from serviceqa.output import evaluation_dict, stored_evaluation_dict
from serviceqa.store import Filters
from serviceqa.web.auth import ALL, Principal, allow
from serviceqa.web.params import Paging, filters, paging
from serviceqa.web.schemas import PageOut
from serviceqa.workspace import Workspace

from ._deps import workspace

router = APIRouter(prefix="/evaluations", tags=["evaluations"])


@router.get("", response_model=PageOut)
def list_evaluations(given: Filters = Depends(filters), page: Paging = Depends(paging),
                     explain: bool = False, caller: Principal = Depends(allow(*ALL)),
                     ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """The automatic evaluations as `serviceqa score` writes them; the filters select by
    final score, as every list does (GET /conversations has the final scores)."""
    found = ws.store.list_evaluation_texts(caller.scope(given), page.limit, page.offset)
    data = found.to_dict()
    data["items"] = [stored_evaluation_dict(text, explain) for text in found.items]
    return data


@router.get("/{conversation_id}")
def get_evaluation(conversation_id: str, explain: bool = False,
                   caller: Principal = Depends(allow(*ALL)),
                   ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    _, evaluation = ws.conversation(conversation_id, caller.own_agent_id)
    if evaluation is None:
        raise NotFound(f"conversation {conversation_id!r} is not scored")
    return evaluation_dict(evaluation, explain)
