"""`serviceqa batch`, `rescore` and `generate`: scoring at scale, resumable, on any engine.

Registered on the main app by cli.py. Exit codes as there, plus 3: the batch stopped
part-way (the database went away, or it was interrupted); `--resume` goes on from the
checkpoint.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console

from .errors import DatabaseError, ServiceQAError
from .output import print_summary, rejection_line
from .run import Summary
from .score.scorecard import parse_overrides

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 3
err = Console(stderr=True, soft_wrap=True)


class Engine(str, Enum):
    sequential = "sequential"
    process = "process"
    dask = "dask"


ENGINE = typer.Option(Engine.sequential, "--engine", "-e",
                      help="sequential (this process), process (local cores) or dask.")
WORKERS = typer.Option(None, "--workers", "-w", help="Processes or local Dask workers; "
                       "default: one per available core.")
SCHEDULER = typer.Option(None, "--scheduler", help="Dask scheduler, tcp://HOST:PORT; "
                         "default: a local cluster on 127.0.0.1.")
RESUME = typer.Option(False, "--resume", help="Go on from the checkpoint of an interrupted "
                      "run of the same batch; finished chunks are not scored again.")
CHUNK = typer.Option(500, "--chunk-size", min=1, help="Conversations per chunk (a "
                     "transaction, a Parquet part, a checkpoint step).")
SCORECARD = typer.Option(None, "--scorecard", "-s",
                         help="Bundled name (phone, chat) or a YAML file; default: by channel.")
SET = typer.Option([], "--set", help="Override a scorecard key: settings.max_rings=4.")
CHECKPOINT = typer.Option(None, "--checkpoint", help="Checkpoint file; default: OUT."
                          "checkpoint.json, or serviceqa-<command>.checkpoint.json for --db.")
PROGRESS = typer.Option(True, "--progress/--no-progress", help="A progress bar on stderr.")
DB_HELP = "Database URL: sqlite:///qa.db or postgresql+psycopg://user@host/db."



def _sink(out: Optional[Path], db: Optional[str], job: dict[str, Any], resume: bool,
          checkpoint: Optional[Path], command: str) -> Any:
    from .batch import JsonlSink, ParquetSink, StoreSink

    if out is not None:
        kind = ParquetSink if out.suffix.lower() == ".parquet" else JsonlSink
        return kind(out, job, resume, checkpoint)
    assert db is not None
    return StoreSink(db, job, resume, checkpoint or Path(f"serviceqa-{command}.checkpoint.json"))


def _store_model(url: Optional[str]) -> Any:
    """The newest learned model of the store at `url` (None without a store or a model)."""
    if url is None:
        return None
    from .review.learn_store import load_model
    from .store.repository import Store

    store = Store(url)
    try:
        store.upgrade()
        model = load_model(store)
    finally:
        store.close()
    if model is not None:
        err.print(f"scoring with learned model {model.version} "
                  f"({', '.join(sorted(model.criteria))})", highlight=False)
    return model


def _execute(source: Any, out: Optional[Path], db: Optional[str], command: str,
             scorecard: Optional[str], set_: list[str], engine: Engine, workers: Optional[int],
             scheduler: Optional[str], resume: bool, checkpoint: Optional[Path],
             progress: bool, model_db: Optional[str] = None) -> int:
    """Build the pieces, run, report; returns the exit code. `model_db`: the store whose
    newest learned model scores (rescore's store; batch's --db)."""
    """Build the pieces, run, report; returns the exit code."""
    from .batch import ScoringConfig, batch_job, make_runner, progress_bar, run_batch

    runner = sink = None
    try:
        config = ScoringConfig.of(scorecard, parse_overrides(set_), _store_model(model_db))
        config.chooser()  # a bad scorecard stops here, before any worker starts
        total = source.total()  # and an unreachable input store here
        sink = _sink(out, db, batch_job(source, config), resume, checkpoint, command)
        runner = make_runner(engine.value, workers, scheduler)
        with progress_bar(err, total, sink.state.items, progress) as advance:
            summary = run_batch(source, runner, sink, config, advance)
    except DatabaseError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        return EXIT_INTERRUPTED if sink is not None else EXIT_USAGE
    except ServiceQAError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.print("interrupted; run the same command again with --resume to go on")
        return EXIT_INTERRUPTED
    finally:
        for part in (runner, sink, source):
            if part is not None and hasattr(part, "close"):
                part.close()
    _report(summary, sink)
    return EXIT_REJECTED if summary.rejected else EXIT_OK


def _report(summary: Summary, sink: Any) -> None:
    for problem in summary.problems:
        err.print(rejection_line(problem), highlight=False, markup=False)
    print_summary(err, summary.as_dict())
    if summary.rejected:
        err.print(f"every rejection of this batch is listed in {sink.rejections_file}",
                  highlight=False)
    where = getattr(sink, "out", None) or "the store"
    err.print(f"evaluations written to {where}; checkpoint {sink.checkpoint_path}",
              highlight=False)


def batch(paths: list[Path] = typer.Argument(..., help="Files or folders of conversations "
                                             "(JSONL, JSON, CSV, Parquet, transcripts)."),
          out: Optional[Path] = typer.Option(None, "--out", "-o", help="Evaluations to "
                                             "FILE.jsonl, or a FILE.parquet directory."),
          db: Optional[str] = typer.Option(None, "--db", help="Or into the store: " + DB_HELP),
          engine: Engine = ENGINE, workers: Optional[int] = WORKERS,
          scheduler: Optional[str] = SCHEDULER, resume: bool = RESUME,
          chunk_size: int = CHUNK, scorecard: Optional[str] = SCORECARD,
          set_: list[str] = SET, checkpoint: Optional[Path] = CHECKPOINT,
          progress: bool = PROGRESS) -> None:
    """Score files in resumable chunks to JSONL, Parquet or the store, on any engine."""
    from .batch import FileSource

    if (out is None) == (db is None):
        err.print("[red]error:[/] give exactly one of --out FILE and --db URL")
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(_execute(FileSource(paths, chunk_size), out, db, "batch", scorecard, set_,
                              engine, workers, scheduler, resume, checkpoint, progress, db))


def rescore(db: str = typer.Option(..., "--db", help="The store to rescore: " + DB_HELP),
            out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write to FILE.jsonl "
                                               "or FILE.parquet instead of back to the store."),
            agent: Optional[str] = typer.Option(None, "--agent", help="Only this agent id."),
            team: Optional[str] = typer.Option(None, "--team"),
            channel: Optional[str] = typer.Option(None, "--channel"),
            language: Optional[str] = typer.Option(None, "--language"),
            since: Optional[datetime] = typer.Option(None, "--since", help="started_at from."),
            until: Optional[datetime] = typer.Option(None, "--until", help="... before this."),
            failed: Optional[str] = typer.Option(None, "--failed-criterion"),
            min_score: Optional[float] = typer.Option(None, "--min-score"),
            max_score: Optional[float] = typer.Option(None, "--max-score"),
            customer_type: Optional[str] = typer.Option(None, "--customer-type"),
            alert_kind: Optional[str] = typer.Option(None, "--alert-kind"),
            engine: Engine = ENGINE, workers: Optional[int] = WORKERS,
            scheduler: Optional[str] = SCHEDULER, resume: bool = RESUME,
            chunk_size: int = CHUNK, scorecard: Optional[str] = SCORECARD,
            set_: list[str] = SET, checkpoint: Optional[Path] = CHECKPOINT,
            progress: bool = PROGRESS) -> None:
    """Score stored conversations again (after a scorecard change), by id, resumably."""
    from .batch import StoreSource
    from .store import Filters

    filters = Filters(agent_id=agent, team=team, channel=channel, language=language,
                      since=since, until=until, min_score=min_score, max_score=max_score,
                      failed_criterion=failed, customer_type=customer_type,
                      alert_kind=alert_kind)
    try:
        source = StoreSource(db, filters, chunk_size)
    except ServiceQAError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(_execute(source, out, None if out else db, "rescore", scorecard, set_,
                              engine, workers, scheduler, resume, checkpoint, progress, db))


def generate(count: int = typer.Option(..., "--count", "-n", min=1, help="Conversations."),
             out: Path = typer.Option(..., "--out", "-o", help="FILE.jsonl or FILE.parquet."),
             seed: int = typer.Option(1, "--seed", help="Same seed, same bytes.")) -> None:
    """Write a synthetic corpus (5 languages, every channel) for benchmarks and load tests."""
    from .generate import write

    write(count, out, seed)
    err.print(f"wrote {count} conversations to {out}", highlight=False)
