"""What the store's reports return: small frozen values, never ORM objects."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class _Row:
    def to_dict(self) -> dict[str, Any]:
        """The JSON twin of the row (for the API and `--format json`)."""
        return asdict(self)


@dataclass(frozen=True)
class LeaderboardRow(_Row):
    """One agent: how many evaluated conversations, mean score, share passed, alerts raised."""

    agent_id: str
    agent_name: str | None
    team: str | None
    evaluations: int
    mean_score: float | None
    pass_rate: float
    alerts: int


@dataclass(frozen=True)
class ReportRow(_Row):
    """One group of a report: an agent, team, channel, language, day or week (`YYYY-MM-DD`,
    a week by its Monday); `key` is None for conversations without that value."""

    key: str | None
    evaluations: int
    mean_score: float | None
    pass_rate: float
    alerts: int


@dataclass(frozen=True)
class CriterionPassRate(_Row):
    """Counts per result of one criterion; `pass_rate` ignores N/A (None when no pass/fail).

    Fields are `passed`/`failed` because `pass` is a Python keyword.
    """

    criterion_id: str
    passed: int
    failed: int
    na: int

    @property
    def pass_rate(self) -> float | None:
        decided = self.passed + self.failed
        return self.passed / decided if decided else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pass_rate": self.pass_rate}


@dataclass(frozen=True)
class ConversationSummary(_Row):
    """One line of the conversation list; the evaluation columns are None until scored."""

    id: str
    channel: str | None
    language: str | None
    agent_id: str | None
    agent_name: str | None
    team: str | None
    customer_id: str | None
    started_at: datetime | None
    message_count: int
    scorecard: str | None
    score: float | None  # automatic, as in the evaluation
    passed: bool | None
    final_score: float | None = None  # the human review's once reviewed, else `score`
    final_passed: bool | None = None
    final_review_id: int | None = None

    @property
    def reviewed(self) -> bool:
        return self.final_review_id is not None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "reviewed": self.reviewed}


@dataclass(frozen=True)
class FinalScore(_Row):
    """A conversation's final score: the applying human review's (`review_id`), or the
    automatic one when `reviewed` is false (`store/finals.py`)."""

    score: float | None
    passed: bool | None
    review_id: int | None

    @property
    def reviewed(self) -> bool:
        return self.review_id is not None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "reviewed": self.reviewed}


@dataclass(frozen=True)
class AlertItem(_Row):
    """An alert in the workspace list; `acknowledged` survives re-scoring (see schema)."""

    id: int
    conversation_id: str
    agent_id: str | None
    kind: str
    reason: str
    created_at: datetime
    acknowledged: bool
    acknowledged_by: str | None


@dataclass(frozen=True)
class Page(_Row):
    """One page of a list and how many items match in all: `total` lets a client page."""

    total: int
    limit: int
    offset: int
    items: list[Any]

    def to_dict(self) -> dict[str, Any]:
        items = [i.to_dict() if isinstance(i, _Row) else i for i in self.items]
        return {"total": self.total, "limit": self.limit, "offset": self.offset,
                "items": items}
