"""`serviceqa learn`: train per-criterion models on the stored reviews, store a version,
and print the cross-validated agreement with reviewers before and after (rich tables).

Exit codes: 0 a model was stored; 1 no criterion qualified (nothing stored, reasons
printed); 2 usage or configuration error."""

from __future__ import annotations

import json
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import ServiceQAError

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
DB_HELP = "Database URL: sqlite:///qa.db or postgresql+psycopg://user@host/db."


def _figure(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def agreement_table(criteria: dict[str, Any]) -> Table:
    """One row per criterion and language: reviews, rules vs learned accuracy and kappa."""
    table = Table(title="Agreement with reviewers (cross-validated)")
    for column in ("criterion", "language", "n", "accuracy before", "accuracy after",
                   "kappa before", "kappa after", "model"):
        table.add_column(column, justify="right" if column in ("n",) else "left")
    for criterion, row in criteria.items():
        status = row["status"] or ""
        for language, figures in (row.get("agreement") or {}).items():
            table.add_row(criterion, language, str(figures["n"]),
                          _figure(figures["before"]["accuracy"]),
                          _figure(figures["after"]["accuracy"]),
                          _figure(figures["before"]["kappa"]), _figure(figures["after"]["kappa"]),
                          status if language == "all" else "")
            criterion = ""
        if not row.get("agreement"):
            table.add_row(criterion, "", str(row["reviews"]), "", "", "", "", status)
    return table


def learn(db: str = typer.Option(..., "--db", help=DB_HELP),
          min_reviews: int = typer.Option(30, "--min-reviews", min=2, help="Reviewed verdicts "
                                          "a criterion needs before it gets a model."),
          folds: int = typer.Option(5, "--folds", min=2, help="Cross-validation folds."),
          c: float = typer.Option(1.0, "--c", min=1e-6, help="Inverse L2 regularisation."),
          fmt_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")
          ) -> None:
    """Train per-criterion models on the stored reviews; scoring then uses the newest."""
    from .review.learn import LearnSettings
    from .review.learn_store import learn_from_store
    from .store.repository import Store

    try:
        store = Store(db)
        store.upgrade()
        training, version = learn_from_store(store, LearnSettings(min_reviews, folds, c))
    except ServiceQAError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2)
    if fmt_json:
        out.print_json(json.dumps({"version": version, "reviews": training.reviews,
                                   "criteria": training.criteria}))
    else:
        out.print(agreement_table(training.criteria))
    for criterion, row in training.criteria.items():
        if row["status"] == "skipped":
            err.print(f"skipped {criterion}: {row['reason']}", highlight=False)
    if training.unknown:
        err.print(f"{len(training.unknown)} verdicts name conversations or criteria the store "
                  f"does not have, e.g. {training.unknown[0]}", highlight=False)
    err.print(f"{training.reviews} reviewed verdicts on {training.conversations} conversations",
              highlight=False)
    if version is None:
        err.print("no criterion qualified for a model; nothing stored")
        raise typer.Exit(1)
    trained = sorted(training.model.criteria) if training.model else []
    err.print(f"stored learned model {version} ({', '.join(trained)}); ingest, the API and "
              "rescore use it from now on", highlight=False)
