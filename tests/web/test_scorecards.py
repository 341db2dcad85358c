"""Scorecards in the database: bundled ones read-only, stored ones validated by key."""

from __future__ import annotations

import pytest

from serviceqa.score.scorecard import BUNDLED
from tests.web.conftest import Workspace

API = "/api/v1"
CHAT = (BUNDLED / "chat.yaml").read_text(encoding="utf-8")


def _named(name: str, text: str = CHAT) -> str:
    return text.replace("name: chat", f"name: {name}", 1)


def test_bundled_scorecards_are_listed_and_read_only(workspace: Workspace) -> None:
    listed = {c["name"]: c for c in workspace.get(f"{API}/scorecards").json()}
    assert {"phone", "chat"} <= set(listed) and listed["phone"]["read_only"]
    phone = workspace.get(f"{API}/scorecards/phone").json()
    assert phone["bundled"] and "criteria:" in phone["yaml"]
    put = workspace.put(f"{API}/scorecards/chat", json={"yaml": CHAT})
    assert put.status_code == 409 and "read-only" in put.json()["error"]["message"]
    assert workspace.delete(f"{API}/scorecards/phone").status_code == 409
    assert workspace.post(f"{API}/scorecards", json={"yaml": CHAT}).status_code == 409


def test_copy_change_score_and_delete(workspace: Workspace) -> None:
    strict = _named("strict").replace("pass_score: 80", "pass_score: 99")
    assert "pass_score: 99" in strict
    created = workspace.post(f"{API}/scorecards", json={"yaml": strict}, role="lead")
    assert created.status_code == 201 and created.json()["updated_by"] == "lead-user"
    assert workspace.post(f"{API}/scorecards", json={"yaml": strict}).status_code == 409
    rescored = workspace.post(f"{API}/conversations/cs-001/rescore",
                              json={"scorecard": "strict"}).json()
    assert rescored["scorecard"] == "strict"
    changed = strict.replace("title: Written channels", "title: Přísná karta")
    assert workspace.put(f"{API}/scorecards/strict", json={"yaml": changed}).status_code == 200
    assert workspace.get(f"{API}/scorecards/strict").json()["yaml"] == changed
    listed = {c["name"]: c for c in workspace.get(f"{API}/scorecards").json()}
    assert listed["strict"]["title"] == "Přísná karta" and not listed["strict"]["read_only"]
    assert workspace.delete(f"{API}/scorecards/strict").status_code == 204
    assert workspace.get(f"{API}/scorecards/strict").status_code == 404


BROKEN = [
    (CHAT.replace("weight: 2", "weight: -2", 1), "criteria[", ".weight"),
    (CHAT.replace("pass_if: greeting", "pass_if: greting", 1), "criteria[0].pass_if", ""),
    (CHAT.replace("pass_score: 80", "pass_score: 180"), "pass_score", ""),
    (CHAT.replace("pass_score: 80", "pass_scor: 80"), "pass_scor", ""),
    (CHAT + "\nbogus: [\n", None, ""),
]


@pytest.mark.parametrize("text, key_start, key_end", BROKEN,
                         ids=["weight", "unknown-name", "pass-score", "extra-key", "yaml"])
def test_validation_error_names_the_key(workspace: Workspace, text: str,
                                        key_start: str | None, key_end: str) -> None:
    assert text != CHAT
    response = workspace.post(f"{API}/scorecards", json={"yaml": _named("broken", text)})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "ScorecardError"
    if key_start is None:
        assert "not valid YAML" in error["message"]
    else:
        assert error["key"].startswith(key_start) and error["key"].endswith(key_end)
        assert error["line"] >= 1
    assert workspace.get(f"{API}/scorecards/broken").status_code == 404


def test_put_must_keep_the_name(workspace: Workspace) -> None:
    workspace.post(f"{API}/scorecards", json={"yaml": _named("mine")})
    response = workspace.put(f"{API}/scorecards/mine", json={"yaml": _named("other")})
    assert response.status_code == 422 and response.json()["error"]["key"] == "name"
    assert workspace.put(f"{API}/scorecards/absent",
                         json={"yaml": _named("absent")}).status_code == 404
