"""What the feedback routers share: the service, and request bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Optional

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field

from serviceqa.feedback.service import Feedback


async def feedback(request: Request) -> Feedback:
    service: Feedback = request.app.state.feedback
    return service


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SurveyIn(_In):
    name: str
    questions: list[str] = Field(description="Any of csat, nps, satisfaction, comment")
    texts: dict[str, dict[str, str]] = Field(default_factory=dict,
                                             description="language -> text key -> text")


class LinksIn(_In):
    conversation_ids: list[str]
    language: Optional[str] = Field(None, description="Default: each conversation's")
    valid_days: Optional[float] = Field(None, gt=0, le=365)


class AnswersIn(_In):
    csat: Optional[int] = None
    nps: Optional[int] = None
    satisfaction: Optional[int] = None
    comment: Optional[str] = None


class ResponseIn(_In):
    survey: str = "default"
    conversation_id: str
    answers: AnswersIn
    language: Optional[str] = None
    external_id: Optional[str] = None
    submitted_at: Optional[datetime] = None


class ImportIn(_In):
    survey: str = "default"
    format: Literal["csv", "json"]
    data: str = Field(description="The exported file's text")


class TaskChange(_In):
    status: Optional[Literal["open", "in_progress", "done", "cancelled"]] = None
    assignee: Optional[str] = Field(None, description="A user name; empty string unassigns")
    due_at: Optional[datetime] = None
    note: Optional[str] = Field(None, max_length=4000)
    customer_informed: bool = Field(False, description="The customer was told of the delay")


class SweepIn(_In):
    scan_since: Optional[datetime] = Field(None, description="Also apply the conversation "
                                           "rules to conversations stored since then")


class NotifierIn(_In):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    kind: Literal["webhook", "email"]
    target: str = Field(description="The webhook URL, or the e-mail address")
    settings: dict[str, Any] = Field(
        default_factory=dict, description="e-mail: host, port, sender, starttls, user, password")
    events: list[Literal["task_created", "task_due_soon", "task_overdue"]] = Field(
        default_factory=lambda: ["task_created", "task_due_soon", "task_overdue"])
