"""Grouped survey figures against hand-worked numbers, including empty and one-response
groups, and QA score against CSAT."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from serviceqa.feedback.reports import grouped, pearson, period_key, qa_against_csat
from serviceqa.feedback.repository import ResponseFact
from tests.feedback.helpers import API, links
from tests.web.conftest import Workspace

MON = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)   # a Monday
SUN = datetime(2026, 11, 8, 23, tzinfo=timezone.utc)


def fact(n: int, agent: str | None, csat: int | None = None, nps: int | None = None,
         score: float | None = None, when: datetime = MON, sat: int | None = None,
         themes: tuple[str, ...] = ()) -> ResponseFact:
    return ResponseFact(n, "default", f"c-{n}", "link", csat, nps, sat, None,
                        {"themes": list(themes)}, when, "ru", agent, agent, "T", "chat", score)


FACTS = [fact(1, "a", 5, 10, 90), fact(2, "a", 4, 9, 80),
         fact(3, "a", 2, 3, 40, themes=("waiting",)),
         fact(4, "a", 1, 6, 50, themes=("waiting", "rudeness")), fact(5, "b", 3, None, 70, SUN)]
LINKS = [("a", "T", "chat", "ru", MON, True)] * 4 + [("a", "T", "chat", "ru", MON, False)] * 4 + \
        [("b", "T", "chat", "ru", SUN, True), ("c", "T", "chat", "ru", SUN, False)]


def test_groups_by_agent() -> None:
    rows = {r["key"]: r for r in grouped(FACTS, LINKS, "agent")}
    a, b, c = rows["a"], rows["b"], rows["c"]
    # a: CSAT 2 of 4 satisfied = 50%; NPS (2 promoters - 2 detractors) / 4 = 0
    assert (a["csat"]["value"], a["csat"]["responses"]) == (50.0, 4)
    assert (a["nps"]["promoters"], a["nps"]["detractors"], a["nps"]["value"]) == (2, 2, 0.0)
    assert (a["links_sent"], a["links_answered"], a["response_rate"]) == (8, 4, 50.0)
    assert a["qa_score"] == 65.0 and a["themes"] == [("waiting", 2), ("rudeness", 1)]
    # b: one response, CSAT 3 -> 0% with a real interval (Wilson: 0 .. 79.3)
    assert b["csat"]["value"] == 0.0 and b["csat"]["interval"] == {"low": 0.0, "high": 79.3}
    assert b["nps"]["value"] is None and b["response_rate"] == 100.0
    # c: a link, no response
    assert c["responses"] == 0 and c["csat"]["value"] is None and c["response_rate"] == 0.0


def test_groups_by_period() -> None:
    weeks = {r["key"]: r for r in grouped(FACTS, LINKS, "week")}
    assert set(weeks) == {"2026-11-02"}  # Sunday 8th is in Monday 2nd's week
    days = {r["key"]: r["responses"] for r in grouped(FACTS, LINKS, "day")}
    assert days == {"2026-11-02": 4, "2026-11-08": 1}
    assert period_key(SUN, "month") == "2026-11"


def test_no_responses_at_all() -> None:
    assert grouped([], [], "agent") == []
    result = qa_against_csat([])
    assert (result["pairs"], result["pearson_r"], result["points"]) == (0, None, [])


@pytest.mark.parametrize("pairs, expected", [
    ([(1, 1), (2, 2), (3, 3)], 1.0),
    ([(1, 3), (2, 2), (3, 1)], -1.0),
    # by hand: dx -2..2, dy -1,-2,1,0,2; sxy 8, sxx 10, syy 10: r = 8 / 10
    ([(1, 2), (2, 1), (3, 4), (4, 3), (5, 5)], 0.8),
    # sxy 35, sxx 500, syy 4.75: r = 35 / sqrt(2375) = 0.7182
    ([(10, 2), (20, 4), (30, 5), (40, 4)], 0.718),
    ([(1, 1), (2, 2)], None),                       # too few
    ([(1, 4), (2, 4), (3, 4)], None),               # CSAT does not vary
])
def test_pearson(pairs, expected) -> None:
    assert pearson(pairs) == expected


def test_qa_score_against_csat() -> None:
    result = qa_against_csat(FACTS)
    assert result["pairs"] == 5
    assert result["mean_qa_score_by_csat"] == {"1": 50.0, "2": 40.0, "3": 70.0, "4": 80.0,
                                               "5": 90.0}
    assert result["pearson_r"] == pearson([(90, 5), (80, 4), (40, 2), (50, 1), (70, 3)])
    assert [(a["agent_id"], a["csat"], a["qa_score"]) for a in result["agents"]] == [
        ("a", 50.0, 65.0), ("b", 0.0, 70.0)]


def test_results_through_the_api(workspace: Workspace) -> None:
    made = links(workspace, "ru-001", "ru-002", "kk-001", "hu-001")
    for link, csat in zip(made[:3], (5, 2, 4)):
        workspace.client.post(f"{API}/public/surveys/{link['token']}", json={"csat": csat})
    body = workspace.get(f"{API}/feedback/results/language", "lead").json()
    groups = {g["key"]: g for g in body["groups"]}
    assert groups["ru"]["csat"]["value"] == 50.0 and groups["kk"]["csat"]["value"] == 100.0
    assert groups["hu"]["responses"] == 0 and groups["hu"]["response_rate"] == 0.0
    assert body["total"]["response_rate"] == 75.0
    assert body["qa_vs_csat"]["pairs"] == 3
    own = workspace.get(f"{API}/feedback/results/agent", "agent").json()
    assert {g["key"] for g in own["groups"]} == {"a-kk-01"}
    assert workspace.get(f"{API}/feedback/results/agent", "agent",
                         params={"agent": "a-ru-01"}).status_code == 403
