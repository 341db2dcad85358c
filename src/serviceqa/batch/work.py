"""What a worker does with one chunk: score its items, return results in the same order.

The same function runs in this process (sequential), in a process pool and on Dask
workers, which is why every runner gives the same evaluations. Scorecards are loaded once
per worker process and kept; language packs are cached by `serviceqa.lang` the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..ingest.jsonl import JsonlLine, parse_jsonl_line
from ..model import Conversation, Evaluation, Rejected
from ..output import evaluation_json
from ..run import ScorecardChooser, Scored, score_stream
from ..score.scorecard import parse_scorecard

Item = Conversation | Rejected | JsonlLine
# An evaluation as the Evaluation, or (form "output") as its output JSON line already.
Result = Evaluation | str | Rejected


@dataclass(frozen=True)
class ScoringConfig:
    """What to score with: a scorecard name or file (None: by channel) and `--set` overrides.

    A scorecard stored in a workspace database travels as its YAML (`scorecard_yaml`, with
    its name in `scorecard`). A learned model travels as JSON (`model_json`), or as the
    database workers read it from once (`model_db`): a server's pool sends every request's
    config, and a model's weights can be megabytes."""

    scorecard: str | None = None
    overrides_json: str = "{}"
    model_version: int | None = None  # a learned model from the store (rescore, --db)
    model_json: str = ""
    scorecard_yaml: str = ""
    model_db: str = ""

    @classmethod
    def of(cls, scorecard: str | None, overrides: dict[str, Any] | None = None,
           model: Any = None) -> ScoringConfig:
        return cls(scorecard, json.dumps(overrides or {}, sort_keys=True),
                   model.version if model is not None else None,
                   json.dumps(model.to_json()) if model is not None else "")

    def refiner(self) -> Any:
        if self.model_version is None:
            return None
        from ..review.learn_model import LearnedModel

        if self.model_json or not self.model_db:
            return LearnedModel.from_json(self.model_version, json.loads(self.model_json))
        from ..review.learn_store import load_model
        from ..store import Store

        store = Store(self.model_db)
        try:
            return load_model(store, self.model_version)
        finally:
            store.close()

    @property
    def overrides(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.overrides_json)
        return loaded

    def chooser(self) -> ScorecardChooser:
        """Raises ScorecardError on a bad scorecard: call it in the driver first."""
        if self.scorecard_yaml:
            card = parse_scorecard(self.scorecard_yaml, f"scorecards/{self.scorecard}")
            return ScorecardChooser.of(card)
        return ScorecardChooser(self.scorecard, self.overrides)


@dataclass(frozen=True)
class Chunk:
    """Items `start`..`start + len(items) - 1` of the source's stable order; chunk `number`
    counts from 0. `key` is the source's resume key after this chunk (the store's last id)."""

    number: int
    start: int
    items: list[Item]
    key: str | None = None


_choosers: dict[ScoringConfig, tuple[ScorecardChooser, Any]] = {}
MAX_KEPT_CONFIGS = 16  # a server sees a new config at each scorecard edit or new model


def score_items(items: list[Item], config: ScoringConfig) -> list[Evaluation | Rejected]:
    """One result per item, in order: the Evaluation, or the Rejected (read or scoring).
    A JsonlLine is parsed here, where it is scored."""
    loaded = _choosers.get(config)
    if loaded is None:
        if len(_choosers) >= MAX_KEPT_CONFIGS:
            _choosers.clear()
        loaded = _choosers[config] = (config.chooser(), config.refiner())
    chooser, refiner = loaded
    parsed = (parse_jsonl_line(i) if isinstance(i, JsonlLine) else i for i in items)
    return [r.evaluation if isinstance(r, Scored) else r
            for r in score_stream(parsed, chooser, refiner=refiner)]


# What a runner hands back for each evaluation: the Evaluation itself ("evaluation"), or
# the line a JSONL file gets ("output", `evaluation_json`), rendered where it was scored.
FORMS = ("evaluation", "output")


def _as_text(form: str) -> Callable[[Evaluation], str]:
    if form == "evaluation":
        return Evaluation.model_dump_json  # read back by `from_json`
    if form == "output":
        return evaluation_json
    raise ValueError(f"unknown result form {form!r}; one of {', '.join(FORMS)}")


def score_items_as_json(items: list[Item], config: ScoringConfig,
                        form: str = "evaluation") -> list[str | Rejected]:
    """`score_items` for another process: each Evaluation as text. As its JSON (form
    "evaluation"), pydantic reads it back in Rust (`from_json`), where unpickling the
    models cost the receiving process about 1.7 ms an evaluation: a quarter of a server's
    time, most of a batch driver's. As its output line, there is nothing left to do."""
    as_text = _as_text(form)
    return [as_text(r) if isinstance(r, Evaluation) else r for r in score_items(items, config)]


def score_items_as(items: list[Item], config: ScoringConfig,
                   form: str = "evaluation") -> list[Result]:
    """`score_items` in this process, each Evaluation in `form`."""
    if form == "evaluation":
        return list(score_items(items, config))  # list is invariant: a copy for the type
    return list(score_items_as_json(items, config, form))


def from_json(results: list[str | Rejected], form: str = "evaluation") -> list[Result]:
    """What `score_items_as_json` sent, as `score_items_as` gives it."""
    if form != "evaluation":
        return list(results)
    return [r if isinstance(r, Rejected) else Evaluation.model_validate_json(r) for r in results]
