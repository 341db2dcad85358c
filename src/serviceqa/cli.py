"""Command line: `serviceqa score`, `ingest`, `demo`, `scorecards`, `db upgrade|check`,
`serve`, `users add|list`, `webhooks add|list`, from cli_review.py `review assign`, and
from cli_batch.py `batch`, `rescore`, `generate`.

Exit codes: 0 all scored; 1 some inputs rejected, batch finished; 2 usage or configuration
error; 3 a batch stopped part-way (`--resume` goes on). `db check`: 0 at head; 1 behind or
not initialised; 2 unreachable or unknown."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn, Optional

import typer
from rich.console import Console

from . import __version__
from .cli_batch import batch, generate, rescore
from .cli_feedback import start_sweeper, surveys_app, tasks_app
from .cli_learn import learn
from .cli_review import review_app
from .errors import DatabaseError, ServiceQAError
from .ingest import read_paths
from .output import evaluation_json, evaluations_table, print_summary, rejection_line
from .run import ScorecardChooser, Scored, Summary, score_stream
from .score.scorecard import bundled_names, load_scorecard, parse_overrides

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
EXIT_BEHIND = 1  # `db check`: the database needs `serviceqa db upgrade`
DEFAULT_DB = "sqlite:///serviceqa.db"
DB_HELP = "Database URL: sqlite:///qa.db (the default file) or postgresql+psycopg://user@host/db."
TABLE_CHUNK = 100

app = typer.Typer(help="ServiceQA: multilingual quality assurance for customer service.",
                  no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="The store's database: migrate it to this version, or check it.",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")
users_app = typer.Typer(help="Workspace users: create one (prints its API token once), list.",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")
webhooks_app = typer.Typer(help="Webhook sources: a helpdesk that pushes conversations.",
                           no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(tasks_app, name="tasks")
app.add_typer(surveys_app, name="surveys")
app.add_typer(review_app, name="review")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"



def _fail(error: ServiceQAError) -> NoReturn:
    err.print(f"[red]error:[/] {error}", highlight=False)
    raise typer.Exit(EXIT_USAGE)


def _exit_code(summary: Summary) -> int:
    return EXIT_REJECTED if summary.rejected else EXIT_OK


def _report_rejections(summary: Summary) -> None:
    for problem in summary.problems:
        err.print(rejection_line(problem), highlight=False, markup=False)
    if summary.rejected > len(summary.problems):
        err.print(f"... and {summary.rejected - len(summary.problems)} more rejections")


@app.command()
def score(paths: list[Path] = typer.Argument(..., help="Files or folders of conversations."),
          scorecard: Optional[str] = typer.Option(
              None, "--scorecard", "-s",
              help="Bundled name (phone, chat) or a YAML file; default: by channel."),
          fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
          set_: list[str] = typer.Option([], "--set", help="Override a scorecard key: "
                                         "settings.max_rings=4 (repeatable)."),
          explain: bool = typer.Option(False, "--explain", help="Name the detector of each "
                                       "evidence span.")) -> None:
    """Score conversation files without a database; one evaluation per conversation."""
    try:
        chooser = ScorecardChooser(scorecard, parse_overrides(set_))
    except ServiceQAError as exc:
        _fail(exc)
    summary = Summary()
    results = score_stream(read_paths(paths), chooser, summary)
    try:
        if fmt is Format.table:
            _print_tables(results)
        else:
            _print_json(results, fmt, explain)
    except ServiceQAError as exc:
        _fail(exc)
    _report_rejections(summary)
    print_summary(err, summary.as_dict())
    raise typer.Exit(_exit_code(summary))


def _print_json(results, fmt: Format, explain: bool) -> None:  # type: ignore[no-untyped-def]
    first = True
    if fmt is Format.json:
        sys.stdout.write("[")
    for item in results:
        if not isinstance(item, Scored):
            continue
        if fmt is Format.jsonl:
            sys.stdout.write(evaluation_json(item.evaluation, explain) + "\n")
        else:
            sys.stdout.write(("\n" if first else ",\n") + evaluation_json(item.evaluation,
                                                                          explain, indent=2))
            first = False
    if fmt is Format.json:
        sys.stdout.write("\n]\n")
    sys.stdout.flush()


def _print_tables(results) -> None:  # type: ignore[no-untyped-def]
    chunk = []
    for item in results:
        if isinstance(item, Scored):
            chunk.append(item.evaluation)
        if len(chunk) == TABLE_CHUNK:
            out.print(evaluations_table(chunk))
            chunk = []
    if chunk:
        out.print(evaluations_table(chunk))


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="Files or folders of conversations."),
           db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
           scorecard: Optional[str] = typer.Option(None, "--scorecard", "-s",
                                                   help="Scorecard name or file; default: by channel.")
           ) -> None:
    """Store conversations and their evaluations; the same id again updates it."""
    from .store.repository import Store

    try:
        chooser = ScorecardChooser(scorecard)
        store = Store(db)
        store.upgrade()
    except ServiceQAError as exc:
        _fail(exc)
    from .review.learn_store import load_model

    summary = Summary()
    model = load_model(store)
    if model is not None:
        err.print(f"scoring with learned model {model.version} "
                  f"({', '.join(sorted(model.criteria))})", highlight=False)
    pairs = ((s.conversation, s.evaluation) for s in
             score_stream(read_paths(paths), chooser, summary, model) if isinstance(s, Scored))
    stored = store.save_many(pairs, bulk=True)
    _report_rejections(summary)
    print_summary(err, summary.as_dict())
    err.print(f"stored {stored} conversations in {db}")
    raise typer.Exit(_exit_code(summary))


@app.command()
def demo(db: Path = typer.Option(Path("serviceqa-demo.db"), "--db",
                                 help="SQLite file for the demo database.")) -> None:
    """Load the bundled sample corpus into SQLite, score it and show the results."""
    from .demo import run_demo

    raise typer.Exit(run_demo(db, out))


@app.command()
def scorecards(check: Optional[Path] = typer.Option(None, "--check",
                                                    help="Validate this scorecard file.")) -> None:
    """List the bundled scorecards, or validate a scorecard file."""
    if check is not None:
        try:
            card = load_scorecard(str(check))
        except ServiceQAError as exc:
            _fail(exc)
        out.print(f"{check}: ok ({len(card.criteria)} criteria)")
        return
    for name in bundled_names():
        card = load_scorecard(name)
        out.print(f"[bold]{name}[/]: {card.title} — {len(card.criteria)} criteria, "
                  f"channels {', '.join(card.channels)}")


@db_app.command("upgrade")
def db_upgrade(db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP)) -> None:
    """Create the tables, or migrate them to this version's schema; safe to repeat."""
    from .store import migrate

    try:
        migrate.upgrade(db)
        state = migrate.status(db)
    except ServiceQAError as exc:
        _fail(exc)
    out.print(f"{_shown(db)}: {state.message()}", highlight=False)


@db_app.command("check")
def db_check(db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP)) -> None:
    """Exit 0 if the database is at the head migration, 1 if behind, 2 if unknown."""
    from .store import migrate

    try:
        state = migrate.status(db)
    except ServiceQAError as exc:
        _fail(exc)
    if state.at_head:
        out.print(f"{_shown(db)}: {state.message()}", highlight=False)
        return
    err.print(f"{_shown(db)}: {state.message()}", highlight=False)
    raise typer.Exit(EXIT_BEHIND if state.known else EXIT_USAGE)


@db_app.command("rollups")
def db_rollups(db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP)) -> None:
    """Recompute the report rollups from the stored evaluations (after editing tables by
    hand; ServiceQA's own writes keep them current)."""
    from .store import Store, migrate

    try:
        state = migrate.status(db)
        if not state.at_head:
            _fail(DatabaseError(f"{_shown(db)}: {state.message()}"))
        store = Store(db)
        store.rebuild_rollups()
        count = store.count_conversations()
        store.close()
    except ServiceQAError as exc:
        _fail(exc)
    out.print(f"{_shown(db)}: rollups rebuilt over {count} conversations", highlight=False)


@app.command()
def serve(db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
          host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
          port: int = typer.Option(8000, "--port", help="Port to listen on."),
          secure_cookies: bool = typer.Option(
              True, "--secure-cookies/--insecure-cookies",
              help="Mark session cookies Secure (turn off only for plain-http localhost)."),
          sweep_every: float = typer.Option(
              0.0, "--sweep-every",
              help="Run the follow-up sweep (serviceqa tasks sweep) every this many minutes "
                   "in the server; 0: never (use cron)."),
          workers: int = typer.Option(
              1, "--workers", min=1,
              help="Server processes; scoring on ingest is CPU work, one core per process. "
                   "With SQLite they share one writer."),
          scoring_processes: int = typer.Option(
              0, "--scoring-processes", min=0,
              help="Score ingested conversations on a pool of this many processes (one per "
                   "core), while the server's process answers requests and writes; 0: score "
                   "in the server's process.")
          ) -> None:
    """Start the web UI (at /) and the API (routes under /api/v1/, OpenAPI at /openapi.json)."""
    import os

    import uvicorn

    from .web import create_app
    from .web.app import SERVE_DB, SERVE_SCORING, SERVE_SECURE, warm_up

    try:  # with --workers, this process only migrates: each worker makes its own pool
        api = create_app(db, secure_cookies=secure_cookies,
                         scoring_processes=scoring_processes if workers == 1 else 0)
    except ServiceQAError as exc:
        _fail(exc)
    if workers > 1:
        if sweep_every > 0:
            _fail(ServiceQAError("--sweep-every runs in one process: use it with --workers 1, "
                                 "or run `serviceqa tasks sweep` from cron"))
        err.print(f"serving {_shown(db)} on http://{host}:{port} with {workers} processes")
        os.environ[SERVE_DB], os.environ[SERVE_SECURE] = db, "1" if secure_cookies else "0"
        os.environ[SERVE_SCORING] = str(scoring_processes)
        uvicorn.run("serviceqa.web.app:app_from_environment", factory=True, workers=workers,
                    host=host, port=port, log_level="warning")
        return
    err.print(f"loading language packs, then serving {_shown(db)} on http://{host}:{port}")
    warm_up(api)
    if sweep_every > 0:
        start_sweeper(api.state.feedback, 60 * sweep_every)
    uvicorn.run(api, host=host, port=port, log_level="warning")


def _workspace_store(db: str):  # type: ignore[no-untyped-def]
    """The store at `db`, migrated; a database that cannot be opened ends the command."""
    from .store.repository import Store

    try:
        store = Store(db)
        store.upgrade()
    except ServiceQAError as exc:
        _fail(exc)
    return store


@users_app.command("add")
def users_add(name: str = typer.Argument(..., help="Login name."),
              role: str = typer.Option(..., "--role", help="admin, lead, reviewer or agent."),
              agent_id: Optional[str] = typer.Option(None, "--agent-id",
                                                     help="The agent id an agent user is."),
              password: bool = typer.Option(False, "--password",
                                            help="Ask for a password (browser login)."),
              db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP)) -> None:
    """Create a user and print its API token; the token is shown this once only."""
    secret = typer.prompt("Password", hide_input=True, confirmation_prompt=True) \
        if password else None
    store = _workspace_store(db)
    try:
        user, token = store.accounts.add_user(name, role, agent_id, secret)
    except ServiceQAError as exc:
        _fail(exc)
    err.print(f"created {user.role} {user.name!r}; its API token (shown once):")
    out.print(token, highlight=False)


@users_app.command("list")
def users_list(db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP)) -> None:
    """List the users and their roles."""
    store = _workspace_store(db)
    for user in store.accounts.users():
        agent = f" (agent {user.agent_id})" if user.agent_id else ""
        out.print(f"{user.name}\t{user.role}{agent}", highlight=False)


@webhooks_app.command("add")
def webhooks_add(name: str = typer.Argument(..., help="Source name, used in the URL."),
                 db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP)) -> None:
    """Create a webhook source and print its shared secret (shown once)."""
    store = _workspace_store(db)
    try:
        secret = store.accounts.add_webhook_source(name)
    except ServiceQAError as exc:
        _fail(exc)
    err.print(f"POST to /api/v1/webhooks/{name}, signed with this secret (shown once):")
    out.print(secret, highlight=False)


@webhooks_app.command("list")
def webhooks_list(db: str = typer.Option(DEFAULT_DB, "--db", help=DB_HELP)) -> None:
    """List the webhook sources (never their secrets)."""
    store = _workspace_store(db)
    for source in store.accounts.webhook_sources():
        out.print(f"{source['name']}\t{source['created_at']:%Y-%m-%d %H:%M}", highlight=False)


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


for _command in (batch, rescore, generate, learn):  # cli_batch.py, cli_learn.py
    app.command()(_command)


if __name__ == "__main__":  # pragma: no cover
    app()
