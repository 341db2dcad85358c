"""Conversations: ingest (one, or a batch), list with filters, fetch one, re-score."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Body, Depends, Query, Response

from serviceqa.errors import InputError
from serviceqa.output import evaluation_dict
from serviceqa.review.reviews import Reviews
from serviceqa.store import Filters
from serviceqa.web.auth import ALL, MANAGE, REVIEW, Principal, allow
from serviceqa.web.params import Paging, filters, paging
from serviceqa.web.schemas import BatchIn, IngestOut, PageOut, RescoreIn
from serviceqa.workspace import Workspace

from ._deps import workspace

router = APIRouter(prefix="/conversations", tags=["conversations"])


@router.post("", status_code=201)
def ingest_one(response: Response,
               conversation: dict[str, Any] = Body(..., description="One conversation"),
               scorecard: Optional[str] = Query(None, description="Default: by channel"),
               caller: Principal = Depends(allow(*MANAGE)),
               ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """Store and score one conversation: 201 when new, 200 when the id was stored already."""
    (item,) = ws.ingest([conversation], scorecard).items
    if item["status"] != "stored":
        error = item["error"]
        raise InputError(error["message"], field=error["field"])
    if not item["created"]:
        response.status_code = 200
    _, evaluation = ws.conversation(item["id"])
    return {**item, "evaluation": evaluation_dict(evaluation) if evaluation else None}


@router.post("/batch", response_model=IngestOut)
def ingest_batch(body: BatchIn, caller: Principal = Depends(allow(*MANAGE)),
                 ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """Store and score each record; a bad record is reported by index and field, the
    others are stored. Idempotent by conversation id."""
    return ws.ingest(body.conversations, body.scorecard).to_dict()


@router.get("", response_model=PageOut)
def list_conversations(given: Filters = Depends(filters), page: Paging = Depends(paging),
                       caller: Principal = Depends(allow(*ALL)),
                       ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """Newest first; each item with its automatic `score` when scored and its
    `final_score` (the human review's when `reviewed`), which the score filters use."""
    return ws.store.list_conversations(caller.scope(given), page.limit, page.offset).to_dict()


@router.get("/{conversation_id}")
def get_conversation(conversation_id: str, explain: bool = False,
                     caller: Principal = Depends(allow(*ALL)),
                     ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """The conversation with its evaluation and evidence (`explain` names the detectors),
    `review`: the human review that is final, if any, and `final`: the score lists and
    reports use (the review's, `reviewed` true; else the automatic one again, which
    always stays in `evaluation`)."""
    conversation, evaluation = ws.conversation(conversation_id, caller.own_agent_id)
    final = ws.store.final_score(conversation_id) if evaluation else None
    return {"conversation": conversation.model_dump(mode="json"),
            "evaluation": evaluation_dict(evaluation, explain) if evaluation else None,
            "review": Reviews(ws).final(conversation_id),
            "final": final.to_dict() if final else None}


@router.post("/{conversation_id}/rescore")
def rescore(conversation_id: str, body: RescoreIn,
            caller: Principal = Depends(allow(*REVIEW)),
            ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """Score again with another scorecard (bundled or stored); the new evaluation replaces
    the old one."""
    return evaluation_dict(ws.rescore(conversation_id, body.scorecard))
