"""Runners: the same chunks in, the same results out, in the same order; only where the
work runs differs. Each keeps at most `in_flight` chunks submitted and not yet handed
back, so memory stays flat however large the corpus is.

- SequentialRunner: in this process.
- ProcessRunner: a pool of local processes (spawned, so no lock is inherited mid-use).
- DaskRunner: a Dask distributed cluster, given by its scheduler address, or a local
  cluster on 127.0.0.1 when none is given. Workers must have serviceqa installed.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from ..errors import ServiceQAError
from .work import Chunk, Result, ScoringConfig, from_json, score_items_as, score_items_as_json

Done = tuple[Chunk, list[Result]]
CONNECT_TIMEOUT_S = 10


class Runner(Protocol):
    name: str

    def run(self, chunks: Iterable[Chunk], config: ScoringConfig,
            form: str = "evaluation") -> Iterator[Done]:
        """Each chunk with its results (one per item, evaluations in `form`, see
        `work.FORMS`), in the order the chunks came."""
        ...

    def close(self) -> None: ...


def _ordered(chunks: Iterable[Chunk], submit: Callable[[Chunk], Any],
             in_flight: int) -> Iterator[Done]:
    """Submit ahead up to `in_flight` chunks; hand results back oldest first."""
    pending: deque[tuple[Chunk, Any]] = deque()
    for chunk in chunks:
        pending.append((chunk, submit(chunk)))
        if len(pending) >= in_flight:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))


class SequentialRunner:
    name = "sequential"

    def run(self, chunks: Iterable[Chunk], config: ScoringConfig,
            form: str = "evaluation") -> Iterator[Done]:
        for chunk in chunks:
            yield chunk, score_items_as(chunk.items, config, form)

    def close(self) -> None:
        pass


class ProcessRunner:
    """Local processes; each loads scorecards and packs once and keeps them."""

    name = "process"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self._pool = ProcessPoolExecutor(self.workers,
                                         mp_context=multiprocessing.get_context("spawn"))

    def run(self, chunks: Iterable[Chunk], config: ScoringConfig,
            form: str = "evaluation") -> Iterator[Done]:
        def submit(chunk: Chunk) -> Future[list[Any]]:
            return self._pool.submit(score_items_as_json, chunk.items, config, form)

        for chunk, results in _ordered(chunks, submit, 2 * self.workers):
            yield chunk, from_json(results, form)

    def start(self, task: Callable[[], object]) -> None:
        """Run `task` once per worker slot and wait: every process is started (a pool
        starts them on demand) and has done, say, its loading before real work comes."""
        for future in [self._pool.submit(task) for _ in range(self.workers)]:
            future.result()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


# A worker's statistical profiler samples the scoring thread's stack every 10 ms (under the
# GIL) and keeps the last 1,000 one-second profiles: in a batch each worker grew ~0.13 MB a
# second for 17 minutes (the tree: 1,394 -> 1,580 MB from 100k to 1M), and the profiling
# cost some 5-10% more CPU. Nobody reads them here (no dashboard). The workers of a cluster
# given by --scheduler keep their own settings (benchmarks/README.md).
LOCAL_WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


class DaskRunner:
    """Chunks as Dask tasks (`pure=False`: every chunk is new work, nothing to hash)."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ServiceQAError("the dask engine needs pip install 'serviceqa[scale]'") from exc

        self._cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError) as exc:
                raise ServiceQAError(f"cannot reach the Dask scheduler at {scheduler}: "
                                     f"{exc}") from exc
        else:  # the nannies pass their workers the config in force here
            with dask.config.set(LOCAL_WORKER_CONFIG):
                self._cluster = LocalCluster(n_workers=workers or default_workers(),
                                             threads_per_worker=1, processes=True,
                                             host="127.0.0.1", dashboard_address=None)
            self.client = Client(self._cluster)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def run(self, chunks: Iterable[Chunk], config: ScoringConfig,
            form: str = "evaluation") -> Iterator[Done]:
        def submit(chunk: Chunk) -> Any:
            return self.client.submit(score_items_as_json, chunk.items, config, form,
                                      pure=False)

        for chunk, results in _ordered(chunks, submit, 2 * self.workers):
            yield chunk, from_json(results, form)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_runner(engine: str, workers: int | None = None,
                scheduler: str | None = None) -> Runner:
    if engine == "sequential":
        return SequentialRunner()
    if engine == "process":
        return ProcessRunner(workers)
    if engine == "dask":
        return DaskRunner(scheduler, workers)
    raise ValueError(f"unknown engine {engine!r}; sequential, process or dask")
