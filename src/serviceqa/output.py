"""How evaluations are written: the JSON contract, and rich tables for people."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.table import Table

from .model import Evaluation, Rejected


def evaluation_dict(evaluation: Evaluation, explain: bool = False) -> dict[str, Any]:
    """The evaluation contract of design.md; `explain` adds which detector found each span."""
    data = evaluation.model_dump(mode="json")
    for item in _all_evidence(data):
        if not explain:
            item.pop("detector", None)
        if not item.get("missing"):
            item.pop("missing", None)
    for criterion in data["criteria"]:
        if criterion.get("reason") is None:
            criterion.pop("reason", None)
    return data


def _all_evidence(data: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for criterion in data["criteria"]:
        yield from criterion["evidence"]
    for alert in data["alerts"]:
        yield from alert["evidence"]


def evaluation_json(evaluation: Evaluation, explain: bool = False, indent: int | None = None) -> str:
    return json.dumps(evaluation_dict(evaluation, explain), ensure_ascii=False, indent=indent)


def rejection_line(item: Rejected) -> str:
    where = ":".join(str(p) for p in (item.file, item.line) if p is not None)
    field = f" -> {item.field}" if item.field else ""
    who = f" [{item.conversation_id}]" if item.conversation_id else ""
    return f"rejected{who} {where}{field}: {item.message}".replace("  ", " ")


def evaluations_table(rows: list[Evaluation]) -> Table:
    table = Table(title="Evaluations", show_lines=False)
    for column in ("conversation", "lang", "scorecard", "score", "passed", "failed criteria",
                   "customer", "alerts"):
        table.add_column(column, overflow="fold")
    for e in rows:
        failed = ", ".join(c.id for c in e.criteria if c.result == "fail")
        customer = ", ".join(e.customer.types) or f"{e.customer.sentiment:+.2f}"
        table.add_row(e.conversation_id, "+".join(e.languages) or "?", e.scorecard,
                      "—" if e.score is None else f"{e.score:.1f}",
                      "[green]yes[/]" if e.passed else "[red]no[/]", failed, customer,
                      ", ".join(a.kind for a in e.alerts))
    return table


def print_summary(console: Console, summary: dict[str, int]) -> None:
    console.print(f"read {summary['read']}, scored {summary['scored']}, "
                  f"rejected {summary['rejected']}")
