"""`serviceqa review assign`: run the assignment rules over a workspace database."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .errors import ServiceQAError

review_app = typer.Typer(help="Human review: queue conversations for reviewers.",
                         no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
EXIT_USAGE = 2


def _day(text: Optional[str], option: str) -> Optional[datetime]:
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        err.print(f"[red]error:[/] {option}: not an ISO-8601 date or time: {text!r}")
        raise typer.Exit(EXIT_USAGE) from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


@review_app.command("assign")
def assign(db: str = typer.Option("sqlite:///serviceqa.db", "--db", help="Database URL."),
           rules: Optional[Path] = typer.Option(
               None, "--rules", help="A rules YAML file; default: the workspace's stored "
                                     "rules, else the packaged review/rules.yaml."),
           since: Optional[str] = typer.Option(None, "--since",
                                               help="Conversations started at or after."),
           until: Optional[str] = typer.Option(None, "--until",
                                               help="Conversations started before.")) -> None:
    """Queue conversations for review by the rules and hand them to reviewers; prints
    what was created, as JSON. Running it again adds only what is new."""
    from .review.queues import Queues
    from .review.rules import parse_rules, stored_rules_text
    from .store.repository import Store
    from .workspace import Workspace

    start, end = _day(since, "--since"), _day(until, "--until")
    try:
        store = Store(db)
        store.upgrade()
        text = rules.read_text(encoding="utf-8") if rules else stored_rules_text(store.engine)
        parsed = parse_rules(text, str(rules) if rules else "review/rules")
        result = Queues(Workspace(store)).assign(parsed, start, end)
    except (ServiceQAError, OSError) as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    store.close()
    out.print(json.dumps(result, ensure_ascii=False), highlight=False)
