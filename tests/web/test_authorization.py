"""Each role against each route: allowed (the route's success status), 403, or 401.

The table must name every route the app has (`test_the_table_covers_every_route`), so a
new route cannot ship without its role rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from serviceqa.score.scorecard import BUNDLED
from tests.web import review_matrix
from tests.web.conftest import AGENT_ID, PASSWORD, ROLES, Workspace

ALL = set(ROLES)
REVIEW = {"admin", "lead", "reviewer"}
MANAGE = {"admin", "lead"}
ADMIN = {"admin"}
PUBLIC = ALL | {None}
API = "/api/v1"


def _card(name: str) -> str:
    text = (BUNDLED / "chat.yaml").read_text(encoding="utf-8")
    return text.replace("name: chat", f"name: {name}", 1)


def _new_conversation(role: str | None) -> dict[str, Any]:
    return {"id": f"matrix-{role}", "channel": "chat",
            "agent": {"id": AGENT_ID, "team": "Almaty"},
            "messages": [{"role": "agent", "text": "Сәлеметсіз бе! Менің атым Айгерім."},
                         {"role": "customer", "text": "Рақмет, сау болыңыз."}]}


Value = Any | Callable[[str | None], Any]


@dataclass(frozen=True)
class Route:
    method: str
    path: Value
    allowed: set[str | None]
    ok: tuple[int, ...]
    body: Value = None

    def resolve(self, value: Value, role: str | None) -> Any:
        return value(role) if callable(value) else value


ROUTES = [
    Route("GET", "/health", PUBLIC, (200,)),
    Route("POST", "/auth/login", PUBLIC, (200,), {"name": "lead-user", "password": PASSWORD}),
    Route("GET", "/auth/me", ALL, (200,)),
    Route("POST", "/auth/logout", ALL, (204,)),
    Route("GET", "/conversations", ALL, (200,)),
    Route("POST", "/conversations", MANAGE, (200, 201), _new_conversation),
    Route("POST", "/conversations/batch", MANAGE, (200,),
          lambda role: {"conversations": [_new_conversation(role)]}),
    Route("GET", "/conversations/kk-001", ALL, (200,)),
    Route("POST", "/conversations/kk-002/rescore", REVIEW, (200,), {"scorecard": "chat"}),
    Route("GET", "/evaluations", ALL, (200,)),
    Route("GET", "/evaluations/kk-001", ALL, (200,)),
    Route("GET", "/scorecards", ALL, (200,)),
    Route("GET", "/scorecards/phone", ALL, (200,)),
    Route("POST", "/scorecards", MANAGE, (201,), lambda role: {"yaml": _card(f"new-{role}")}),
    Route("POST", "/scorecards/preview", MANAGE, (200,), {"yaml": _card("try"), "sample": 2}),
    Route("PUT", "/scorecards/matrix", MANAGE, (200,), {"yaml": _card("matrix")}),
    Route("DELETE", lambda role: f"/scorecards/gone-{role}", MANAGE, (204,)),
    Route("GET", "/agents", ALL, (200,)),
    Route("GET", f"/agents/{AGENT_ID}", ALL, (200,)),
    Route("GET", "/teams", ALL, (200,)),
    Route("GET", "/alerts", ALL, (200,)),
    Route("POST", "/alerts/{alert}/acknowledge", REVIEW, (200,)),
    Route("GET", "/reports/week", ALL, (200,)),
    Route("GET", "/users", ADMIN, (200,)),
    Route("POST", "/users", ADMIN, (201,),
          lambda role: {"name": f"made-by-{role}", "role": "reviewer"}),
    Route("POST", "/users/reviewer-user/tokens", ADMIN, (201,)),
    Route("DELETE", lambda role: f"/users/victim-{role}", ADMIN, (204,)),
    Route("GET", "/webhook-sources", ADMIN, (200,)),
    Route("GET", "/models", MANAGE, (200,)),
    Route("POST", "/webhook-sources", ADMIN, (201,), lambda role: {"name": f"desk-{role}"}),
    # feedback (issue 5)
    Route("GET", "/surveys", ALL, (200,)),
    Route("GET", "/surveys/default", ALL, (200,)),
    Route("POST", "/surveys", MANAGE, (201,),
          lambda role: {"name": f"survey-{role}", "questions": ["csat", "comment"]}),
    Route("PUT", "/surveys/default", MANAGE, (200,),
          {"name": "default", "questions": ["csat", "nps", "satisfaction", "comment"]}),
    Route("POST", "/surveys/default/links", MANAGE, (201,), {"conversation_ids": ["kk-001"]}),
    Route("GET", "/survey-responses", ALL, (200,)),
    Route("POST", "/survey-responses", MANAGE, (201,),
          {"conversation_id": "kk-001", "answers": {"csat": 5}}),
    Route("POST", "/survey-responses/import", MANAGE, (200,),
          {"format": "csv", "data": "conversation_id,nps\nkk-002,9\n"}),
    Route("GET", "/feedback/results/agent", ALL, (200,)),
    Route("GET", "/feedback/themes", ALL, (200,)),
    Route("GET", "/tasks", ALL, (200,)),
    Route("GET", "/tasks/{task}", ALL, (200,)),
    Route("PATCH", "/tasks/{task}", ALL, (200,), {"note": "Перезвонила, клиент доволен"}),
    Route("POST", "/tasks/sweep", MANAGE, (200,), {}),
    Route("GET", "/notifiers", ADMIN, (200,)),
    Route("POST", "/notifiers", ADMIN, (201,),
          lambda role: {"name": f"hook-{role}", "kind": "webhook",
                        "target": "http://127.0.0.1:9/"}),
]
ROUTES += review_matrix.routes(Route, ALL, REVIEW, MANAGE)
NOT_IN_TABLE = {("POST", "/webhooks/{source}"),  # signed, no user: test_webhooks.py
                # the signed survey link instead of a user: tests/feedback/test_survey_api.py
                ("GET", "/public/surveys/{token}"), ("POST", "/public/surveys/{token}")}


@pytest.fixture(scope="module")
def matrix(shared: Workspace) -> Workspace:
    """What the routes above act on: a stored scorecard, scorecards and users to delete,
    and an alert of the agent's own to acknowledge."""
    store = shared.client.app.state.workspace.store  # type: ignore[attr-defined]
    store.save_scorecard("matrix", _card("matrix"), None, create=True)
    for role in (*ROLES, None):
        store.save_scorecard(f"gone-{role}", _card(f"gone-{role}"), None, create=True)
        store.accounts.add_user(f"victim-{role}", "reviewer")
    feedback = shared.client.app.state.feedback  # type: ignore[attr-defined]
    feedback.add_response("default", "kk-001", {"csat": 1})  # a call-back of the agent's own
    review_matrix.seed(shared.client.app.state.workspace)  # type: ignore[attr-defined]
    return shared


def _task_of_agent(workspace: Workspace) -> int:
    items = workspace.get(f"{API}/tasks", params={"agent": AGENT_ID}).json()["items"]
    return int(items[0]["id"])


def _alert_of_agent(workspace: Workspace) -> int:
    items = workspace.get(f"{API}/alerts", params={"agent": AGENT_ID}).json()["items"]
    if items:
        return int(items[0]["id"])
    return int(workspace.get(f"{API}/alerts").json()["items"][0]["id"])


CASES = [(route, role) for route in ROUTES for role in (*ROLES, None)]


@pytest.mark.parametrize("route, role", CASES,
                         ids=[f"{r.method} {r.path if isinstance(r.path, str) else '...'}"
                              f" as {role}" for r, role in CASES])
def test_role_against_route(matrix: Workspace, route: Route, role: str | None) -> None:
    path = API + review_matrix.fill(route.resolve(route.path, role), role).replace(
        "{alert}", str(_alert_of_agent(matrix)))
    path = path.replace("{task}", str(_task_of_agent(matrix)))
    body = route.resolve(route.body, role)
    matrix.client.cookies.clear()  # the login case leaves a session cookie behind
    response = matrix.client.request(route.method, path, headers=matrix.headers(role),
                                     json=body)
    if role in route.allowed:
        assert response.status_code in route.ok, response.text
    elif role is None:
        assert response.status_code == 401, response.text
        assert response.json()["error"]["type"] == "Unauthorized"
    else:
        assert response.status_code == 403, response.text
        assert response.json()["error"]["type"] == "Forbidden"


def test_the_table_covers_every_route(shared: Workspace) -> None:
    spec = shared.client.get("/openapi.json").json()
    app_routes = {(method.upper(), path.removeprefix(API))
                  for path, operations in spec["paths"].items() for method in operations}
    table = {(r.method, _template(r)) for r in ROUTES} | NOT_IN_TABLE
    assert app_routes == table


def _template(route: Route) -> str:
    """The route's path as the app declares it."""
    path = review_matrix.declared(route.resolve(route.path, "x"))
    for concrete, declared in (("/conversations/kk-001", "/conversations/{conversation_id}"),
                               ("/conversations/kk-002", "/conversations/{conversation_id}"),
                               ("/evaluations/kk-001", "/evaluations/{conversation_id}"),
                               (f"/agents/{AGENT_ID}", "/agents/{agent_id}"),
                               ("/alerts/{alert}", "/alerts/{alert_id}"),
                               ("/reports/week", "/reports/{by}"),
                               ("/users/reviewer-user", "/users/{name}"),
                               ("/users/victim-x", "/users/{name}"),
                               ("/scorecards/phone", "/scorecards/{name}"),
                               ("/scorecards/matrix", "/scorecards/{name}"),
                               ("/scorecards/gone-x", "/scorecards/{name}"),
                               ("/surveys/default", "/surveys/{name}"),
                               ("/feedback/results/agent", "/feedback/results/{by}"),
                               ("/tasks/{task}", "/tasks/{task_id}")):
        path = path.replace(concrete, declared)
    return path


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "Basic YWRtaW46YWRtaW4="])
def test_a_bad_credential_is_401(shared: Workspace, header: str) -> None:
    response = shared.client.get(f"{API}/conversations", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_deleted_users_token_stops_working(shared: Workspace) -> None:
    made = shared.post(f"{API}/users", json={"name": "temp", "role": "lead"}).json()
    headers = {"Authorization": f"Bearer {made['token']}"}
    assert shared.client.get(f"{API}/auth/me", headers=headers).status_code == 200
    assert shared.delete(f"{API}/users/temp").status_code == 204
    assert shared.client.get(f"{API}/auth/me", headers=headers).status_code == 401


def test_openapi_lists_the_api(shared: Workspace) -> None:
    spec = shared.client.get("/openapi.json").json()
    assert all(path.startswith(API) for path in spec["paths"])
    assert f"{API}/reports/{{by}}" in spec["paths"]


@pytest.mark.parametrize("method, path, status", [("GET", "/api/v1/nowhere", 404),
                                                  ("DELETE", "/api/v1/health", 405)])
def test_framework_errors_have_the_one_error_shape(shared: Workspace, method: str, path: str,
                                                   status: int) -> None:
    response = shared.client.request(method, path, headers=shared.headers("admin"))
    assert response.status_code == status
    assert response.json()["error"]["status"] == status
