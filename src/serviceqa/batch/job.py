"""One batch: a source, a runner and a sink, with counts, progress and the checkpoint."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn,
                           TextColumn, TimeElapsedColumn, TimeRemainingColumn)

from ..model import Rejected
from ..run import Summary
from .runners import Runner
from .sink import Sink
from .source import Source
from .work import ScoringConfig


class Advance(Protocol):
    def __call__(self, items: int) -> None: ...


def run_batch(source: Source, runner: Runner, sink: Sink, config: ScoringConfig,
              advance: Advance | None = None) -> Summary:
    """Score what the checkpoint says is left; the Summary counts the whole batch,
    including chunks finished by earlier runs. Rejections of this run are kept in it."""
    state = sink.state
    summary = Summary(read=state.read, scored=state.scored, rejected=state.rejected)
    if state.complete:
        return summary
    chunks = source.chunks(state, unparsed=not sink.needs_conversations)
    for chunk, results in runner.run(chunks, config, sink.form):
        rejected = [r for r in results if isinstance(r, Rejected)]
        for problem in rejected:
            summary.keep(problem)
        summary.read += len(results)
        summary.rejected += len(rejected)
        summary.scored += len(results) - len(rejected)
        state = sink.state.advanced(chunks=chunk.number + 1, items=chunk.start + len(results),
                                    key=chunk.key, **summary.as_dict())
        sink.write(chunk, results, state)
        if advance is not None:
            advance(len(results))
    sink.finish()
    return summary


@contextmanager
def progress_bar(console: Console, total: int | None, done: int,
                 enabled: bool = True) -> Iterator[Advance]:
    """A rich bar on stderr with rate and ETA; `done` items were finished before."""
    if not enabled:
        yield lambda items: None
        return
    columns = (TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("scoring", total=total, completed=done, rate="")

        def advance(items: int) -> None:
            progress.advance(task, items)
            speed = progress.tasks[task].speed
            progress.update(task, rate=f"{speed:,.0f} conv/s" if speed else "")

        yield advance
