"""How evaluations are written: the JSON contract, and rich tables for people."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.table import Table

from pydantic_core import from_json

from .model import Alert, CriterionResult, CustomerProfile, Evaluation, Evidence, Rejected


def evaluation_dict(evaluation: Evaluation, explain: bool = False) -> dict[str, Any]:
    """The evaluation contract of design.md; `explain` adds which detector found each span."""
    return _trimmed(evaluation.model_dump(mode="json"), explain)


def _trimmed(data: dict[str, Any], explain: bool) -> dict[str, Any]:
    """The dumped model as the contract has it: no unset `missing` or `reason`, and the
    detector of each span only when explaining."""
    for item in _all_evidence(data):
        if not explain:
            item.pop("detector", None)
        if not item.get("missing"):
            item.pop("missing", None)
    for criterion in data["criteria"]:
        if criterion.get("reason") is None:
            criterion.pop("reason", None)
    return data


def stored_evaluation_dict(text: str, explain: bool = False) -> dict[str, Any]:
    """`evaluation_dict` of an evaluation stored as JSON text (the lists' hot path).

    An evaluation stored in the models' current shape is parsed to plain values (in Rust)
    and trimmed as `evaluation_dict` trims; building the models first was two thirds of a
    page's time. Any other shape (stored before a field was added, or with a learned
    model's details) is validated into the model, so its defaults are filled in."""
    data = from_json(text)
    if not _current_shape(data):
        return evaluation_dict(Evaluation.model_validate_json(text), explain)
    return _trimmed(data, explain)


_FIELDS = {model: frozenset(model.model_fields)
           for model in (CriterionResult, CustomerProfile, Alert, Evidence)}
_EVALUATION_FIELDS = frozenset(Evaluation.model_fields) - {"model"}


def _current_shape(data: Any) -> bool:
    """Every object has exactly its model's fields (`model` absent: no learned model)."""
    if not isinstance(data, dict) or data.keys() != _EVALUATION_FIELDS:
        return False
    evidence = _FIELDS[Evidence]
    return (isinstance(data["customer"], dict)
            and data["customer"].keys() == _FIELDS[CustomerProfile]
            and all(isinstance(c, dict) and c.keys() == _FIELDS[CriterionResult]
                    for c in data["criteria"])
            and all(isinstance(a, dict) and a.keys() == _FIELDS[Alert] for a in data["alerts"])
            and all(isinstance(e, dict) and e.keys() == evidence for e in _all_evidence(data)))


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
