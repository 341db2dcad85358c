"""The assignment rules: which conversations humans review, who gets them, by when.

Kept as YAML (the packaged `rules.yaml`, a stored copy in `review_rules`, or a file given
to the CLI) and validated here, so an error names the key and the line.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import Engine, select

from serviceqa.errors import InputError
from serviceqa.store.schema_review import ReviewRulesRow
from serviceqa.yamlfile import dotted, line_for, load_yaml_with_lines

DEFAULT_RULES = Path(__file__).parent / "rules.yaml"
STORED_NAME = "default"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Rule(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,63}$")
    due_days: float | None = Field(default=None, gt=0)


class AlertRule(_Rule):
    """Every conversation with one of these alerts (safety, critical failures ...)."""

    kind: Literal["alert"]
    alert_kinds: list[Literal["safety", "critical_failure", "callback", "sla_breach"]] = \
        Field(min_length=1)


class ScoreBelowRule(_Rule):
    """Every conversation whose automatic score is under `below`."""

    kind: Literal["score_below"]
    below: float = Field(ge=0, le=100)


class UncertainRule(_Rule):
    """The conversations automatic scoring is least sure about (see `queues.uncertainty`)."""

    kind: Literal["uncertain"]
    min_uncertainty: float = Field(default=0.6, ge=0, le=1)
    per_week: int = Field(default=10, ge=1)
    margin_points: float = Field(default=10.0, gt=0)
    short_evidence_chars: int = Field(default=12, ge=1)


class RandomRule(_Rule):
    """A deterministic random share of each agent's conversations in each ISO week."""

    kind: Literal["random"]
    percent: float = Field(gt=0, le=100)
    min_per_agent: int = Field(default=1, ge=0)


Rule = Annotated[Union[AlertRule, ScoreBelowRule, UncertainRule, RandomRule],
                 Field(discriminator="kind")]


class ReviewRules(_Strict):
    seed: int = 0
    due_days: float = Field(default=3, gt=0)
    reviewer_roles: list[Literal["admin", "lead", "reviewer"]] = ["reviewer"]
    quotas: dict[str, int] = Field(default_factory=lambda: {"default": 25})
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> "ReviewRules":
        ids = [r.id for r in self.rules]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"rule ids must differ; given twice: {', '.join(twice)}")
        if any(q < 0 for q in self.quotas.values()):
            raise ValueError("quotas must be at least 0")
        return self

    def quota(self, reviewer: str) -> int:
        return self.quotas.get(reviewer, self.quotas.get("default", 25))


def parse_rules(text: str, path: str = "rules.yaml") -> ReviewRules:
    try:
        data, lines = load_yaml_with_lines(text)
    except Exception as exc:  # yaml.YAMLError and its subclasses
        raise InputError(f"not valid YAML: {exc}", file=path) from exc
    if not isinstance(data, dict):
        raise InputError("the rules must be a mapping", file=path)
    try:
        return ReviewRules.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = dotted(tuple(p for p in first["loc"] if p not in
                           ("alert", "score_below", "uncertain", "random")))
        raise InputError(first["msg"], file=path, line=line_for(lines, key),
                         field=key or None) from exc


def default_rules_text() -> str:
    return DEFAULT_RULES.read_text(encoding="utf-8")


def stored_rules_text(engine: Engine) -> str:
    """The workspace's stored rules, else the packaged ones."""
    with engine.connect() as connection:
        text = connection.scalar(select(ReviewRulesRow.yaml)
                                 .where(ReviewRulesRow.name == STORED_NAME))
    return text if text is not None else default_rules_text()


def save_rules(engine: Engine, text: str, by: str | None) -> ReviewRules:
    """Validate and store (replacing what was stored)."""
    rules = parse_rules(text, "review/rules")
    with engine.begin() as connection:
        row = {"yaml": text, "updated_at": datetime.now(timezone.utc), "updated_by": by}
        found = connection.scalar(select(ReviewRulesRow.name)
                                  .where(ReviewRulesRow.name == STORED_NAME))
        if found is None:
            connection.execute(ReviewRulesRow.__table__.insert().values(name=STORED_NAME, **row))
        else:
            connection.execute(ReviewRulesRow.__table__.update()
                               .where(ReviewRulesRow.name == STORED_NAME).values(**row))
    return rules
