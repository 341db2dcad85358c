"""Scoring for a server on all its cores: `serve --scoring-processes N`.

Scoring is CPU work in Python, so threads of one server process take turns on one core,
and the processes of `serve --workers N` share the load only as well as their
connections happen to be spread (a few keep-alive clients often all land on one of them).
A pool instead scores every request's conversations in N worker processes, split evenly,
while the server's process parses requests and writes: one writer per database, the
same evaluations as scoring in-process (batch.work.score_items runs in both; the
evaluations come back as JSON, see `score_items_as_json`).
"""

from __future__ import annotations

import math

from .batch.runners import ProcessRunner
from .batch.work import Chunk, ScoringConfig
from .model import Conversation, Evaluation, Rejected
from .run import Scored


def _warm() -> None:
    from .lang.analysis import warm_up

    warm_up()


class ScoringPool:
    def __init__(self, processes: int) -> None:
        if processes < 1:
            raise ValueError("a scoring pool needs at least one process")
        self.processes = processes
        self._runner = ProcessRunner(processes)

    def warm_up(self) -> None:
        """Start every worker and load the language packs, so that no request waits."""
        self._runner.start(_warm)

    def score(self, items: list[Conversation | Rejected],
              config: ScoringConfig) -> list[Scored | Rejected]:
        """One result per item, in order; rejected items pass through unscored."""
        conversations = [item for item in items if isinstance(item, Conversation)]
        size = max(1, math.ceil(len(conversations) / self.processes))
        chunks = [Chunk(number, start, list(conversations[start:start + size]))
                  for number, start in enumerate(range(0, len(conversations), size))]
        results = iter([result for _, done in self._runner.run(chunks, config)
                        for result in done])
        scored: list[Scored | Rejected] = []
        for item in items:
            if isinstance(item, Rejected):
                scored.append(item)
                continue
            result = next(results)
            scored.append(Scored(item, result) if isinstance(result, Evaluation) else result)
        return scored

    def close(self) -> None:
        self._runner.close()
