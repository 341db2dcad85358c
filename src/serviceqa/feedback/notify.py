"""Tell people about tasks: outgoing webhooks signed with HMAC-SHA256, and e-mail through
an SMTP server (stdlib urllib and smtplib: nothing to install).

A webhook POSTs the JSON {"event", "task"} with `X-ServiceQA-Signature: sha256=<hex HMAC
of the body, keyed with the notifier's secret>`, the same scheme the inbound webhooks use.
Each (notifier, task, event) is sent once: it is claimed in the database first.
A failure is recorded with its error and never stops the caller.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import urllib.request
from email.message import EmailMessage
from typing import Any

from ..store.schema_feedback import NotifierRow
from .tasks_store import TaskStore

SIGNATURE_HEADER = "X-ServiceQA-Signature"
TIMEOUT_S = 5.0
SUBJECTS = {"task_created": "New follow-up task", "task_due_soon": "Follow-up task due soon",
            "task_overdue": "Follow-up task overdue"}


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def payload(event: str, task: dict[str, Any]) -> bytes:
    return json.dumps({"event": event, "task": task}, default=str, ensure_ascii=False,
                      sort_keys=True).encode("utf-8")


def send_webhook(notifier: NotifierRow, body: bytes) -> None:
    request = urllib.request.Request(notifier.target, data=body, method="POST", headers={
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature(notifier.secret or "", body)})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise OSError(f"the webhook answered {response.status}")


def email_text(event: str, task: dict[str, Any]) -> str:
    lines = [f"{SUBJECTS.get(event, event)} #{task['id']} ({task['kind']})", "",
             f"Reason: {task['reason']}", f"Conversation: {task['conversation_id']}",
             f"Agent: {task['agent_id'] or '-'}", f"Assignee: {task['assignee'] or '-'} "
             f"({task['assignee_role'] or '-'})", f"Due: {task['due_at']}",
             f"Status: {task['status']}"]
    return "\n".join(lines) + "\n"


def send_email(notifier: NotifierRow, event: str, task: dict[str, Any]) -> None:
    settings = notifier.settings
    message = EmailMessage()
    message["Subject"] = f"[ServiceQA] {SUBJECTS.get(event, event)} #{task['id']}"
    message["From"] = settings.get("sender", "serviceqa@localhost")
    message["To"] = notifier.target
    message.set_content(email_text(event, task))
    with smtplib.SMTP(settings.get("host", "127.0.0.1"), int(settings.get("port", 25)),
                      timeout=TIMEOUT_S) as smtp:
        if settings.get("starttls"):
            smtp.starttls()
        if settings.get("user"):
            smtp.login(settings["user"], settings.get("password", ""))
        smtp.send_message(message)


def notify(tasks: TaskStore, event: str, task: dict[str, Any]) -> list[dict[str, Any]]:
    """Send `event` about `task` to every notifier that wants it; what happened to each."""
    results = []
    for notifier in tasks.notifiers():
        if event not in notifier.events:
            continue
        claim = tasks.claim(notifier.id, task["id"], event)
        if claim is None:
            continue
        error = None
        try:
            if notifier.kind == "webhook":
                send_webhook(notifier, payload(event, task))
            else:
                send_email(notifier, event, task)
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        tasks.record(claim, error)
        results.append({"notifier": notifier.name, "event": event, "task_id": task["id"],
                        "error": error})
    return results
