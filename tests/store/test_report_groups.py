"""Reports grouped by agent, team, channel, language, day and week, under every filter.

The same hand-worked numbers must come out of SQLite and PostgreSQL. The PostgreSQL test
database runs in Asia/Almaty time (UTC+5) with an en-US collation, so a day taken in the
session's zone or text sorted by the locale would show up here as a wrong answer.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from serviceqa.store import Filters, ReportRow, Store
from serviceqa.store.schema import ConversationRow, EvaluationRow
from tests.store.factory import conversation, evaluation

# id, agent, team, channel, language, started_at (UTC), score, passed, criteria, alerts, types
SET = [
    # Sunday 23:30 UTC is already Monday in Almaty: it must stay on Sunday, in October's week.
    ("g1", "a-1", "Almaty", "chat", "ru", "2026-11-01T23:30:00Z", 90.0, True,
     {"greeting": "pass", "closing": "fail"}, [], []),
    ("g2", "a-1", "Almaty", "phone", "kk", "2026-11-02T10:00:00Z", 70.0, False,
     {"greeting": "fail", "closing": "pass"}, ["callback"], ["rude"]),
    ("g3", "a-2", "Astana", "email", "en", "2026-11-08T19:00:00Z", 50.0, False,
     {"greeting": "pass"}, ["callback", "safety"], ["rude", "offended"]),
    # No start time and no score; its team sorts after "Astana" by bytes, before it in en-US.
    ("g5", "a-2", "almaty-night", "chat", "ru", None, None, False,
     {"greeting": "na"}, [], []),
]


@pytest.fixture
def filled(store: Store) -> Store:
    for cid, agent, team, channel, language, started, score, passed, criteria, alerts, \
            types in SET:
        store.save(conversation(cid, agent, team=team, channel=channel, language=language,
                                started_at=started),
                   evaluation(cid, score, passed, criteria=criteria, alerts=alerts,
                              types=types))
    store.save(conversation("g6", "a-9"), None)  # not evaluated: in no report
    return store


@pytest.mark.parametrize(("by", "expected"), [
    ("day", [("2026-11-01", 1, 90.0, 1.0, 0), ("2026-11-02", 1, 70.0, 0.0, 1),
             ("2026-11-08", 1, 50.0, 0.0, 2), (None, 1, None, 0.0, 0)]),
    ("week", [("2026-10-26", 1, 90.0, 1.0, 0), ("2026-11-02", 2, 60.0, 0.0, 3),
              (None, 1, None, 0.0, 0)]),
    ("agent", [("a-1", 2, 80.0, 0.5, 1), ("a-2", 2, 50.0, 0.0, 2)]),
    ("team", [("Almaty", 2, 80.0, 0.5, 1), ("Astana", 1, 50.0, 0.0, 2),
              ("almaty-night", 1, None, 0.0, 0)]),
    ("channel", [("chat", 2, 90.0, 0.5, 0), ("email", 1, 50.0, 0.0, 2),
                 ("phone", 1, 70.0, 0.0, 1)]),
    ("language", [("en", 1, 50.0, 0.0, 2), ("kk", 1, 70.0, 0.0, 1),
                  ("ru", 2, 90.0, 0.5, 0)]),
])
def test_report_by(filled: Store, by: str, expected: list[tuple[object, ...]]) -> None:
    assert filled.report(by) == [ReportRow(*row) for row in expected]  # type: ignore[arg-type]


def test_report_refuses_an_unknown_dimension(filled: Store) -> None:
    with pytest.raises(ValueError, match="month"):
        filled.report("month")  # type: ignore[arg-type]


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(("filters", "ids"), [
    (Filters(), {"g1", "g2", "g3", "g5"}),
    (Filters(agent_id="a-1"), {"g1", "g2"}),
    (Filters(team="Astana"), {"g3"}),
    (Filters(channel="chat"), {"g1", "g5"}),
    (Filters(language="kk"), {"g2"}),
    (Filters(since=_utc("2026-11-02T00:00")), {"g2", "g3"}),
    (Filters(until=_utc("2026-11-02T00:00")), {"g1"}),
    (Filters(since=datetime(2026, 11, 2), until=datetime(2026, 11, 3)), {"g2"}),  # naive: UTC
    (Filters(min_score=60), {"g1", "g2"}),
    (Filters(max_score=60), {"g3"}),
    (Filters(min_score=60, max_score=80), {"g2"}),
    (Filters(failed_criterion="greeting"), {"g2"}),
    (Filters(failed_criterion="closing"), {"g1"}),
    (Filters(customer_type="rude"), {"g2", "g3"}),
    (Filters(customer_type="offended"), {"g3"}),
    (Filters(alert_kind="callback"), {"g2", "g3"}),
    (Filters(alert_kind="safety"), {"g3"}),
    (Filters(agent_id="a-1", alert_kind="callback"), {"g2"}),
    (Filters(agent_id="a-9"), set()),
])
def test_filter_selects(filled: Store, filters: Filters, ids: set[str]) -> None:
    query = filters.apply(select(ConversationRow.id)
                          .join(EvaluationRow, EvaluationRow.conversation_id == ConversationRow.id))
    with filled.engine.connect() as connection:
        assert set(connection.scalars(query)) == ids


def test_filtered_reports(filled: Store) -> None:
    rude = Filters(customer_type="rude")
    assert filled.report("agent", rude) == [ReportRow("a-1", 1, 70.0, 0.0, 1),
                                            ReportRow("a-2", 1, 50.0, 0.0, 2)]
    rates = filled.criterion_pass_rates(Filters(agent_id="a-1"))
    assert [(r.criterion_id, r.passed, r.failed, r.na) for r in rates] == [
        ("closing", 1, 1, 0), ("greeting", 1, 1, 0)]
    assert filled.alert_counts(Filters(team="Astana")) == {"callback": 1, "safety": 1}
    assert filled.alert_counts(Filters(team="Almaty")) == {"callback": 1}
    assert filled.customer_type_counts() == {"offended": 1, "rude": 2}
    assert filled.customer_type_counts(Filters(channel="phone")) == {"rude": 1}
    assert filled.report("day", Filters(agent_id="nobody")) == []


def test_leaderboard_ties_sort_by_bytes(store: Store) -> None:
    """Equal scores: `B-1` before `a-1`, as SQLite sorts, whatever PostgreSQL's locale."""
    for cid, agent in (("t1", "a-1"), ("t2", "B-1"), ("t3", "b-2")):
        store.save(conversation(cid, agent), evaluation(cid, 80.0))
    assert [r.agent_id for r in store.leaderboard()] == ["B-1", "a-1", "b-2"]
