"""Ingest, list, filter, page and fetch conversations and evaluations, on each backend."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from serviceqa.model import Conversation, Evaluation
from tests.web.conftest import AGENT_ID, Workspace

API = "/api/v1"
Pair = tuple[Conversation, Evaluation]


def test_single_ingest_is_scored_and_idempotent(workspace: Workspace,
                                                demo_records: dict[str, Any]) -> None:
    record = copy.deepcopy(demo_records["hu-003"])
    record["id"] = "hu-new"
    first = workspace.post(f"{API}/conversations", json=record)
    assert first.status_code == 201
    assert first.json()["evaluation"]["language"] == "hu"
    assert first.json()["evaluation"]["criteria"]
    record["messages"][0]["text"] = "Jó napot kívánok, Kovács Anna vagyok. Miben segíthetek?"
    again = workspace.post(f"{API}/conversations", json=record)
    assert again.status_code == 200 and again.json()["created"] is False
    stored = workspace.get(f"{API}/conversations/hu-new").json()
    assert stored["conversation"]["messages"][0]["text"].startswith("Jó napot kívánok, Kovács")
    assert workspace.get(f"{API}/conversations").json()["total"] == 78


def test_single_ingest_rejects_naming_the_field(workspace: Workspace) -> None:
    response = workspace.post(f"{API}/conversations",
                              json={"id": "cs-bad", "messages": [{"role": "agent"}]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "messages[0].text" and error["type"] == "InputError"


def test_batch_stores_good_records_and_names_index_and_field(
        workspace: Workspace, demo_records: dict[str, Any]) -> None:
    good_cs = {**demo_records["cs-002"], "id": "cs-batch"}
    good_ru = {**demo_records["ru-004"], "id": "ru-batch"}
    bad_channel = {**demo_records["kk-003"], "id": "kk-batch", "channel": "fax"}
    response = workspace.post(f"{API}/conversations/batch", json={"conversations": [
        good_cs, {"id": "x", "messages": []}, bad_channel, good_ru, "not an object"]})
    assert response.status_code == 200
    body = response.json()
    assert (body["stored"], body["rejected"]) == (2, 3)
    errors = {r["index"]: r["error"]["field"] for r in body["results"]
              if r["status"] == "rejected"}
    assert errors == {1: "messages", 2: "channel", 4: None}
    assert [r["id"] for r in body["results"] if r["status"] == "stored"] == \
        ["cs-batch", "ru-batch"]
    assert workspace.get(f"{API}/conversations/cs-batch").status_code == 200
    assert workspace.get(f"{API}/conversations/kk-batch").status_code == 404


def test_batch_again_adds_nothing(workspace: Workspace, demo_records: dict[str, Any]) -> None:
    records = [demo_records[i] for i in ("kk-001", "en-002", "hu-004")]
    for _ in range(2):
        body = workspace.post(f"{API}/conversations/batch",
                              json={"conversations": records}).json()
        assert body["stored"] == 3 and not any(r["created"] for r in body["results"])
    assert workspace.get(f"{API}/conversations").json()["total"] == 77


def test_conversation_comes_with_evaluation_and_evidence(workspace: Workspace) -> None:
    body = workspace.get(f"{API}/conversations/kk-001").json()
    assert body["conversation"]["id"] == "kk-001"
    greeting = next(c for c in body["evaluation"]["criteria"] if c["id"] == "greeting")
    evidence = greeting["evidence"][0]
    text = body["conversation"]["messages"][evidence["message"]]["text"]
    assert text[evidence["start"]:evidence["end"]] == evidence["text"]
    assert "detector" not in evidence
    explained = workspace.get(f"{API}/conversations/kk-001", params={"explain": True}).json()
    assert "detector" in explained["evaluation"]["criteria"][0]["evidence"][0]


def test_agent_sees_only_their_own(workspace: Workspace, demo_pairs: list[Pair]) -> None:
    own = sorted(c.id for c, _ in demo_pairs if c.agent and c.agent.id == AGENT_ID)
    listed = workspace.get(f"{API}/conversations", role="agent").json()
    assert sorted(i["id"] for i in listed["items"]) == own and listed["total"] == len(own)
    assert workspace.get(f"{API}/conversations/{own[0]}", role="agent").status_code == 200
    for path in ("/conversations/ru-001", "/evaluations/ru-001", "/agents/a-ru-01"):
        response = workspace.get(API + path, role="agent")
        assert response.status_code == 404, path
    assert workspace.get(f"{API}/conversations/ru-001", role="reviewer").status_code == 200
    other = workspace.get(f"{API}/conversations", role="agent", params={"agent": "a-ru-01"})
    assert other.status_code == 403
    evaluations = workspace.get(f"{API}/evaluations", role="agent").json()
    assert {e["agent_id"] for e in evaluations["items"]} == {AGENT_ID}
    report = workspace.get(f"{API}/reports/channel", role="agent").json()
    assert sum(g["evaluations"] for g in report["groups"]) == len(own)


def _language(c: Conversation, e: Evaluation) -> str | None:
    return c.language or e.language


NOV_3 = datetime(2026, 11, 3, tzinfo=timezone.utc)
NOV_10 = datetime(2026, 11, 10, tzinfo=timezone.utc)
FILTERS: list[tuple[dict[str, Any], Callable[[Conversation, Evaluation], bool]]] = [
    ({"agent": "a-cs-01"}, lambda c, e: c.agent is not None and c.agent.id == "a-cs-01"),
    ({"team": "Budapest"}, lambda c, e: c.agent is not None and c.agent.team == "Budapest"),
    ({"channel": "email"}, lambda c, e: c.channel == "email"),
    ({"language": "kk"}, lambda c, e: _language(c, e) == "kk"),
    ({"since": NOV_3.isoformat(), "until": NOV_10.isoformat()},
     lambda c, e: c.started_at is not None and NOV_3 <= c.started_at < NOV_10),
    ({"min_score": 80}, lambda c, e: e.score is not None and e.score >= 80),
    ({"max_score": 50}, lambda c, e: e.score is not None and e.score <= 50),
    ({"failed_criterion": "greeting"},
     lambda c, e: any(r.id == "greeting" and r.result == "fail" for r in e.criteria)),
    ({"customer_type": "rude"}, lambda c, e: "rude" in e.customer.types),
    ({"alert_kind": "callback"}, lambda c, e: any(a.kind == "callback" for a in e.alerts)),
    ({"language": "ru", "channel": "phone", "min_score": 50},
     lambda c, e: _language(c, e) == "ru" and c.channel == "phone"
     and e.score is not None and e.score >= 50),
]


@pytest.mark.parametrize("params, keep", FILTERS, ids=[",".join(p) for p, _ in FILTERS])
def test_filters(workspace: Workspace, demo_pairs: list[Pair], params: dict[str, Any],
                 keep: Callable[[Conversation, Evaluation], bool]) -> None:
    expected = sorted(c.id for c, e in demo_pairs if keep(c, e))
    assert expected, "a filter case that keeps nothing proves nothing"
    assert len(expected) < len(demo_pairs)
    for path in ("/conversations", "/evaluations"):
        body = workspace.get(API + path, params={**params, "limit": 500}).json()
        key = "id" if path == "/conversations" else "conversation_id"
        assert sorted(i[key] for i in body["items"]) == expected, path
        assert body["total"] == len(expected)


def test_pages_cover_everything_once_in_order(workspace: Workspace) -> None:
    everything = workspace.get(f"{API}/conversations", params={"limit": 500}).json()["items"]
    seen = []
    for offset in range(0, 80, 10):
        page = workspace.get(f"{API}/conversations",
                             params={"limit": 10, "offset": offset}).json()
        assert page["total"] == 77 and page["offset"] == offset
        seen += [i["id"] for i in page["items"]]
    assert seen == [i["id"] for i in everything] and len(set(seen)) == 77
    started = [i["started_at"] for i in everything if i["started_at"]]
    assert started == sorted(started, reverse=True)
    beyond = workspace.get(f"{API}/conversations", params={"offset": 500}).json()
    assert beyond["items"] == [] and beyond["total"] == 77


@pytest.mark.parametrize("params, field", [({"limit": 0}, "limit"), ({"limit": 501}, "limit"),
                                           ({"offset": -1}, "offset"),
                                           ({"since": "yesterday"}, "since"),
                                           ({"min_score": 101}, "min_score")])
def test_bad_query_names_the_parameter(workspace: Workspace, params: dict[str, Any],
                                       field: str) -> None:
    response = workspace.get(f"{API}/conversations", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_rescore_with_another_scorecard(workspace: Workspace) -> None:
    before = workspace.get(f"{API}/evaluations/en-001").json()
    other = "chat" if before["scorecard"] == "phone" else "phone"
    response = workspace.post(f"{API}/conversations/en-001/rescore", json={"scorecard": other})
    assert response.status_code == 200 and response.json()["scorecard"] == other
    assert workspace.get(f"{API}/evaluations/en-001").json()["scorecard"] == other
    missing = workspace.post(f"{API}/conversations/en-001/rescore", json={"scorecard": "nope"})
    assert missing.status_code == 404
    assert workspace.post(f"{API}/conversations/zz-404/rescore",
                          json={"scorecard": "chat"}).status_code == 404
