"""Surveys (definitions, links), responses (one, an import, the list) and the results:
CSAT, NPS, the 1-10 scale and response rate by group, QA score against CSAT, themes.
The public page's routes are in survey_public.py: they need no user, only the signed link."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from serviceqa.feedback.reports import BY_VALUES
from serviceqa.feedback.service import Feedback
from serviceqa.feedback.surveys import parse_definition
from serviceqa.store import Filters
from serviceqa.web.auth import ALL, MANAGE, Principal, allow
from serviceqa.web.params import Paging, filters, paging

from ._feedback import ImportIn, LinksIn, ResponseIn, SurveyIn, feedback

router = APIRouter(tags=["feedback"])
By = Literal["agent", "team", "channel", "language", "day", "week", "month", "all"]
Period = Literal["day", "week", "month"]
assert set(BY_VALUES) == set(By.__args__)  # type: ignore[attr-defined]


def _survey_dict(definition: Any) -> dict[str, Any]:
    return definition.model_dump()


@router.get("/surveys")
def list_surveys(caller: Principal = Depends(allow(*ALL)),
                 fb: Feedback = Depends(feedback)) -> list[dict[str, Any]]:
    return [_survey_dict(s) for s in fb.repo.surveys()]


@router.get("/surveys/{name}")
def get_survey(name: str, caller: Principal = Depends(allow(*ALL)),
               fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    return _survey_dict(fb.repo.survey(name))


@router.post("/surveys", status_code=201)
def create_survey(body: SurveyIn, caller: Principal = Depends(allow(*MANAGE)),
                  fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    definition = parse_definition(body.model_dump())
    fb.repo.save_survey(definition, caller.user.name, create=True)
    return _survey_dict(definition)


@router.put("/surveys/{name}")
def replace_survey(name: str, body: SurveyIn, caller: Principal = Depends(allow(*MANAGE)),
                   fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    definition = parse_definition({**body.model_dump(), "name": name})
    fb.repo.save_survey(definition, caller.user.name, create=False)
    return _survey_dict(definition)


@router.post("/surveys/{name}/links", status_code=201)
def make_links(name: str, body: LinksIn, request: Request,
               caller: Principal = Depends(allow(*MANAGE)),
               fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    """A signed, expiring link per conversation, for the helpdesk to send."""
    base = str(request.base_url).rstrip("/")
    return {"links": fb.make_links(name, body.conversation_ids, body.language,
                                   body.valid_days, base)}


@router.get("/survey-responses")
def list_responses(given: Filters = Depends(filters), page: Paging = Depends(paging),
                   survey: str | None = None, caller: Principal = Depends(allow(*ALL)),
                   fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    """Newest first. `since` and `until` are the time of the response."""
    scoped = caller.scope(given)
    items = fb.repo.facts(scoped, survey, page.limit, page.offset)
    return {"total": fb.repo.count_responses(scoped, survey), "limit": page.limit,
            "offset": page.offset, "items": [f.to_dict() for f in items]}


@router.post("/survey-responses", status_code=201)
def add_response(body: ResponseIn, caller: Principal = Depends(allow(*MANAGE)),
                 fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    """A response collected elsewhere; the follow-up rules apply as for the survey page."""
    done = fb.add_response(body.survey, body.conversation_id,
                           body.answers.model_dump(exclude_none=True), body.language,
                           body.external_id, body.submitted_at)
    return {"id": done.response_id, "tasks": done.tasks}


@router.post("/survey-responses/import")
def import_responses(body: ImportIn, caller: Principal = Depends(allow(*MANAGE)),
                     fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    """CSV or JSON from another survey tool; bad records come back with line and field,
    the others are stored."""
    return fb.import_responses(body.data, body.format, body.survey)


@router.get("/feedback/results/{by}")
def results(by: By, given: Filters = Depends(filters), survey: str | None = None,
            caller: Principal = Depends(allow(*ALL)),
            fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    """Per group: responses, CSAT and NPS with a 95% interval, the 1-10 scale, links sent
    and the response rate, mean QA score, complaint themes; and QA score against CSAT."""
    return fb.results(by, caller.scope(given), survey)


@router.get("/feedback/themes")
def themes(by: Period = Query("week"), given: Filters = Depends(filters),
           survey: str | None = None, caller: Principal = Depends(allow(*ALL)),
           fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    """The most frequent complaint themes in the comments of each period."""
    return {"by": by, "periods": fb.themes(by, caller.scope(given), survey)}


__all__ = ["router"]
