"""`serviceqa demo`: the bundled corpus into SQLite, scored, and what a QA lead sees first."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..ingest import read_paths
from ..run import ScorecardChooser, Scored, Summary, score_stream

CORPUS = Path(__file__).parent / "corpus"
RECENT_ALERTS = 12


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.jsonl"))


def run_demo(db: Path, console: Console) -> int:
    from ..store.repository import Store

    url = f"sqlite:///{db.resolve()}"
    store = Store(url)
    store.upgrade()
    summary = Summary()
    languages: dict[str, int] = {}

    def pairs():  # type: ignore[no-untyped-def]
        for item in score_stream(read_paths(corpus_files()), ScorecardChooser(None), summary):
            if isinstance(item, Scored):
                code = item.evaluation.language or "?"
                languages[code] = languages.get(code, 0) + 1
                yield item.conversation, item.evaluation

    stored = store.save_many(pairs(), bulk=True)
    console.rule("[bold]ServiceQA demo")
    console.print(f"read {summary.read}, scored {summary.scored}, rejected {summary.rejected}; "
                  f"languages: " + ", ".join(f"{k} {v}" for k, v in sorted(languages.items())))
    console.print(_leaderboard(store))
    console.print(_pass_rates(store))
    console.print(_alerts(store))
    console.print(f"\nDatabase: [bold]{db.resolve()}[/] ({stored} conversations stored)")
    console.print("Next: [bold]serviceqa score FILE --format jsonl[/] scores your own files; "
                  f"[bold]serviceqa ingest FILE --db {url}[/] adds them here.")
    store.close()
    return 0 if not summary.rejected else 1


def _leaderboard(store) -> Table:  # type: ignore[no-untyped-def]
    table = Table(title="Agent leaderboard")
    for column in ("agent", "team", "evaluations", "mean score", "passed", "alerts"):
        table.add_column(column, justify="left" if column in ("agent", "team") else "right")
    for row in store.leaderboard(limit=50):
        mean = "—" if row.mean_score is None else f"{row.mean_score:.1f}"
        table.add_row(f"{row.agent_name or ''} ({row.agent_id})", row.team or "",
                      str(row.evaluations), mean, f"{row.pass_rate:.0%}", str(row.alerts))
    return table


def _pass_rates(store) -> Table:  # type: ignore[no-untyped-def]
    table = Table(title="Pass rate per criterion")
    for column in ("criterion", "pass", "fail", "n/a", "pass rate"):
        table.add_column(column, justify="left" if column == "criterion" else "right")
    for row in store.criterion_pass_rates():
        rate = "—" if row.pass_rate is None else f"{row.pass_rate:.0%}"
        table.add_row(row.criterion_id, str(row.passed), str(row.failed), str(row.na), rate)
    return table


def _alerts(store) -> Table:  # type: ignore[no-untyped-def]
    counts = store.alert_counts()
    title = "Alerts: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none")
    table = Table(title=title)
    for column in ("kind", "conversation", "agent", "reason"):
        table.add_column(column, overflow="fold")
    for alert in store.recent_alerts(limit=RECENT_ALERTS):
        style = "bold red" if alert.kind == "safety" else ""
        table.add_row(f"[{style}]{alert.kind}[/]" if style else alert.kind, alert.conversation_id,
                      alert.agent_id or "", alert.reason)
    return table
