"""Calibration sessions: blind grading by several reviewers and the agreement report."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from serviceqa.review.service import ReviewDesk
from serviceqa.web.auth import MANAGE, REVIEW, Principal, allow

from ._review_deps import desk
from .review_schemas import CalibrationIn

router = APIRouter(prefix="/calibration", tags=["calibration"])


@router.get("")
def list_sessions(caller: Principal = Depends(allow(*REVIEW)),
                  d: ReviewDesk = Depends(desk)) -> list[dict[str, Any]]:
    """A reviewer sees the sessions they grade in; leads and admins all."""
    return d.calibration.list(caller.user)


@router.post("", status_code=201)
def create_session(body: CalibrationIn, caller: Principal = Depends(allow(*MANAGE)),
                   d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    return d.calibration.create(caller.user, body.title, body.conversation_ids,
                                body.reviewers, body.scorecard)


@router.get("/{session_id}")
def get_session(session_id: int, caller: Principal = Depends(allow(*REVIEW)),
                d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """The conversations to grade and which of them you graded (never others' grades)."""
    return d.calibration.get(caller.user, session_id)


@router.post("/{session_id}/close")
def close_session(session_id: int, caller: Principal = Depends(allow(*MANAGE)),
                  d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    return d.calibration.close(caller.user, session_id)


@router.get("/{session_id}/report")
def report(session_id: int, caller: Principal = Depends(allow(*MANAGE)),
           d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """Agreement per criterion and overall (percent, Cohen's kappa for pairs,
    Krippendorff's alpha), the automatic scoring as one more rater, and the
    conversations people disagree on most."""
    return d.calibration.report(caller.user, session_id)
