"""Small helpers the feedback tests share."""

from __future__ import annotations

from typing import Any

from serviceqa.feedback.service import Feedback
from tests.web.conftest import Workspace

API = "/api/v1"


def service(workspace: Workspace) -> Feedback:
    fb: Feedback = workspace.client.app.state.feedback  # type: ignore[attr-defined]
    return fb


def links(workspace: Workspace, *conversation_ids: str, **body: Any) -> list[dict[str, Any]]:
    response = workspace.post(f"{API}/surveys/{body.pop('survey', 'default')}/links",
                              "lead", json={"conversation_ids": list(conversation_ids), **body})
    assert response.status_code == 201, response.text
    made: list[dict[str, Any]] = response.json()["links"]
    return made


def tasks(workspace: Workspace, **params: Any) -> list[dict[str, Any]]:
    response = workspace.get(f"{API}/tasks", "lead", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items
