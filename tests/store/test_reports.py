"""Report numbers on a small hand-built set equal the values worked out by hand below."""

from __future__ import annotations

import pytest

from serviceqa.store import CriterionPassRate, LeaderboardRow, Store
from serviceqa.store.repository import stable_mean
from tests.store.factory import conversation, evaluation

# id, agent, score, passed, criteria, alerts
SET = [
    ("c1", "a-1", 90.0, True, {"greeting": "pass", "closing": "pass", "empathy": "na",
                               "escalation": "na"}, []),
    ("c2", "a-1", 70.0, False, {"greeting": "fail", "closing": "pass", "empathy": "na"},
     ["callback", "critical_failure"]),
    ("c3", "a-2", 95.0, True, {"greeting": "pass", "closing": "fail", "empathy": "pass"}, []),
    ("c5", "a-3", None, False, {"greeting": "na", "closing": "na"}, ["safety"]),
    ("c6", None, 60.0, False, {"greeting": "pass"}, ["sla_breach"]),
]


@pytest.fixture
def filled(store: Store) -> Store:
    for cid, agent, score, passed, criteria, alerts in SET:
        store.save(conversation(cid, agent), evaluation(cid, score, passed, criteria=criteria,
                                                        alerts=alerts))
    store.save(conversation("c4", "a-2"), None)  # not evaluated: not on the leaderboard
    return store


def test_leaderboard(filled: Store) -> None:
    # a-2: one evaluation of 95, passed.  a-1: (90 + 70) / 2 = 80, 1 of 2 passed, 2 alerts.
    # a-3: no score (all N/A) goes last.  c6 has no agent and is left out.
    assert filled.leaderboard() == [
        LeaderboardRow("a-2", "Agent a-2", "Almaty", 1, 95.0, 1.0, 0),
        LeaderboardRow("a-1", "Agent a-1", "Almaty", 2, 80.0, 0.5, 2),
        LeaderboardRow("a-3", "Agent a-3", "Almaty", 1, None, 0.0, 1),
    ]
    assert [r.agent_id for r in filled.leaderboard(limit=2)] == ["a-2", "a-1"]


@pytest.mark.parametrize(("criterion", "passed", "failed", "na", "rate"), [
    ("closing", 2, 1, 1, 2 / 3),
    ("empathy", 1, 0, 2, 1.0),
    ("escalation", 0, 0, 1, None),  # only N/A: no rate rather than 0
    ("greeting", 3, 1, 1, 0.75),
])
def test_criterion_pass_rates(filled: Store, criterion: str, passed: int, failed: int,
                              na: int, rate: float | None) -> None:
    rows = {r.criterion_id: r for r in filled.criterion_pass_rates()}
    assert rows[criterion] == CriterionPassRate(criterion, passed, failed, na)
    assert rows[criterion].pass_rate == pytest.approx(rate)
    assert rows[criterion].to_dict()["pass_rate"] == pytest.approx(rate)


def test_criterion_pass_rates_cover_every_criterion(filled: Store) -> None:
    ids = [r.criterion_id for r in filled.criterion_pass_rates()]
    assert ids == ["closing", "empathy", "escalation", "greeting"]


def test_alert_counts(filled: Store) -> None:
    assert filled.alert_counts() == {"callback": 1, "critical_failure": 1, "safety": 1,
                                     "sla_breach": 1}


def test_recent_alerts_put_safety_first_then_newest(filled: Store) -> None:
    rows = filled.recent_alerts(limit=10)
    assert [(r.kind, r.conversation_id, r.agent_id) for r in rows] == [
        ("safety", "c5", "a-3"),
        ("sla_breach", "c6", None),
        ("critical_failure", "c2", "a-1"),
        ("callback", "c2", "a-1"),
    ]
    assert rows[0].reason == "safety for c5" and rows[0].acknowledged is False
    assert rows[0].created_at.tzinfo is not None
    assert len(filled.recent_alerts(limit=2)) == 2


def test_empty_store_reports(store: Store) -> None:
    assert store.leaderboard() == []
    assert store.criterion_pass_rates() == []
    assert store.alert_counts() == {}
    assert store.recent_alerts(5) == []
    assert store.count_conversations() == 0


def test_means_agree_across_backends_despite_float_summation() -> None:
    """The demo corpus gave these two means for one channel on SQLite and PostgreSQL."""
    assert stable_mean(28.86666666666666) == stable_mean(28.866666666666667) == 28.866666667
    assert stable_mean(None) is None
