"""Survey definitions and the texts their page shows.

A survey asks any combination of four questions: CSAT (1-5 stars), NPS (0-10), the 1-10
satisfaction scale and a free-text comment. The texts come from data/texts.yaml, one block
per language; a definition may override any text for any language. The page's language
is the conversation's, unless the link or the visitor asks for another.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import InputError
from ..lang.codes import normalise_code

DATA = Path(__file__).parent / "data"
QUESTIONS = ("csat", "nps", "satisfaction", "comment")
SCALES = {"csat": (1, 5), "nps": (0, 10), "satisfaction": (1, 10)}
LANGUAGES = ("ru", "kk", "hu", "cs", "en")
FALLBACK = "en"
DEFAULT_SURVEY = "default"
MAX_COMMENT = 4000
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


@lru_cache(maxsize=1)
def bundled_texts() -> dict[str, dict[str, str]]:
    data = yaml.safe_load((DATA / "texts.yaml").read_text(encoding="utf-8"))
    return {lang: dict(texts) for lang, texts in data.items()}


def text_keys() -> frozenset[str]:
    return frozenset(bundled_texts()[FALLBACK])


class SurveyDefinition(BaseModel):
    """What the survey builder saves."""

    model_config = ConfigDict(extra="forbid")
    name: str
    questions: list[str] = Field(min_length=1)
    texts: dict[str, dict[str, str]] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("lower case letters, digits, - or _, starting with a letter")
        return value

    @field_validator("questions")
    @classmethod
    def _questions(cls, value: list[str]) -> list[str]:
        unknown = [q for q in value if q not in QUESTIONS]
        if unknown:
            raise ValueError(f"unknown question {unknown[0]!r}; one of {', '.join(QUESTIONS)}")
        if len(set(value)) != len(value):
            raise ValueError("a question is listed twice")
        return [q for q in QUESTIONS if q in value]  # always shown in the same order

    @field_validator("texts")
    @classmethod
    def _texts(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for lang, texts in value.items():
            if lang not in LANGUAGES:
                raise ValueError(f"unknown language {lang!r}; one of {', '.join(LANGUAGES)}")
            extra = set(texts) - text_keys()
            if extra:
                raise ValueError(f"{lang}: unknown text {sorted(extra)[0]!r}")
        return value

    def texts_for(self, language: str | None) -> dict[str, str]:
        """The page's texts in `language`: this survey's own, then the bundled ones."""
        lang = page_language(language)
        return {**bundled_texts()[FALLBACK], **bundled_texts().get(lang, {}),
                **self.texts.get(lang, {})}


def default_survey() -> SurveyDefinition:
    return SurveyDefinition(name=DEFAULT_SURVEY, questions=list(QUESTIONS))


def parse_definition(data: Any) -> SurveyDefinition:
    """A definition from the API; a bad one is an InputError naming the field."""
    try:
        return SurveyDefinition.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        raise InputError(first["msg"], field=field) from exc


def page_language(*candidates: str | None) -> str:
    """The first of the candidates we have texts for (normalised: kk-KZ -> kk)."""
    for given in candidates:
        code = normalise_code(given) if given else None
        if code in bundled_texts():
            return code
    return FALLBACK


class Answers(BaseModel):
    """One response's answers; each question optional, at least one answered."""

    model_config = ConfigDict(extra="forbid")
    csat: int | None = Field(None, ge=1, le=5)
    nps: int | None = Field(None, ge=0, le=10)
    satisfaction: int | None = Field(None, ge=1, le=10)
    comment: str | None = Field(None, max_length=MAX_COMMENT)

    @field_validator("comment")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    def is_empty(self) -> bool:
        return all(getattr(self, q) is None for q in QUESTIONS)

    def outside(self, survey: SurveyDefinition) -> str | None:
        """The first answered question the survey does not ask, if any."""
        return next((q for q in QUESTIONS
                     if getattr(self, q) is not None and q not in survey.questions), None)


def parse_answers(data: Any, survey: SurveyDefinition) -> Answers:
    """Answers from a form, the API or an import; errors name the field."""
    try:
        answers = Answers.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        raise InputError(first["msg"], field=field) from exc
    wrong = answers.outside(survey)
    if wrong:
        raise InputError(f"survey {survey.name!r} does not ask this", field=wrong)
    if answers.is_empty():
        raise InputError("answer at least one question", field="answers")
    return answers
