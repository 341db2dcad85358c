"""Alerts (list, acknowledge), agents, teams and reports over the demo corpus."""

from __future__ import annotations

from collections import Counter

import pytest

from serviceqa.model import Conversation, Evaluation
from tests.web.conftest import AGENT_ID, Workspace

API = "/api/v1"
Pair = tuple[Conversation, Evaluation]


def test_alerts_list_safety_first_and_acknowledge(workspace: Workspace,
                                                  demo_pairs: list[Pair]) -> None:
    expected = Counter(a.kind for _, e in demo_pairs for a in e.alerts)
    body = workspace.get(f"{API}/alerts", params={"limit": 500}).json()
    assert body["total"] == sum(expected.values())
    kinds = [a["kind"] for a in body["items"]]
    assert kinds == sorted(kinds, key=lambda k: k != "safety")
    first = body["items"][0]
    done = workspace.post(f"{API}/alerts/{first['id']}/acknowledge", role="reviewer").json()
    assert done["acknowledged"] and done["acknowledged_by"] == "reviewer-user"
    open_ = workspace.get(f"{API}/alerts", params={"acknowledged": False}).json()
    assert open_["total"] == body["total"] - 1
    handled = workspace.get(f"{API}/alerts", params={"acknowledged": True}).json()["items"]
    assert [a["conversation_id"] for a in handled] == [first["conversation_id"]]
    callbacks = workspace.get(f"{API}/alerts", params={"kind": "callback"}).json()
    assert callbacks["total"] == expected["callback"]
    assert workspace.post(f"{API}/alerts/999999/acknowledge").status_code == 404


def test_agent_sees_only_their_alerts(workspace: Workspace, demo_pairs: list[Pair]) -> None:
    own = sum(len(e.alerts) for c, e in demo_pairs if c.agent and c.agent.id == AGENT_ID)
    body = workspace.get(f"{API}/alerts", role="agent").json()
    assert body["total"] == own
    assert {a["agent_id"] for a in body["items"]} <= {AGENT_ID}


def test_agents_and_teams(workspace: Workspace, demo_pairs: list[Pair]) -> None:
    agents = workspace.get(f"{API}/agents").json()
    assert len(agents) == len({c.agent.id for c, _ in demo_pairs if c.agent})
    scores = [a["mean_score"] for a in agents]
    assert scores == sorted(scores, reverse=True)
    assert [a["agent_id"] for a in workspace.get(f"{API}/agents", role="agent").json()] == \
        [AGENT_ID]
    one = workspace.get(f"{API}/agents/a-hu-02").json()
    assert one["team"] == "Budapest" and one["criteria"]
    teams = {t["key"]: t["evaluations"] for t in workspace.get(f"{API}/teams").json()}
    assert teams == dict(Counter(c.agent.team for c, _ in demo_pairs if c.agent))
    assert workspace.get(f"{API}/agents/a-none").status_code == 404


@pytest.mark.parametrize("by", ["agent", "team", "channel", "language", "day", "week"])
def test_report_by_each_dimension(workspace: Workspace, demo_pairs: list[Pair],
                                  by: str) -> None:
    body = workspace.get(f"{API}/reports/{by}").json()
    assert sum(g["evaluations"] for g in body["groups"]) == len(demo_pairs)
    assert {c["criterion_id"] for c in body["criteria"]} >= {"greeting", "closing"}
    assert body["alerts"] == dict(Counter(a.kind for _, e in demo_pairs for a in e.alerts))
    types = Counter(t for _, e in demo_pairs for t in set(e.customer.types))
    assert body["customer_types"] == dict(types)


def test_report_takes_the_filters(workspace: Workspace, demo_pairs: list[Pair]) -> None:
    body = workspace.get(f"{API}/reports/language", params={"team": "Prague"}).json()
    assert [g["key"] for g in body["groups"]] == ["cs"]
    assert body["groups"][0]["evaluations"] == sum(
        1 for c, _ in demo_pairs if c.agent and c.agent.team == "Prague")
    assert workspace.get(f"{API}/reports/month").status_code == 422
