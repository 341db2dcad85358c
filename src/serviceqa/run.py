"""The batch runner: a stream of conversations in, a stream of results out, with counts.

Sequential for now; other runners (processes, Dask) will yield the same items."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import ScorecardError
from .model import Conversation, Evaluation, Rejected
from .score.evaluate import Refiner, analyse_for_scoring, evaluate
from .score.scorecard import Scorecard, default_for_channel, load_scorecard


MAX_KEPT_PROBLEMS = 500
# Scoring makes and frees millions of small tuples, almost none of them in reference cycles;
# at Python's default (700) a young collection ran every few messages: 5.6% of the time.
YOUNG_COLLECTION_EVERY = 20_000
_frozen = False


def freeze_loaded_data() -> None:
    """Language packs, their caches and scorecards live as long as the process. Moving them
    out of the garbage collector's sight once they are loaded spares every collection a walk
    over them: about a fifth of the scoring time (benchmarks/README.md). Young collections
    then run less often, as the process's garbage is short-lived."""
    global _frozen
    if not _frozen:
        gc.freeze()
        young, middle, old = gc.get_threshold()
        gc.set_threshold(max(YOUNG_COLLECTION_EVERY, young), middle, old)
        _frozen = True


@dataclass
class Summary:
    read: int = 0
    scored: int = 0
    rejected: int = 0
    problems: list[Rejected] = field(default_factory=list)

    def keep(self, problem: Rejected) -> None:
        """Count every rejection; keep the first few hundred for the report."""
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)

    def as_dict(self) -> dict[str, int]:
        return {"read": self.read, "scored": self.scored, "rejected": self.rejected}


@dataclass(frozen=True)
class Scored:
    conversation: Conversation
    evaluation: Evaluation


class ScorecardChooser:
    """One scorecard for all, or the channel's default; each loaded once."""

    def __init__(self, name_or_path: str | None, overrides: dict[str, Any] | None = None) -> None:
        self._fixed = load_scorecard(name_or_path, overrides) if name_or_path else None
        self._overrides = overrides
        self._by_name: dict[str, Scorecard] = {}

    @classmethod
    def of(cls, card: Scorecard) -> "ScorecardChooser":
        """One already-parsed scorecard for all (a scorecard stored in the database)."""
        chooser = cls(None)
        chooser._fixed = card
        return chooser

    def for_conversation(self, conversation: Conversation) -> Scorecard:
        if self._fixed is not None:
            return self._fixed
        name = default_for_channel(conversation.channel)
        if name not in self._by_name:
            self._by_name[name] = load_scorecard(name, self._overrides)
        return self._by_name[name]


def score_stream(items: Iterable[Conversation | Rejected], chooser: ScorecardChooser,
                 summary: Summary | None = None,
                 refiner: Refiner | None = None) -> Iterator[Scored | Rejected]:
    """Score each conversation; pass rejections through. A conversation that makes scoring
    fail becomes a Rejected too, so one bad record never stops the batch. `refiner`: the
    store's learned model, if any (the store-backed paths pass it)."""
    summary = summary if summary is not None else Summary()
    for item in items:
        summary.read += 1
        if isinstance(item, Rejected):
            summary.rejected += 1
            summary.keep(item)
            yield item
            continue
        try:
            evaluation = evaluate(item, analyse_for_scoring(item), chooser.for_conversation(item),
                                  refiner=refiner)
        except ScorecardError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported per record, batch goes on
            rejection = Rejected(message=f"scoring failed: {type(exc).__name__}: {exc}",
                                 conversation_id=item.id)
            summary.rejected += 1
            summary.keep(rejection)
            yield rejection
            continue
        summary.scored += 1
        freeze_loaded_data()
        yield Scored(item, evaluation)
