"""`serviceqa tasks ...` and `serviceqa surveys ...`: the sweep a cron job runs, survey
links for a helpdesk to send, and imports from other survey tools."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from .errors import ServiceQAError
from .feedback.service import Feedback
from .store import Store

DB_HELP = "Database URL: sqlite:///qa.db (the default file) or postgresql+psycopg://user@host/db."
DEFAULT_DB = "sqlite:///serviceqa.db"
EXIT_REJECTED, EXIT_USAGE = 1, 2

tasks_app = typer.Typer(help="Follow-up tasks: the sweep (due soon, overdue, sla_breach).",
                        no_args_is_help=True)
surveys_app = typer.Typer(help="Customer surveys: signed links, imports from other tools.",
                          no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _feedback(db: str) -> Feedback:
    try:
        store = Store(db)
        store.upgrade()
    except ServiceQAError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    return Feedback(store)


def start_sweeper(feedback: Feedback, every_s: float,
                  stop: threading.Event | None = None) -> threading.Thread:
    """A daemon thread that sweeps every `every_s` seconds (for `serve --sweep-every`),
    each time also scanning the conversations stored since the sweep before. A failed
    sweep is printed and the next one runs."""
    stop = stop or threading.Event()

    def loop() -> None:
        since = datetime.now(timezone.utc) - timedelta(seconds=every_s)
        while not stop.wait(every_s):
            began = datetime.now(timezone.utc)
            try:
                feedback.sweep(since)
            except (ServiceQAError, SQLAlchemyError, OSError) as exc:
                err.print(f"[red]sweep failed:[/red] {exc}")
                continue
            since = began

    thread = threading.Thread(target=loop, name="serviceqa-sweep", daemon=True)
    thread.start()
    return thread


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


@tasks_app.command("sweep")
def tasks_sweep(db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
                scan_hours: float = typer.Option(
                    24.0, "--scan-hours",
                    help="Apply the conversation rules to conversations stored this many "
                         "hours back (0: none).")) -> None:
    """Raise sla_breach alerts for overdue tasks, send due-soon and overdue notifications,
    make the tasks of recently stored conversations. Run it from cron every few minutes."""
    feedback = _feedback(db)
    since = datetime.now(timezone.utc) - timedelta(hours=scan_hours) if scan_hours else None
    try:
        result = feedback.sweep(since)
    except ServiceQAError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    finally:
        feedback.store.close()
    out.print(_json(result))


@surveys_app.command("links")
def surveys_links(conversation_ids: list[str] = typer.Argument(..., help="Conversation ids."),
                  survey: str = typer.Option("default", "--survey", help="Survey name."),
                  base_url: str = typer.Option(
                      "", "--base-url", help="The server's address, e.g. https://qa.example.com"),
                  language: Optional[str] = typer.Option(None, "--language",
                                                         help="Default: each conversation's."),
                  db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP)) -> None:
    """Print one signed, expiring survey link per conversation (JSON)."""
    feedback = _feedback(db)
    try:
        out.print(_json(feedback.make_links(survey, conversation_ids, language,
                                            base_url=base_url.rstrip("/"))))
    except ServiceQAError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    finally:
        feedback.store.close()


@surveys_app.command("import")
def surveys_import(path: Path = typer.Argument(..., exists=True, dir_okay=False,
                                              help="A .csv, .json or .jsonl export."),
                   survey: str = typer.Option("default", "--survey", help="Survey name."),
                   db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP)) -> None:
    """Import responses from another survey tool. Bad rows are listed with line and field
    (exit 1); the others are stored. Importing the same external ids again adds nothing."""
    fmt = "csv" if path.suffix.lower() == ".csv" else "json"
    feedback = _feedback(db)
    try:
        result = feedback.import_responses(path.read_text(encoding="utf-8-sig"), fmt, survey)
    except ServiceQAError as exc:
        err.print(f"[red]error:[/red] {path}: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    finally:
        feedback.store.close()
    for problem in result["errors"]:
        err.print(f"{path}:{problem['line']}: {problem['field'] or '-'}: {problem['message']}")
    err.print(f"read {result['read']}, stored {result['stored']}, duplicates "
              f"{result['duplicates']}, rejected {result['rejected']}")
    if result["rejected"]:
        raise typer.Exit(EXIT_REJECTED)
