"""What a worker does with one chunk: score its items, return results in the same order.

The same function runs in this process (sequential), in a process pool and on Dask
workers, which is why every runner gives the same evaluations. Scorecards are loaded once
per worker process and kept; language packs are cached by `serviceqa.lang` the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..model import Conversation, Evaluation, Rejected
from ..run import ScorecardChooser, Scored, score_stream

Item = Conversation | Rejected
Result = Evaluation | Rejected


@dataclass(frozen=True)
class ScoringConfig:
    """What to score with: a scorecard name or file (None: by channel) and `--set` overrides."""

    scorecard: str | None = None
    overrides_json: str = "{}"
    model_version: int | None = None  # a learned model from the store (rescore, --db)
    model_json: str = ""

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

        return LearnedModel.from_json(self.model_version, json.loads(self.model_json))

    @property
    def overrides(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.overrides_json)
        return loaded

    def chooser(self) -> ScorecardChooser:
        """Raises ScorecardError on a bad scorecard: call it in the driver first."""
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


def score_items(items: list[Item], config: ScoringConfig) -> list[Result]:
    """One result per item, in order: the Evaluation, or the Rejected (read or scoring)."""
    loaded = _choosers.get(config)
    if loaded is None:
        loaded = _choosers[config] = (config.chooser(), config.refiner())
    chooser, refiner = loaded
    return [r.evaluation if isinstance(r, Scored) else r
            for r in score_stream(items, chooser, refiner=refiner)]
