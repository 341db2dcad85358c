"""Disputes: an agent contests a review of their conversation; a lead resolves it."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query

from serviceqa.review.service import ReviewDesk
from serviceqa.web.auth import ALL, MANAGE, Principal, allow

from ._review_deps import desk
from .review_schemas import AcceptIn, CommentIn, DisputeIn, RejectIn, verdicts

router = APIRouter(prefix="/disputes", tags=["disputes"])


@router.get("")
def list_disputes(status: Optional[str] = Query(None, pattern="^(open|accepted|rejected)$"),
                  conversation_id: Optional[str] = None,
                  caller: Principal = Depends(allow(*ALL)),
                  d: ReviewDesk = Depends(desk)) -> list[dict[str, Any]]:
    return d.disputes.list(caller.user, status, conversation_id)


@router.post("", status_code=201)
def open_dispute(body: DisputeIn, caller: Principal = Depends(allow("agent")),
                 d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """Only the agent whose conversation was reviewed."""
    return d.disputes.open(caller.user, body.review_id, body.reason)


@router.get("/{dispute_id}")
def get_dispute(dispute_id: int, caller: Principal = Depends(allow(*ALL)),
                d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """The dispute with its full history."""
    return d.disputes.get(caller.user, dispute_id)


@router.post("/{dispute_id}/comments")
def comment(dispute_id: int, body: CommentIn, caller: Principal = Depends(allow(*ALL)),
            d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    return d.disputes.comment(caller.user, dispute_id, body.text)


@router.post("/{dispute_id}/accept")
def accept(dispute_id: int, body: AcceptIn, caller: Principal = Depends(allow(*MANAGE)),
           d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """The corrected verdicts become the conversation's final review."""
    return d.disputes.accept(caller.user, dispute_id, body.answer, verdicts(body.verdicts))


@router.post("/{dispute_id}/reject")
def reject(dispute_id: int, body: RejectIn, caller: Principal = Depends(allow(*MANAGE)),
           d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    return d.disputes.reject(caller.user, dispute_id, body.answer)
