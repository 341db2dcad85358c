"""Request bodies of the human-review routes (reviews, disputes, calibration, coaching)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from serviceqa.review.reviews import VerdictIn


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VerdictBody(_Body):
    criterion_id: str = Field(min_length=1, max_length=100)
    result: Literal["pass", "fail", "na"]
    comment: Optional[str] = Field(None, max_length=5000)

    def to_verdict(self) -> VerdictIn:
        return VerdictIn(self.criterion_id, self.result, self.comment)


def verdicts(items: list[VerdictBody]) -> list[VerdictIn]:
    return [v.to_verdict() for v in items]


class ReviewIn(_Body):
    conversation_id: str = Field(min_length=1)
    scorecard: Optional[str] = Field(None, description="Default: the evaluation's")
    calibration_session_id: Optional[int] = Field(None, description="A blind calibration grade")
    verdicts: list[VerdictBody] = Field(default_factory=list,
                                        description="Changes to the pre-filled verdicts")
    submit: bool = False


class ReviewUpdateIn(_Body):
    verdicts: list[VerdictBody] = Field(default_factory=list)
    submit: bool = False


class RulesIn(_Body):
    yaml: str = Field(min_length=1, max_length=100_000)


class AssignIn(_Body):
    since: Optional[datetime] = None
    until: Optional[datetime] = None


class DisputeIn(_Body):
    review_id: int
    reason: str = Field(min_length=1, max_length=5000)


class CommentIn(_Body):
    text: str = Field(min_length=1, max_length=5000)


class AcceptIn(_Body):
    answer: Optional[str] = Field(None, max_length=5000)
    verdicts: list[VerdictBody] = Field(min_length=1, description="The corrected verdicts")


class RejectIn(_Body):
    answer: str = Field(min_length=1, max_length=5000)


class CalibrationIn(_Body):
    title: str = Field(min_length=1, max_length=200)
    conversation_ids: list[str] = Field(min_length=1)
    reviewers: list[str] = Field(min_length=2, description="User names")
    scorecard: Optional[str] = None


class NoteIn(_Body):
    agent_id: str = Field(min_length=1)
    text: str = Field(min_length=1, max_length=5000)
    criteria: list[str] = Field(default_factory=list)
    conversation_ids: list[str] = Field(default_factory=list)
