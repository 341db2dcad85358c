"""Notifications reach a real SMTP server (aiosmtpd) and a real HTTP receiver, both on
loopback and started here: new tasks, due soon and overdue, each sent once, webhooks
signed with HMAC-SHA256 of the body."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from serviceqa.feedback.tasks_store import TaskQuery
from tests.feedback.helpers import API, links, service
from tests.feedback.live import free_port
from tests.web.conftest import Workspace


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content,
                                                                    policy=default_policy)))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[Any, bytes]]]]:
    got: list[tuple[Any, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append((self.headers, body))  # case-insensitive lookups
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
    server.shutdown()
    server.server_close()


def _events(got: list[tuple[Any, bytes]], task_id: int) -> list[str]:
    sent = [json.loads(raw) for _, raw in got]
    return [s["event"] for s in sent if s["task"]["id"] == task_id]


def _notifiers(workspace: Workspace, smtp_port: int, hook: str) -> str:
    mail = workspace.post(f"{API}/notifiers", json={
        "name": "leads-mail", "kind": "email", "target": "leads@example.kz",
        "settings": {"host": "127.0.0.1", "port": smtp_port, "sender": "qa@example.kz"}})
    assert mail.status_code == 201, mail.text
    assert mail.json()["secret"] is None
    web = workspace.post(f"{API}/notifiers", json={"name": "desk", "kind": "webhook",
                                                   "target": hook})
    assert web.status_code == 201, web.text
    return str(web.json()["secret"])


def test_a_new_task_is_mailed_and_posted_signed(workspace: Workspace, smtp, receiver) -> None:
    port, inbox = smtp
    hook, got = receiver
    secret = _notifiers(workspace, port, hook)
    (link,) = links(workspace, "kk-004")
    workspace.client.post(f"/s/{link['token']}", data={"csat": "1", "comment": "Өте ұзақ күттім"})

    (recipients, message), = inbox.messages
    assert recipients == ["leads@example.kz"]
    assert message["From"] == "qa@example.kz"
    assert "New follow-up task" in message["Subject"]
    body = message.get_content()
    assert "CSAT 1 of 5" in body and "kk-004" in body

    (headers, raw), = got
    expected = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    assert headers["X-ServiceQA-Signature"] == expected
    sent = json.loads(raw)
    assert sent["event"] == "task_created" and sent["task"]["kind"] == "callback"
    assert sent["task"]["conversation_id"] == "kk-004"


def test_the_sweep_sends_due_soon_and_overdue_once(workspace: Workspace, smtp,
                                                   receiver) -> None:
    port, inbox = smtp
    hook, got = receiver
    _notifiers(workspace, port, hook)
    fb = service(workspace)
    (link,) = links(workspace, "ru-005")
    workspace.client.post(f"/s/{link['token']}", data={"nps": "2"})
    task_id = next(t["id"] for t in fb.tasks.list(TaskQuery(kind="callback"))[1])
    fb.tasks.update(task_id, "lead-user", due_at=datetime.now(timezone.utc) + timedelta(hours=2))
    inbox.messages.clear()
    got.clear()

    fb.sweep()
    fb.sweep()  # nothing twice
    events = _events(got, task_id)
    assert events == ["task_due_soon"]

    fb.tasks.update(task_id, "lead-user", due_at=datetime.now(timezone.utc) - timedelta(hours=1))
    fb.sweep()
    fb.sweep()
    events = _events(got, task_id)
    assert events == ["task_due_soon", "task_overdue"]
    subjects = [m["Subject"] for _, m in inbox.messages if f"#{task_id}" in m["Subject"]]
    assert subjects == [f"[ServiceQA] Follow-up task due soon #{task_id}",
                        f"[ServiceQA] Follow-up task overdue #{task_id}"]
    log = workspace.get(f"{API}/tasks/{task_id}", "lead").json()["notifications"]
    assert {(n["event"], n["status"]) for n in log} >= {("task_overdue", "sent")}


def test_a_failed_delivery_is_recorded_and_does_not_stop_the_answer(workspace: Workspace) -> None:
    workspace.post(f"{API}/notifiers", json={"name": "gone", "kind": "webhook",
                                             "target": f"http://127.0.0.1:{free_port()}/x"})
    (link,) = links(workspace, "hu-004")
    answer = workspace.client.post(f"{API}/public/surveys/{link['token']}", json={"csat": 2})
    assert answer.status_code == 201
    task = next(t for t in service(workspace).tasks.list(
        TaskQuery(kind="callback"))[1])
    (log,) = workspace.get(f"{API}/tasks/{task['id']}", "lead").json()["notifications"]
    assert log["status"] == "failed" and "Connection refused" in log["error"]
