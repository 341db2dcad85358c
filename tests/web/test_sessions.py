"""Browser sessions: login sets HttpOnly SameSite=Strict cookies; unsafe requests that ride
on the cookie need the X-CSRF-Token; Bearer requests do not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from serviceqa.score.scorecard import BUNDLED
from serviceqa.store import default_url
from serviceqa.web import create_app
from tests.web.conftest import PASSWORD, Workspace

API = "/api/v1"
CARD = (BUNDLED / "chat.yaml").read_text(encoding="utf-8").replace("name: chat", "name: web", 1)


def _login(workspace: Workspace, name: str = "lead-user") -> str:
    response = workspace.client.post(f"{API}/auth/login",
                                     json={"name": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["csrf_token"])


def test_login_sets_strict_http_only_cookies(workspace: Workspace) -> None:
    response = workspace.client.post(f"{API}/auth/login",
                                     json={"name": "lead-user", "password": PASSWORD})
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("serviceqa_session="))
    csrf = next(c for c in cookies if c.startswith("serviceqa_csrf="))
    assert "HttpOnly" in session and "samesite=strict" in session.lower()
    assert "HttpOnly" not in csrf and "samesite=strict" in csrf.lower()
    assert "Secure" not in session  # this app runs with secure_cookies=False
    assert csrf.split(";")[0].split("=", 1)[1] == response.json()["csrf_token"]


@pytest.fixture
def secure_client(tmp_path) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    app = create_app(default_url(tmp_path / "s.db"))
    app.state.workspace.store.accounts.add_user("jana", "lead", password=PASSWORD)
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def test_cookies_are_secure_by_default(secure_client: TestClient) -> None:
    response = secure_client.post(f"{API}/auth/login",
                                  json={"name": "jana", "password": PASSWORD})
    assert all("Secure" in c for c in response.headers.get_list("set-cookie"))
    assert secure_client.get(f"{API}/auth/me").json()["via"] == "session"


@pytest.mark.parametrize("name, password", [("lead-user", "wrong"), ("nobody", PASSWORD),
                                            ("reviewer-user", "")])  # no password set
def test_bad_login_is_401(workspace: Workspace, name: str, password: str) -> None:
    response = workspace.client.post(f"{API}/auth/login",
                                     json={"name": name, "password": password})
    assert response.status_code == 401
    assert "serviceqa_session" not in response.cookies


def test_cookie_post_needs_the_csrf_token(workspace: Workspace) -> None:
    csrf = _login(workspace)
    assert workspace.client.get(f"{API}/conversations").status_code == 200  # GET: no token
    missing = workspace.client.post(f"{API}/scorecards", json={"yaml": CARD})
    assert missing.status_code == 403 and "CSRF" in missing.json()["error"]["message"]
    wrong = workspace.client.post(f"{API}/scorecards", json={"yaml": CARD},
                                  headers={"X-CSRF-Token": csrf[:-1] + "x"})
    assert wrong.status_code == 403
    assert workspace.get(f"{API}/scorecards/web").status_code == 404  # nothing was saved
    right = workspace.client.post(f"{API}/scorecards", json={"yaml": CARD},
                                  headers={"X-CSRF-Token": csrf})
    assert right.status_code == 201


def test_csrf_applies_to_put_and_delete_too(workspace: Workspace) -> None:
    workspace.post(f"{API}/scorecards", json={"yaml": CARD})
    _login(workspace)
    assert workspace.client.put(f"{API}/scorecards/web", json={"yaml": CARD}).status_code == 403
    assert workspace.client.delete(f"{API}/scorecards/web").status_code == 403


def test_bearer_needs_no_csrf_token(workspace: Workspace) -> None:
    response = workspace.post(f"{API}/scorecards", json={"yaml": CARD}, role="lead")
    assert response.status_code == 201


def test_session_roles_apply(workspace: Workspace) -> None:
    csrf = _login(workspace, "agent-user")
    assert workspace.client.get(f"{API}/conversations/ru-001").status_code == 404
    forbidden = workspace.client.post(f"{API}/scorecards", json={"yaml": CARD},
                                      headers={"X-CSRF-Token": csrf})
    assert forbidden.status_code == 403


def test_logout_ends_the_session(workspace: Workspace) -> None:
    csrf = _login(workspace)
    cookie = workspace.client.cookies["serviceqa_session"]
    assert workspace.client.post(f"{API}/auth/logout").status_code == 403  # CSRF first
    assert workspace.client.post(f"{API}/auth/logout",
                                 headers={"X-CSRF-Token": csrf}).status_code == 204
    workspace.client.cookies.set("serviceqa_session", cookie)  # replaying the old cookie
    assert workspace.client.get(f"{API}/auth/me").status_code == 401
