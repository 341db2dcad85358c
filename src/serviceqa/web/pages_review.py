"""Pages of human review: the queue, the review form, a review, disputes, calibration and
coaching. Same services and role rules as the /api/v1 routes (each page names its twin);
every change goes through the API from static/review.js."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import Response

from serviceqa.errors import Conflict, Forbidden, NotFound, ServiceQAError
from serviceqa.review.rules import stored_rules_text
from serviceqa.review.service import ReviewDesk
from serviceqa.web.auth import MANAGE, REVIEW, Principal
from serviceqa.web.pages import error_page, page_caller, page_filters, render, twin

router = APIRouter(include_in_schema=False)


def _desk(request: Request) -> ReviewDesk:
    return ReviewDesk(request.app.state.workspace)


def _need(caller: Principal, roles: tuple[str, ...]) -> None:
    if caller.role not in roles:
        raise Forbidden(f"role {caller.role!r} may not do this; needs {' or '.join(roles)}")


def _page(request: Request, caller: Principal, build: Any) -> Response:
    """Render what `build()` returns, or the error page of the error it raises."""
    try:
        name, context = build()
    except ServiceQAError as exc:
        return error_page(request, caller, exc)
    return render(request, name, caller, **context)


@router.get("/review")
def queue_page(request: Request, caller: Principal = Depends(page_caller)) -> Response:
    """Your assignments (leads: everyone's); twin: /api/v1/review/queue."""
    def build() -> tuple[str, dict[str, Any]]:
        _need(caller, REVIEW)
        everyone = caller.role in MANAGE and request.query_params.get("everyone") == "1"
        desk = _desk(request)
        return "review_queue.html", {
            "items": desk.queues.queue(caller.user, everyone), "everyone": everyone,
            "rules": stored_rules_text(desk.ws.store.engine) if caller.role in MANAGE else None,
            "api": "/api/v1/review/queue" + ("?everyone=true" if everyone else "")}
    return _page(request, caller, build)


@router.get("/conversations/{conversation_id}/review")
def review_form_page(conversation_id: str, request: Request,
                     caller: Principal = Depends(page_caller)) -> Response:
    """Grade a conversation (or, with ?session=, grade it blind for calibration)."""
    def build() -> tuple[str, dict[str, Any]]:
        _need(caller, REVIEW)
        desk = _desk(request)
        conversation, _ = desk.ws.conversation(conversation_id)
        session = request.query_params.get("session")
        session_id = int(session) if session and session.isdigit() else None
        if session_id is not None:
            desk.calibration.get(caller.user, session_id)  # a member, or 404
        draft = desk.reviews.draft_of(caller.user, conversation_id, session_id)
        form = desk.reviews.form(conversation_id, draft["scorecard"] if draft else None)
        if draft:  # go on with the draft: its verdicts and comments replace the pre-fill
            mine = {v["criterion_id"]: v for v in draft["verdicts"]}
            for criterion in form["criteria"]:
                saved = mine.get(criterion["criterion_id"], {})
                criterion["draft_result"] = saved.get("result")
                criterion["draft_comment"] = saved.get("comment")
        return "review_form.html", {
            "form": form, "conversation": conversation, "draft": draft,
            "session_id": session_id,
            "api": f"/api/v1/conversations/{conversation_id}/review-form"}
    return _page(request, caller, build)


@router.get("/reviews/{review_id}")
def review_page(review_id: int, request: Request,
                caller: Principal = Depends(page_caller)) -> Response:
    """A review next to the automatic verdicts; the agent may dispute it here."""
    def build() -> tuple[str, dict[str, Any]]:
        desk = _desk(request)
        review = desk.reviews.get(caller.user, review_id)
        disputes = [d for d in desk.disputes.list(caller.user,
                                                  conversation_id=review["conversation_id"])
                    if d["review_id"] == review_id]
        can_dispute = (caller.role == "agent" and review["status"] == "submitted"
                       and review["kind"] != "calibration"
                       and not any(d["status"] == "open" for d in disputes))
        return "review.html", {"review": review, "disputes": disputes,
                               "can_dispute": can_dispute,
                               "api": f"/api/v1/reviews/{review_id}"}
    return _page(request, caller, build)


@router.get("/disputes")
def disputes_page(request: Request, caller: Principal = Depends(page_caller)) -> Response:
    def build() -> tuple[str, dict[str, Any]]:
        status = request.query_params.get("status") or None
        if status not in (None, "open", "accepted", "rejected"):
            status = None
        return "disputes.html", {"items": _desk(request).disputes.list(caller.user, status),
                                 "shown": status, "api": "/api/v1/disputes"}
    return _page(request, caller, build)


@router.get("/disputes/{dispute_id}")
def dispute_page(dispute_id: int, request: Request,
                 caller: Principal = Depends(page_caller)) -> Response:
    """The dispute, its history, and for leads the corrected verdicts to accept with."""
    def build() -> tuple[str, dict[str, Any]]:
        desk = _desk(request)
        dispute = desk.disputes.get(caller.user, dispute_id)
        review = desk.reviews.get(caller.user, dispute["review_id"])
        return "dispute.html", {"dispute": dispute, "review": review,
                                "api": f"/api/v1/disputes/{dispute_id}"}
    return _page(request, caller, build)


@router.get("/calibration")
def calibration_list_page(request: Request,
                          caller: Principal = Depends(page_caller)) -> Response:
    def build() -> tuple[str, dict[str, Any]]:
        _need(caller, REVIEW)
        return "calibration_list.html", {"items": _desk(request).calibration.list(caller.user),
                                         "api": "/api/v1/calibration"}
    return _page(request, caller, build)


@router.get("/calibration/{session_id}")
def calibration_page(session_id: int, request: Request,
                     caller: Principal = Depends(page_caller)) -> Response:
    """The conversations to grade; for leads, the agreement report."""
    def build() -> tuple[str, dict[str, Any]]:
        _need(caller, REVIEW)
        desk = _desk(request)
        session = desk.calibration.get(caller.user, session_id)
        report, wait = None, None
        if caller.role in MANAGE:
            try:
                report = desk.calibration.report(caller.user, session_id)
            except Conflict as exc:  # a grading lead: their own grades first
                wait = str(exc)
        return "calibration.html", {"session": session, "report": report, "wait": wait,
                                    "api": f"/api/v1/calibration/{session_id}"}
    return _page(request, caller, build)


@router.get("/coaching/{agent_id}")
def coaching_page(agent_id: str, request: Request,
                  caller: Principal = Depends(page_caller)) -> Response:
    """Weakest criteria with examples, notes and their trend; agents only their own."""
    def build() -> tuple[str, dict[str, Any]]:
        desk = _desk(request)
        filters, given = page_filters(request)  # since / until, as on the other pages
        try:
            coaching = desk.coaching.weakest(caller.user, agent_id, filters.since,
                                             filters.until)
        except NotFound:
            desk.coaching.check_scope(caller.user, agent_id)
            coaching = {"agent_id": agent_id, "weakest": [], "conversations": 0,
                        "notes": desk.coaching.notes(caller.user, agent_id)}
        notes = [desk.coaching.note(caller.user, n["id"]) for n in coaching["notes"]]
        return "coaching.html", {"coaching": coaching, "notes": notes, "given": given,
                                 "api": twin(f"/api/v1/coaching/agents/{agent_id}", given)}
    return _page(request, caller, build)


def install(app: FastAPI) -> None:
    app.include_router(router)


__all__ = ["install", "router"]
