"""The task board's API: filters, changes kept in the history, "customer informed of the
delay", agents limited to their own tasks, and the sweep's sla_breach alerts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.feedback.helpers import API, links, service, tasks
from tests.web.conftest import AGENT_ID, Workspace


def _callback(workspace: Workspace, conversation_id: str) -> dict:
    (link,) = links(workspace, conversation_id)
    workspace.client.post(f"{API}/public/surveys/{link['token']}", json={"csat": 2})
    return next(t for t in tasks(workspace, kind="callback")
                if t["conversation_id"] == conversation_id)


def test_changes_go_into_the_history(workspace: Workspace) -> None:
    task = _callback(workspace, "ru-006")
    path = f"{API}/tasks/{task['id']}"
    assert workspace.client.patch(path, headers=workspace.headers("lead"),
                                  json={"status": "in_progress", "assignee": "lead-user"}
                                  ).status_code == 200
    informed = workspace.client.patch(path, headers=workspace.headers("reviewer"), json={
        "customer_informed": True, "note": "Позвонила клиентке, ответ будет в пятницу"})
    assert informed.status_code == 200, informed.text
    body = informed.json()
    assert body["customer_informed_at"] is not None
    actions = [(e["action"], e["by"]) for e in body["history"]]
    assert actions == [("created", None), ("status", "lead-user"), ("assigned", "lead-user"),
                       ("note", "reviewer-user"), ("customer_informed", "reviewer-user")]
    again = workspace.client.patch(path, headers=workspace.headers("lead"),
                                   json={"customer_informed": True})
    assert again.status_code == 409
    done = workspace.client.patch(path, headers=workspace.headers("lead"), json={"status": "done"})
    assert done.json()["status"] == "done"


def test_bad_changes_name_the_field(workspace: Workspace) -> None:
    task = _callback(workspace, "ru-007")
    path = f"{API}/tasks/{task['id']}"
    for body, status, field in (({"status": "closed"}, 422, "status"), ({}, 422, "body"),
                                ({"assignee": "nobody"}, 404, None)):
        response = workspace.client.patch(path, headers=workspace.headers("lead"), json=body)
        assert response.status_code == status, response.text
        if field:
            assert response.json()["error"]["field"] == field


def test_filters(workspace: Workspace) -> None:
    _callback(workspace, "kk-005")
    assert {t["kind"] for t in tasks(workspace, kind="callback")} == {"callback"}
    assert all(t["team"] == "Almaty" for t in tasks(workspace, team="Almaty"))
    active = tasks(workspace, status="active")
    assert active and {t["status"] for t in active} <= {"open", "in_progress"}
    late = tasks(workspace, overdue=True)
    assert all(t["overdue"] for t in late)
    dues = [t["due_at"] for t in tasks(workspace)]
    assert dues == sorted(dues)


def test_an_agent_sees_only_their_own_tasks(workspace: Workspace) -> None:
    own = _callback(workspace, "kk-006")
    other = _callback(workspace, "ru-008")
    assert own["agent_id"] == AGENT_ID
    seen = workspace.get(f"{API}/tasks", "agent").json()["items"]
    assert seen and {t["agent_id"] for t in seen} == {AGENT_ID}
    assert workspace.get(f"{API}/tasks/{other['id']}", "agent").status_code == 404
    assert workspace.client.patch(f"{API}/tasks/{other['id']}", headers=workspace.headers("agent"),
                                  json={"note": "x"}).status_code == 404
    assert workspace.get(f"{API}/tasks", "agent", params={"agent": "a-ru-01"}).status_code == 403
    mine = workspace.client.patch(f"{API}/tasks/{own['id']}", headers=workspace.headers("agent"),
                                  json={"status": "done", "note": "Клиентке перезвонила"})
    assert mine.status_code == 200


def test_an_overdue_task_raises_one_sla_breach_alert(workspace: Workspace) -> None:
    task = _callback(workspace, "cs-004")
    fb = service(workspace)
    fb.tasks.update(task["id"], None, due_at=datetime.now(timezone.utc) - timedelta(minutes=5))
    swept = workspace.post(f"{API}/tasks/sweep", "lead", json={})
    assert swept.status_code == 200 and swept.json()["sla_breaches"] >= 1
    workspace.post(f"{API}/tasks/sweep", "lead", json={})
    alerts = workspace.get(f"{API}/alerts", params={"kind": "sla_breach", "limit": 500}).json()
    mine = [a for a in alerts["items"] if f"task #{task['id']} " in a["reason"]]
    assert len(mine) == 1 and mine[0]["conversation_id"] == "cs-004"
    assert workspace.get(f"{API}/tasks/{task['id']}").json()["breach_alerted_at"] is not None
    report = workspace.get(f"{API}/reports/agent").json()  # read from the rollups
    assert report["alerts"]["sla_breach"] == alerts["total"]
    assert sum(g["alerts"] for g in report["groups"]) == sum(report["alerts"].values())


def test_a_done_task_is_never_overdue(workspace: Workspace) -> None:
    task = _callback(workspace, "cs-005")
    fb = service(workspace)
    fb.tasks.update(task["id"], None, status="done",
                    due_at=datetime.now(timezone.utc) - timedelta(days=1))
    fb.sweep()
    assert workspace.get(f"{API}/tasks/{task['id']}").json()["breach_alerted_at"] is None


def test_the_sweep_command(workspace: Workspace, db_url: str) -> None:
    from typer.testing import CliRunner

    from serviceqa.cli import app
    task = _callback(workspace, "en-003")
    service(workspace).tasks.update(task["id"], None,
                                    due_at=datetime.now(timezone.utc) - timedelta(hours=1))
    result = CliRunner().invoke(app, ["tasks", "sweep", "--db", db_url, "--scan-hours", "0"])
    assert result.exit_code == 0, result.output
    assert '"sla_breaches": ' in result.output
    assert workspace.get(f"{API}/tasks/{task['id']}").json()["breach_alerted_at"] is not None


def test_the_server_can_sweep_by_itself(workspace: Workspace) -> None:
    import threading
    import time

    from serviceqa.cli_feedback import start_sweeper
    task = _callback(workspace, "hu-005")
    fb = service(workspace)
    fb.tasks.update(task["id"], None, due_at=datetime.now(timezone.utc) - timedelta(minutes=1))
    stop = threading.Event()
    thread = start_sweeper(fb, 0.05, stop)
    deadline = time.monotonic() + 10
    while fb.tasks.get(task["id"])["breach_alerted_at"] is None and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(5)
    assert fb.tasks.get(task["id"])["breach_alerted_at"] is not None
