"""Scorecard YAML: criteria, weights, critical criteria, N/A rules, channels and settings.

Validation errors name the file, the dotted key and its line, e.g.
`scorecards/chat.yaml: criteria[3].weight: Input should be greater than or equal to 0 (line 41)`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, ValidationError,
                      field_validator, model_validator)

from ..detect.registry import default_registry
from ..errors import ScorecardError
from ..model import Channel
from ..yamlfile import dotted, line_for, load_yaml_with_lines
from .expression import Expression, ExpressionError, compile_expression

BUNDLED = Path(__file__).resolve().parent.parent / "scorecards"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Criterion(_Strict):
    id: str
    title: str
    description: str = ""
    weight: float = Field(default=1.0, ge=0)
    critical: bool = False
    pass_if: str
    na_if: str | None = None
    channels: list[Channel] | None = None

    @field_validator("id")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be lower_snake_case")
        return value


STANDARD_SLA_CRITERIA = ("first_response_time", "answer_speed")


class AlertRules(_Strict):
    """`sla_criteria` unset means: the standard SLA criteria this scorecard has."""

    callback_sentiment: float = Field(default=-0.5, ge=-1, le=1)
    callback_toxicity: float = Field(default=0.6, ge=0, le=1)
    sla_criteria: list[str] | None = None


class Scorecard(_Strict):
    name: str
    title: str
    description: str = ""
    channels: list[Channel] = Field(default_factory=list)
    pass_score: float = Field(default=80.0, ge=0, le=100)
    settings: dict[str, float] = Field(default_factory=dict)
    alerts: AlertRules = AlertRules()
    criteria: list[Criterion] = Field(min_length=1)

    _compiled: dict[str, tuple[Expression, Expression | None]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> "Scorecard":
        ids = [c.id for c in self.criteria]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate criterion id(s): {', '.join(duplicates)}")
        if self.alerts.sla_criteria is None:
            self.alerts.sla_criteria = [c for c in STANDARD_SLA_CRITERIA if c in ids]
        for name in self.alerts.sla_criteria:
            if name not in ids:
                raise ValueError(f"alerts.sla_criteria names unknown criterion '{name}'")
        registry = default_registry()
        clash = sorted(set(self.settings) & set(registry.names()))
        if clash:
            raise ValueError(f"settings shadow detector name(s): {', '.join(clash)}")
        return self

    def compile(self, path: str | None, lines: dict[str, int]) -> "Scorecard":
        known = set(default_registry().names()) | set(self.settings)
        for n, criterion in enumerate(self.criteria):
            compiled: list[Expression | None] = []
            for key in ("pass_if", "na_if"):
                source = getattr(criterion, key)
                if source is None:
                    compiled.append(None)
                    continue
                try:
                    compiled.append(compile_expression(source, known))
                except ExpressionError as exc:
                    where = f"criteria[{n}].{key}"
                    raise ScorecardError(str(exc), path=path, key=where,
                                         line=line_for(lines, where)) from exc
            self._compiled[criterion.id] = (compiled[0], compiled[1])  # type: ignore[assignment]
        return self

    def expressions(self, criterion_id: str) -> tuple[Expression, Expression | None]:
        return self._compiled[criterion_id]


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """`--set settings.max_rings=4` -> {"settings.max_rings": 4} (values read as YAML)."""
    result: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ScorecardError("expected KEY=VALUE", key=pair)
        result[key.strip()] = yaml.safe_load(value)
    return result


def parse_scorecard(text: str, path: str | None = None,
                    overrides: dict[str, Any] | None = None) -> Scorecard:
    """Validate scorecard YAML text; `overrides` use the YAML's dotted paths
    (`settings.max_rings=4`, `pass_score=75`)."""
    try:
        data, lines = load_yaml_with_lines(text)
    except Exception as exc:  # yaml.YAMLError and its subclasses
        raise ScorecardError(f"not valid YAML: {exc}", path=path) from exc
    if not isinstance(data, dict):
        raise ScorecardError("a scorecard must be a mapping", path=path)
    for key, value in (overrides or {}).items():
        _set_dotted(data, key, value, path)
    try:
        card = Scorecard.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = dotted(first["loc"])
        raise ScorecardError(first["msg"], path=path, key=key or None,
                             line=line_for(lines, key)) from exc
    return card.compile(path, lines)


def _set_dotted(data: dict[str, Any], key: str, value: Any, path: str | None) -> None:
    parts = key.split(".")
    target: Any = data
    for part in parts[:-1]:
        if not isinstance(target, dict) or part not in target:
            raise ScorecardError("no such key to override", path=path, key=key)
        target = target[part]
    if not isinstance(target, dict):
        raise ScorecardError("no such key to override", path=path, key=key)
    target[parts[-1]] = value


def bundled_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in BUNDLED.glob("*.yaml")))


@lru_cache(maxsize=32)
def _load_cached(path: str, mtime: float) -> Scorecard:
    return parse_scorecard(Path(path).read_text(encoding="utf-8"), path)


def load_scorecard(name_or_path: str, overrides: dict[str, Any] | None = None) -> Scorecard:
    """A bundled scorecard by name (`phone`, `chat`) or a YAML file."""
    candidate = Path(name_or_path)
    if not candidate.suffix and (BUNDLED / f"{name_or_path}.yaml").exists():
        candidate = BUNDLED / f"{name_or_path}.yaml"
    if not candidate.is_file():
        raise ScorecardError(f"no such scorecard; bundled ones: {', '.join(bundled_names())}",
                             path=name_or_path)
    if overrides:
        return parse_scorecard(candidate.read_text(encoding="utf-8"), str(candidate), overrides)
    return _load_cached(str(candidate), candidate.stat().st_mtime)


def default_for_channel(channel: str | None) -> str:
    return "phone" if channel == "phone" else "chat"
