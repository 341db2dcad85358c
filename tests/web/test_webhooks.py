"""Webhooks: HMAC-SHA256 over the raw body with the source's secret, or 401."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest

from tests.web.conftest import Workspace

API = "/api/v1"


def _source(workspace: Workspace, name: str = "zammad") -> str:
    response = workspace.post(f"{API}/webhook-sources", json={"name": name})
    assert response.status_code == 201
    return str(response.json()["secret"])


def _signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _push(workspace: Workspace, source: str, body: bytes, signature: str | None) -> Any:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-ServiceQA-Signature"] = signature
    return workspace.client.post(f"{API}/webhooks/{source}", content=body, headers=headers)


def _body(demo_records: dict[str, Any], *ids: str) -> bytes:
    records = [{**demo_records[i], "id": f"hook-{i}"} for i in ids]
    return json.dumps({"conversations": records}, ensure_ascii=False).encode()


def test_signed_push_is_stored_and_scored(workspace: Workspace,
                                          demo_records: dict[str, Any]) -> None:
    secret = _source(workspace)
    body = _body(demo_records, "kk-002", "cs-003")
    response = _push(workspace, "zammad", body, _signature(secret, body))
    assert response.status_code == 200 and response.json()["stored"] == 2
    stored = workspace.get(f"{API}/evaluations/hook-kk-002").json()
    assert stored["language"] == "kk"


@pytest.mark.parametrize("case", ["missing", "wrong-secret", "body-changed", "no-prefix",
                                  "unknown-source"])
def test_bad_signature_is_401_and_stores_nothing(workspace: Workspace,
                                                 demo_records: dict[str, Any],
                                                 case: str) -> None:
    secret = _source(workspace)
    body = _body(demo_records, "hu-002")
    source, signature = "zammad", _signature(secret, body)
    if case == "missing":
        signature = None  # type: ignore[assignment]
    elif case == "wrong-secret":
        signature = _signature(secret + "x", body)
    elif case == "body-changed":
        signature = _signature(secret, body.replace(b"hook-", b"hack-"))
    elif case == "no-prefix":
        signature = signature.removeprefix("sha256=")
    else:
        source = "freescout"
    response = _push(workspace, source, body, signature)
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "Unauthorized"
    assert workspace.get(f"{API}/conversations/hook-hu-002").status_code == 404


@pytest.mark.parametrize("shape", ["object", "array"])
def test_one_conversation_or_an_array(workspace: Workspace, demo_records: dict[str, Any],
                                      shape: str) -> None:
    secret = _source(workspace)
    record = {**demo_records["en-003"], "id": "hook-en"}
    body = json.dumps(record if shape == "object" else [record]).encode()
    response = _push(workspace, "zammad", body, _signature(secret, body))
    assert response.json()["stored"] == 1


def test_bad_records_in_a_push_are_reported(workspace: Workspace) -> None:
    secret = _source(workspace)
    body = b'{"conversations": [{"id": "hook-x", "messages": [{"text": "Hi"}]}]}'
    response = _push(workspace, "zammad", body, _signature(secret, body))
    result = response.json()["results"][0]
    assert result["status"] == "rejected" and result["error"]["field"] == "messages[0].role"
    not_json = b"{nope"
    assert _push(workspace, "zammad", not_json, _signature(secret, not_json)).status_code == 422


def test_source_names_and_secrets(workspace: Workspace) -> None:
    _source(workspace, "desk-1")
    assert workspace.post(f"{API}/webhook-sources", json={"name": "desk-1"}).status_code == 409
    assert workspace.post(f"{API}/webhook-sources", json={"name": "a b"}).status_code == 422
    listed = workspace.get(f"{API}/webhook-sources").json()
    assert [s["name"] for s in listed] == ["desk-1"] and "secret" not in listed[0]
