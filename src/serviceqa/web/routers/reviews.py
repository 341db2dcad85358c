"""Human reviews: the pre-filled form, drafts, submission; assignment rules and queues."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query, Response

from serviceqa.review.rules import parse_rules, save_rules, stored_rules_text
from serviceqa.review.service import ReviewDesk
from serviceqa.web.auth import ALL, MANAGE, REVIEW, Principal, allow
from serviceqa.web.params import Paging, paging

from ._review_deps import desk
from .review_schemas import AssignIn, ReviewIn, ReviewUpdateIn, RulesIn, verdicts

router = APIRouter(tags=["reviews"])


@router.get("/conversations/{conversation_id}/review-form")
def review_form(conversation_id: str, scorecard: Optional[str] = None,
                caller: Principal = Depends(allow(*REVIEW)),
                d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """The scorecard's criteria with the automatic verdicts and evidence, to grade from."""
    return d.reviews.form(conversation_id, scorecard)


@router.get("/reviews")
def list_reviews(conversation_id: Optional[str] = None,
                 calibration_session_id: Optional[int] = None,
                 page: Paging = Depends(paging), caller: Principal = Depends(allow(*ALL)),
                 d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """Reviews the caller may see (an agent: submitted reviews of their conversations)."""
    return d.reviews.list(caller.user, conversation_id, calibration_session_id,
                          page.limit, page.offset)


@router.post("/reviews", status_code=201)
def create_review(body: ReviewIn, caller: Principal = Depends(allow(*REVIEW)),
                  d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """Start a review pre-filled with the automatic verdicts; `verdicts` override them,
    `submit` makes it final at once."""
    return d.reviews.create(caller.user, body.conversation_id, verdicts(body.verdicts),
                            body.scorecard, body.calibration_session_id, body.submit)


@router.get("/reviews/{review_id}")
def get_review(review_id: int, caller: Principal = Depends(allow(*ALL)),
               d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    return d.reviews.get(caller.user, review_id)


@router.put("/reviews/{review_id}")
def update_review(review_id: int, body: ReviewUpdateIn,
                  caller: Principal = Depends(allow(*REVIEW)),
                  d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """Change your draft; a submitted review changes only through a dispute."""
    return d.reviews.update(caller.user, review_id, verdicts(body.verdicts), body.submit)


@router.post("/reviews/{review_id}/submit")
def submit_review(review_id: int, caller: Principal = Depends(allow(*REVIEW)),
                  d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    return d.reviews.submit(caller.user, review_id)


@router.delete("/reviews/{review_id}", status_code=204)
def delete_review(review_id: int, caller: Principal = Depends(allow(*REVIEW)),
                  d: ReviewDesk = Depends(desk)) -> Response:
    """Throw away your draft."""
    d.reviews.delete_draft(caller.user, review_id)
    return Response(status_code=204)


@router.get("/review/rules")
def get_rules(caller: Principal = Depends(allow(*REVIEW)),
              d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    text = stored_rules_text(d.ws.store.engine)
    return {"yaml": text, "rules": parse_rules(text).model_dump()}


@router.put("/review/rules")
def put_rules(body: RulesIn, caller: Principal = Depends(allow(*MANAGE)),
              d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """Validate and store the assignment rules (errors name the key and line)."""
    rules = save_rules(d.ws.store.engine, body.yaml, caller.user.name)
    return {"yaml": body.yaml, "rules": rules.model_dump()}


@router.post("/review/assign")
def assign(body: AssignIn, caller: Principal = Depends(allow(*MANAGE)),
           d: ReviewDesk = Depends(desk)) -> dict[str, Any]:
    """Run the stored rules over the conversations started in [since, until)."""
    rules = parse_rules(stored_rules_text(d.ws.store.engine))
    return d.queues.assign(rules, body.since, body.until)


@router.get("/review/queue")
def queue(everyone: bool = Query(False, description="Everyone's (leads and admins)"),
          status: Optional[str] = Query("open", pattern="^(open|done)$"),
          caller: Principal = Depends(allow(*REVIEW)),
          d: ReviewDesk = Depends(desk)) -> list[dict[str, Any]]:
    """Your assignments, earliest due first."""
    return d.queues.queue(caller.user, everyone, status)
