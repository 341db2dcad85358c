"""The survey as JSON for a customer: no user, the signed link is the credential. A
forged, altered, expired or unknown link is 404; a second answer is 409."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends

from serviceqa.errors import NotFound
from serviceqa.feedback.links import LinkError
from serviceqa.feedback.service import Feedback

from ._feedback import AnswersIn, feedback

router = APIRouter(prefix="/public/surveys", tags=["public survey"])


@router.get("/{token}")
def survey(token: str, lang: Optional[str] = None,
           fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    """The questions and the texts in the link's language (or `lang`)."""
    try:
        opened = fb.open(token, lang)
    except LinkError as exc:
        raise NotFound(str(exc)) from exc
    return {"survey": opened.survey.name, "questions": opened.survey.questions,
            "language": opened.language, "texts": opened.survey.texts_for(opened.language),
            "answered": opened.answered, "expires_at": opened.link.expires_at}


@router.post("/{token}", status_code=201)
def answer(token: str, body: AnswersIn, fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    try:
        done = fb.submit(token, body.model_dump(exclude_none=True))
    except LinkError as exc:
        raise NotFound(str(exc)) from exc
    return {"status": "received", "response_id": done.response_id}
