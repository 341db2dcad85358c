"""Request and response bodies of the API (pydantic); the data contracts stay in model.py."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(_In):
    name: str
    password: str


class BatchIn(_In):
    conversations: list[Any] = Field(description="Conversation objects (design.md contract)")
    scorecard: Optional[str] = Field(None, description="Default: by channel")


class RescoreIn(_In):
    scorecard: str


class ScorecardIn(_In):
    yaml: str = Field(description="The scorecard YAML; its `name` names it")


class PreviewIn(_In):
    yaml: str = Field(description="The scorecard YAML to try; nothing is saved")
    sample: int = Field(20, ge=1, le=200, description="How many of the newest conversations")


class UserIn(_In):
    name: str
    role: str = Field(description="admin | lead | reviewer | agent")
    agent_id: Optional[str] = None
    password: Optional[str] = Field(None, min_length=8)


class SourceIn(_In):
    name: str


class UserOut(BaseModel):
    id: int
    name: str
    role: str
    agent_id: Optional[str]


class CreatedUser(BaseModel):
    user: UserOut
    token: str = Field(description="Shown once; only its hash is stored")


class CreatedSource(BaseModel):
    name: str
    secret: str = Field(description="Shown once: sign webhook bodies with it")


class IngestItem(BaseModel):
    index: int
    id: Optional[str]
    status: str
    created: Optional[bool] = None
    score: Optional[float] = None
    passed: Optional[bool] = None
    error: Optional[dict[str, Any]] = None


class IngestOut(BaseModel):
    stored: int
    rejected: int
    results: list[IngestItem]


class PageOut(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class LoginOut(BaseModel):
    user: UserOut
    csrf_token: str
