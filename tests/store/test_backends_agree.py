"""The bundled demo corpus, scored once and stored in SQLite and in PostgreSQL, gives the
same answer to every report and filter: "same code, same results"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from serviceqa.demo import corpus_files
from serviceqa.ingest import read_paths
from serviceqa.run import ScorecardChooser, Scored, Summary, score_stream
from serviceqa.store import Filters, Store, default_url
from serviceqa.store.queries import Dimension

DIMENSIONS: tuple[Dimension, ...] = ("agent", "team", "channel", "language", "day", "week")
FILTERS = [Filters(alert_kind="callback"), Filters(customer_type="rude", channel="chat"),
           Filters(failed_criterion="greeting"), Filters(min_score=50, max_score=90)]


def _everything(store: Store) -> dict[str, Any]:
    answers: dict[str, Any] = {"count": store.count_conversations(),
                               "leaderboard": store.leaderboard(100)}
    for i, filters in enumerate([Filters(), *FILTERS]):
        answers[f"{i}:criteria"] = store.criterion_pass_rates(filters)
        answers[f"{i}:alerts"] = store.alert_counts(filters)
        answers[f"{i}:types"] = store.customer_type_counts(filters)
        answers.update({f"{i}:{by}": store.report(by, filters) for by in DIMENSIONS})
    return answers


def test_demo_corpus_reports_are_identical(pg_url: str, tmp_path: Path) -> None:
    pairs = [(s.conversation, s.evaluation) for s in
             score_stream(read_paths(corpus_files()), ScorecardChooser(None), Summary())
             if isinstance(s, Scored)]
    answers = []
    for url in (default_url(tmp_path / "demo.db"), pg_url):
        store = Store(url)
        store.upgrade()
        store.save_many(pairs, batch_size=20)
        answers.append(_everything(store))
        store.close()
    sqlite, postgresql = answers
    assert sqlite["count"] == len(pairs) > 50
    assert [k for k in sqlite if sqlite[k] != postgresql[k]] == []
    assert all(sqlite[f"0:{by}"] for by in DIMENSIONS)  # nothing compared empty to empty
