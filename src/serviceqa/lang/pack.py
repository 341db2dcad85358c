"""Language pack schema and loader. A pack is one YAML file per language: adding a language
is adding a file (and its tests), no code.

Top-level keys are metadata (language, name, sources, ...) or phrase sections named in
`sections.py`; anything else is rejected with the file, key and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import ScorecardError
from ..yamlfile import dotted, line_for, read_yaml_with_lines
from .codes import normalise_code
from .sections import SECTIONS

CUSTOMER_TYPES = ("clueless", "know_it_all", "rude", "offended", "chatty", "claim_seeker")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PhraseGroup(_Strict):
    """Phrases are matched on lemmas (a trailing `*` matches by prefix, a leading `=` matches
    that exact form only, `...` skips up to three words); patterns are regexes over the
    original text, case-insensitive."""

    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)

    @field_validator("phrases")
    @classmethod
    def _prefixes_long_enough(cls, phrases: list[str]) -> list[str]:
        for phrase in phrases:
            for position, word in enumerate(phrase.split()):
                needed = 3 if position == 0 else 2  # first words are indexed by 3 letters
                if word.endswith("*") and len(word.rstrip("*")) < needed:
                    raise ValueError(f"prefix '{word}' in '{phrase}' needs at least "
                                     f"{needed} letters")
        return phrases

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                regex.compile(pattern)
            except regex.error as exc:
                raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from exc
        return patterns


class SpeakerLabels(_Strict):
    agent: list[str] = Field(default_factory=list)
    customer: list[str] = Field(default_factory=list)


class SentimentLexicon(_Strict):
    """`engine: vader` uses vaderSentiment (English); the lists then only add to it."""

    engine: Literal["lexicon", "vader"] = "lexicon"
    positive: list[str] = Field(default_factory=list)
    negative: list[str] = Field(default_factory=list)
    negators: list[str] = Field(default_factory=list)
    intensifiers: list[str] = Field(default_factory=list)


class LanguagePack(_Strict):
    language: str
    name: str
    sources: list[str] = Field(default_factory=list)
    lemmatizer: Literal["simplemma", "none"] = "none"
    negation_prefix: str | None = None
    unique_letters: str = ""  # letters no other pack's language uses: they settle identification
    # Common words no other pack's language writes the same way ("hogy", "jsem", "the"): two
    # of them in a message, and none of another pack's, settle its language without the model.
    function_words: list[str] = Field(default_factory=list)
    fold: dict[str, str] = Field(default_factory=dict)
    also_use: list[str] = Field(default_factory=list)
    speaker_labels: SpeakerLabels = SpeakerLabels()
    advice: dict[str, str] = Field(default_factory=dict)
    sentiment: SentimentLexicon = SentimentLexicon()
    examples: dict[str, list[str]] = Field(default_factory=dict)
    sections: dict[str, PhraseGroup] = Field(default_factory=dict)

    @field_validator("advice")
    @classmethod
    def _advice_for_known_types(cls, advice: dict[str, str]) -> dict[str, str]:
        unknown = set(advice) - set(CUSTOMER_TYPES)
        if unknown:
            raise ValueError(f"unknown customer type(s) {sorted(unknown)}; "
                             f"known: {', '.join(CUSTOMER_TYPES)}")
        return advice

    @field_validator("examples")
    @classmethod
    def _examples_for_known_sections(cls, examples: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(examples) - set(SECTIONS)
        if unknown:
            raise ValueError(f"examples for unknown section(s) {sorted(unknown)}")
        return examples


_METADATA_KEYS = set(LanguagePack.model_fields) - {"sections"}


def load_pack(path: Path) -> LanguagePack:
    """Load and validate one pack; errors name the file, dotted key and line."""
    data, lines = read_yaml_with_lines(path)
    if not isinstance(data, dict):
        raise ScorecardError("a language pack must be a mapping", path=str(path))
    fields: dict[str, object] = {"sections": {}}
    for key, value in data.items():
        if key in _METADATA_KEYS:
            fields[key] = value
        elif key in SECTIONS:
            fields["sections"][key] = value or {}  # type: ignore[index]
        else:
            raise ScorecardError(f"unknown section '{key}'; known sections: "
                                 f"{', '.join(sorted(SECTIONS))}",
                                 path=str(path), key=str(key), line=lines.get(str(key)))
    try:
        pack = LanguagePack.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = dotted(tuple(p for p in first["loc"] if p != "sections"))
        raise ScorecardError(first["msg"], path=str(path), key=key,
                             line=line_for(lines, key)) from exc
    if normalise_code(pack.language) != path.stem:
        raise ScorecardError(f"language '{pack.language}' does not match the file name",
                             path=str(path), key="language", line=lines.get("language"))
    return pack
