"""Coaching: an agent's weakest criteria, a lead's notes, the agent's acknowledgement."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from fastapi import APIRouter, Depends, Query

from serviceqa.review.service import ReviewDesk
from serviceqa.web.auth import ALL, MANAGE, Principal, allow

from ._review_deps import desk
from .review_schemas import NoteIn

router = APIRouter(prefix="/coaching", tags=["coaching"])


@router.get("/agents/{agent_id}")
def agent_coaching(agent_id: str, since: Optional[datetime] = None,
                   until: Optional[datetime] = None, limit: int = Query(5, ge=1, le=50),
                   caller: Principal = Depends(allow(*ALL)),
                   d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """Weakest criteria over [since, until) with example conversations and evidence, and
    the agent's coaching notes. An agent sees only their own (404 otherwise)."""
    return d.coaching.weakest(caller.user, agent_id, since, until, limit)


@router.get("/notes")
def list_notes(agent_id: Optional[str] = None, caller: Principal = Depends(allow(*ALL)),
               d: ReviewDesk = Depends(desk)) -> list[dict[str, Any]]:
    return d.coaching.notes(caller.user, agent_id)


@router.post("/notes", status_code=201)
def add_note(body: NoteIn, caller: Principal = Depends(allow(*MANAGE)),
             d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    return d.coaching.add_note(caller.user, body.agent_id, body.text, body.criteria,
                               body.conversation_ids)


@router.get("/notes/{note_id}")
def get_note(note_id: int, caller: Principal = Depends(allow(*ALL)),
             d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """The note and its criteria's pass rates in the 30 days before and after it."""
    return d.coaching.note(caller.user, note_id)


@router.post("/notes/{note_id}/acknowledge")
def acknowledge(note_id: int, caller: Principal = Depends(allow("agent")),
                d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    return d.coaching.acknowledge(caller.user, note_id)
