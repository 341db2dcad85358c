"""The review API end to end: both scores visible, agents limited to their own, bad
bodies name the field."""

from __future__ import annotations

from tests.web.conftest import Workspace

API = "/api/v1"


def _review(ws: Workspace, cid: str, changes: dict[str, str], role: str = "reviewer") -> dict:
    body = {"conversation_id": cid, "submit": True,
            "verdicts": [{"criterion_id": k, "result": v} for k, v in changes.items()]}
    response = ws.post(f"{API}/reviews", role, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_the_human_score_is_final_and_the_automatic_stays(workspace: Workspace) -> None:
    auto = workspace.get(f"{API}/conversations/hu-002").json()["evaluation"]
    greeting = next(c["result"] for c in auto["criteria"] if c["id"] == "greeting")
    flipped = "fail" if greeting == "pass" else "pass"
    review = _review(workspace, "hu-002", {"greeting": flipped})
    shown = workspace.get(f"{API}/conversations/hu-002").json()
    assert shown["evaluation"]["score"] == auto["score"]
    assert shown["review"]["score"] == review["score"] != auto["score"]
    assert shown["review"]["overrides"] == 1


def test_agents_get_404_for_reviews_of_others(workspace: Workspace) -> None:
    own = _review(workspace, "kk-001", {})
    other = _review(workspace, "cs-001", {})
    assert workspace.get(f"{API}/reviews/{own['id']}", "agent").status_code == 200
    response = workspace.get(f"{API}/reviews/{other['id']}", "agent")
    assert response.status_code == 404 and response.json()["error"]["type"] == "NotFound"
    listed = workspace.get(f"{API}/reviews", "agent").json()
    assert [r["conversation_id"] for r in listed["items"]] == ["kk-001"]
    refused = workspace.post(f"{API}/disputes", "agent",
                             json={"review_id": other["id"], "reason": "Není moje."})
    assert refused.status_code == 404


def test_bad_bodies_name_the_field(workspace: Workspace) -> None:
    response = workspace.post(f"{API}/reviews", "reviewer", json={
        "conversation_id": "ru-001", "verdicts": [{"criterion_id": "greeting", "result": "ok"}]})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "verdicts.0.result" or \
        response.json()["error"]["field"] == "verdicts[0].result"
    response = workspace.post(f"{API}/reviews", "reviewer", json={
        "conversation_id": "ru-001", "verdicts": [{"criterion_id": "grüßen", "result": "pass"}]})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "verdicts[0].criterion_id"
    response = workspace.put(f"{API}/review/rules", "lead",
                             json={"yaml": "rules:\n  - {id: r, kind: random, percent: 0}\n"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "rules[0].percent"
    assert response.json()["error"]["line"] == 2


def test_dispute_flow_over_the_api(workspace: Workspace) -> None:
    review = _review(workspace, "kk-006", {"closing": "fail"})
    opened = workspace.post(f"{API}/disputes", "agent", json={
        "review_id": review["id"], "reason": "Соңында «Сау болыңыз!» дедім."})
    assert opened.status_code == 201
    dispute = opened.json()["id"]
    done = workspace.post(f"{API}/disputes/{dispute}/accept", "lead", json={
        "answer": "Иә, қоштасу бар.",
        "verdicts": [{"criterion_id": "closing", "result": "pass"}]}).json()
    assert done["status"] == "accepted"
    final = workspace.get(f"{API}/conversations/kk-006", "agent").json()["review"]
    assert final["id"] == done["resolution_review_id"]
    history = workspace.get(f"{API}/disputes/{dispute}", "agent").json()["history"]
    assert [h["action"] for h in history] == ["opened", "accepted"]


def _row(ws: Workspace, cid: str, query: str = "", role: str = "admin") -> dict | None:
    items = ws.get(f"{API}/conversations?limit=500{query}", role).json()["items"]
    return next((i for i in items if i["id"] == cid), None)


def _group(report: dict, key: str) -> dict:
    return next(g for g in report["groups"] if g["key"] == key)


def _failed(report: dict, criterion: str) -> int:
    return next(c["failed"] for c in report["criteria"] if c["criterion_id"] == criterion)


def test_lists_filters_and_reports_use_the_final_score(workspace: Workspace) -> None:
    auto = workspace.get(f"{API}/conversations/kk-001").json()["evaluation"]
    assert auto["score"] > 10
    assert _row(workspace, "kk-001", "&failed_criterion=no_rudeness") is None
    agent_before = workspace.get(f"{API}/agents/a-kk-01").json()["mean_score"]
    report_before = workspace.get(f"{API}/reports/agent").json()
    review = _review(workspace, "kk-001", {"no_rudeness": "fail"})  # critical: 0 points

    row = _row(workspace, "kk-001", "&failed_criterion=no_rudeness")
    assert row is not None and row["score"] == auto["score"]  # the automatic one stays
    assert (row["final_score"], row["final_passed"], row["reviewed"]) == (0.0, False, True)
    assert _row(workspace, "kk-001", "&min_score=10") is None
    assert _row(workspace, "kk-001", "&max_score=0") is not None
    assert _row(workspace, "kk-002")["reviewed"] is False
    assert workspace.get(f"{API}/agents/a-kk-01").json()["mean_score"] < agent_before
    report = workspace.get(f"{API}/reports/agent").json()
    assert _group(report, "a-kk-01")["mean_score"] < _group(report_before, "a-kk-01")["mean_score"]
    assert _failed(report, "no_rudeness") == _failed(report_before, "no_rudeness") + 1
    shown = workspace.get(f"{API}/conversations/kk-001").json()
    assert shown["final"] == {"score": 0.0, "passed": False, "review_id": review["id"],
                              "reviewed": True}
    assert shown["evaluation"] == auto  # the contract: the automatic evaluation as it was

    # The agent sees its own conversation's final score, and nobody else's conversations.
    mine = workspace.get(f"{API}/conversations?limit=500", "agent").json()["items"]
    assert mine and {i["agent_id"] for i in mine} == {"a-kk-01"}
    assert _row(workspace, "kk-001", role="agent")["final_score"] == 0.0
    assert workspace.get(f"{API}/conversations/cs-001", "agent").status_code == 404
    assert [r["agent_id"] for r in workspace.get(f"{API}/agents", "agent").json()] == ["a-kk-01"]
