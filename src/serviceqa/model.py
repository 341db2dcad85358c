"""The data contracts of design.md: Conversation in, Evaluation out.

This module imports nothing of ours, so every layer can depend on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Channel = Literal["phone", "chat", "email", "messenger", "social", "in_person"]
Role = Literal["agent", "customer", "bot", "system"]
Result = Literal["pass", "fail", "na"]
AlertKind = Literal["callback", "safety", "sla_breach", "critical_failure"]
CustomerType = Literal["clueless", "know_it_all", "rude", "offended", "chatty", "claim_seeker"]

CHANNELS: tuple[str, ...] = ("phone", "chat", "email", "messenger", "social", "in_person")
ROLES: tuple[str, ...] = ("agent", "customer", "bot", "system")
AGENT_ROLES = frozenset({"agent", "bot"})


class _Open(BaseModel):
    """Input objects keep unknown keys: nothing a user sent is silently dropped."""

    model_config = ConfigDict(extra="allow")


class Message(_Open):
    role: Role
    text: str
    at: datetime | None = None
    language: str | None = None

    @property
    def is_agent(self) -> bool:
        return self.role in AGENT_ROLES


class Party(_Open):
    id: str | None = None
    name: str | None = None
    team: str | None = None


class Conversation(_Open):
    id: str = Field(min_length=1)
    channel: Channel | None = None
    started_at: datetime | None = None
    agent: Party | None = None
    customer: Party | None = None
    language: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    messages: list[Message] = Field(min_length=1)

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Evidence(BaseModel):
    """A span in one message's original text; `missing` marks where something was expected."""

    model_config = ConfigDict(extra="forbid")
    message: int
    start: int
    end: int
    text: str
    missing: bool = False
    detector: str | None = None


class CriterionResult(BaseModel):
    id: str
    result: Result
    weight: float
    critical: bool = False
    evidence: list[Evidence] = Field(default_factory=list)
    reason: str | None = None


class CustomerProfile(BaseModel):
    sentiment: float = 0.0
    types: list[CustomerType] = Field(default_factory=list)
    toxicity: float = 0.0
    threat: bool = False
    advice: dict[str, str] = Field(default_factory=dict)


class Alert(BaseModel):
    kind: AlertKind
    reason: str
    evidence: list[Evidence] = Field(default_factory=list)


class LearnedChange(BaseModel):
    """A criterion whose rule verdict a learned model replaced, and how sure it was."""

    criterion: str
    rule: Result
    result: Result
    probability: float


class LearnedModelUse(BaseModel):
    """Which learned model scored this evaluation: its version, the criteria it refines on
    this scorecard, and the verdicts it changed."""

    version: int
    criteria: list[str] = Field(default_factory=list)
    changed: list[LearnedChange] = Field(default_factory=list)


class Evaluation(BaseModel):
    conversation_id: str
    scorecard: str
    language: str | None
    languages: list[str] = Field(default_factory=list)
    channel: str | None = None
    agent_id: str | None = None
    score: float | None
    passed: bool
    critical_failures: list[str] = Field(default_factory=list)
    criteria: list[CriterionResult]
    customer: CustomerProfile
    alerts: list[Alert] = Field(default_factory=list)
    metrics: dict[str, float | None] = Field(default_factory=dict)
    # `model` appears only when a learned model took part, so an evaluation scored by the
    # rules alone is exactly what it was before models existed. (A wrap serializer did the
    # same and made every dump go through Python: half of a bulk load's dumping time.)
    model: LearnedModelUse | None = Field(default=None, exclude_if=lambda value: value is None)


class Rejected(BaseModel):
    """A record that could not become a Conversation, kept so nothing is silently lost."""

    file: str | None = None
    line: int | None = None
    field: str | None = None
    message: str
    conversation_id: str | None = None
