"""Feedback pages over the API's rules: the survey page is public and locked down, the
builder only for admin and lead, the board and results scoped for an agent."""

from __future__ import annotations

import re

from tests.feedback.helpers import API, links
from tests.web.conftest import AGENT_ID, PASSWORD, Workspace


def _login(workspace: Workspace, role: str) -> None:
    workspace.client.cookies.clear()
    response = workspace.client.post(f"{API}/auth/login",
                                     json={"name": f"{role}-user", "password": PASSWORD})
    assert response.status_code == 200


def test_the_survey_page_is_public_phone_sized_and_locked_down(workspace: Workspace) -> None:
    (link,) = links(workspace, "ru-001")
    workspace.client.cookies.clear()
    page = workspace.client.get(f"/s/{link['token']}")
    assert page.status_code == 200
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.text
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "script" not in page.text  # works without JavaScript
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_staff_pages_need_a_login(workspace: Workspace) -> None:
    workspace.client.cookies.clear()
    for path in ("/surveys", "/surveys/results", "/tasks"):
        response = workspace.client.get(path, follow_redirects=False)
        assert response.status_code == 303 and "/login" in response.headers["location"]


def test_only_admin_and_lead_get_the_builder(workspace: Workspace) -> None:
    for role, builder in (("lead", True), ("agent", False)):  # the users with a password
        _login(workspace, role)
        page = workspace.client.get("/surveys").text
        assert ('id="survey-builder"' in page) is builder, role


def test_an_agents_board_and_results_are_their_own(workspace: Workspace) -> None:
    for cid in ("kk-001", "ru-001"):
        (link,) = links(workspace, cid)
        workspace.client.post(f"{API}/public/surveys/{link['token']}", json={"csat": 1})
    _login(workspace, "agent")
    board = workspace.client.get("/tasks?kind=callback").text
    assert set(re.findall(r'data-conversation="([^"]+)"', board)) == {"kk-001"}
    results = workspace.client.get("/surveys/results?by=agent").text
    assert set(re.findall(r'<tr data-key="([^"]*)"', results)) == {AGENT_ID}
    _login(workspace, "lead")
    board = workspace.client.get("/tasks?kind=callback").text
    assert {"kk-001", "ru-001"} <= set(re.findall(r'data-conversation="([^"]+)"', board))
    board = workspace.client.get("/tasks?kind=callback&agent=a-ru-01").text
    assert set(re.findall(r'data-conversation="([^"]+)"', board)) == {"ru-001"}


def test_pages_in_russian(workspace: Workspace) -> None:
    _login(workspace, "lead")
    assert "Задачи" in workspace.client.get("/tasks?lang=ru").text
    assert "Результаты опросов" in workspace.client.get("/surveys/results?lang=ru").text


def test_results_page_lists_complaint_themes_by_week(workspace: Workspace) -> None:
    (link,) = links(workspace, "hu-001")
    workspace.client.post(f"{API}/public/surveys/{link['token']}",
                          json={"csat": 1, "comment": "Egy órát vártam, és senki nem segített."})
    _login(workspace, "lead")
    page = workspace.client.get("/surveys/results").text
    week = re.search(r'<tr data-period="[^"]+">(.*?)</tr>', page, re.S)
    assert week and "waiting (1)" in week.group(1)
