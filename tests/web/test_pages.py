"""Pages without a browser: login redirect, the same role rules as the API, i18n files
complete, and the scorecard preview route."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from serviceqa.score.scorecard import BUNDLED
from serviceqa.web import i18n
from tests.web.conftest import PASSWORD, Workspace

TEMPLATES = Path(i18n.__file__).parent / "templates"
CHAT = (BUNDLED / "chat.yaml").read_text(encoding="utf-8")
PAGES = ["/", "/conversations", "/conversations/kk-001", "/scorecards", "/scorecards/chat",
         "/alerts"]


def _login(shared: Workspace, role: str) -> dict[str, str]:
    shared.client.cookies.clear()
    response = shared.client.post("/api/v1/auth/login",
                                  json={"name": f"{role}-user", "password": PASSWORD})
    assert response.status_code == 200
    return {"X-CSRF-Token": response.json()["csrf_token"]}


@pytest.mark.parametrize("path", PAGES)
def test_a_page_without_a_session_goes_to_login(shared: Workspace, path: str) -> None:
    shared.client.cookies.clear()
    response = shared.client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    # a Bearer token is for scripts: pages need the browser session
    assert shared.get(path, follow_redirects=False).status_code == 303


@pytest.mark.parametrize("path", PAGES)
def test_each_page_renders_and_links_its_api_twin(shared: Workspace, path: str) -> None:
    _login(shared, "lead")
    response = shared.client.get(path)
    assert response.status_code == 200, response.text
    assert 'class="api-twin" href="/api/v1/' in response.text
    assert not re.search(r'(src|href)="(https?:)?//', response.text)  # nothing from a CDN
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_agent_pages_are_scoped(shared: Workspace) -> None:
    _login(shared, "agent")
    listed = shared.client.get("/conversations?agent=a-hu-01")
    assert listed.status_code == 403
    page = shared.client.get("/conversations").text
    assert set(re.findall(r'data-agent="([^"]*)"', page)) == {"a-kk-01"}
    assert shared.client.get("/conversations/cs-001").status_code == 404


def test_ui_language_from_query_cookie_and_header(shared: Workspace) -> None:
    _login(shared, "lead")
    shared.client.cookies.delete(i18n.LANG_COOKIE)
    assert "<h1>Разговоры</h1>" in shared.client.get(
        "/conversations", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).text
    assert "<h1>Conversations</h1>" in shared.client.get("/conversations").text
    assert "<h1>Разговоры</h1>" in shared.client.get("/conversations?lang=ru").text
    assert "<h1>Разговоры</h1>" in shared.client.get("/conversations").text  # cookie
    chart = shared.client.get("/").text  # chart labels are translated too
    assert ">Приветствие</text>" in chart and ">грубиян</text>" in chart
    shared.client.get("/conversations?lang=en")


def test_i18n_files_have_the_same_keys_and_cover_the_templates() -> None:
    catalogs = {lang: i18n.catalog(lang) for lang in i18n.languages()}  # with i18n/*/ parts
    assert {"en", "ru"} <= set(catalogs)
    keys = set(catalogs["en"])
    assert all(set(c) == keys for c in catalogs.values())
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r't\("([a-z_]+\.[a-z_]+)"', template.read_text("utf-8")))
    assert used and used <= keys, used - keys


def test_preview_scores_the_sample_and_names_a_bad_key(shared: Workspace) -> None:
    ok = shared.post("/api/v1/scorecards/preview", role="lead",
                     json={"yaml": CHAT.replace("pass_score: 80", "pass_score: 99"),
                           "sample": 4})
    assert ok.status_code == 200
    items = ok.json()["items"]
    assert len(items) == 4 and all(i["new_score"] is not None for i in items)
    assert all({"old_score", "old_scorecard", "new_passed"} <= set(i) for i in items)
    bad = shared.post("/api/v1/scorecards/preview", role="lead",
                      json={"yaml": CHAT.replace("weight: 2", "weight: -2", 1), "sample": 2})
    assert bad.status_code == 422 and ".weight" in bad.json()["error"]["key"]
    names = [c["name"] for c in shared.get("/api/v1/scorecards").json()]
    assert "chat" in names and len(names) == len(set(names))  # nothing was saved


def test_period_score_and_paging_filters(shared: Workspace, demo_pairs) -> None:
    _login(shared, "lead")
    days = sorted(c.started_at for c, _ in demo_pairs if c.started_at)
    middle = days[len(days) // 2].date().isoformat()
    page = shared.client.get(f"/conversations?since={middle}&min_score=50&max_score=").text
    api = shared.get(f"/api/v1/conversations?since={middle}T00:00:00Z&min_score=50").json()
    assert f">{api['total']} conversations<" in page and 0 < api["total"] < len(demo_pairs)
    first = shared.client.get("/conversations?min_score=0").text
    assert 'rel="next" href="?min_score=0&amp;offset=25"' in first
    second = shared.client.get("/conversations?min_score=0&offset=25").text
    assert 'rel="prev" href="?min_score=0&amp;offset=0"' in second


def test_a_label_without_a_translation_shows_the_id() -> None:
    ru = i18n.Translator("ru")
    assert ru("criterion.greeting") == "Приветствие"
    assert ru("criterion.my_own_check") == "my_own_check"


def test_what_a_customer_or_agent_wrote_is_shown_as_text(workspace: Workspace) -> None:
    """Message texts and names come from outside: a page shows them, never runs them."""
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    record = {"id": "xss-1", "channel": "chat",
              "agent": {"id": "a-<b>", "name": hostile, "team": hostile},
              "messages": [{"role": "customer", "text": "Добрый день! " + hostile},
                           {"role": "agent", "text": "Здравствуйте, меня зовут Ольга."}]}
    assert workspace.post("/api/v1/conversations", json=record).status_code == 201
    _login(workspace, "lead")
    for path in ("/conversations/xss-1", "/conversations", "/"):
        html = workspace.client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
    assert "&lt;script&gt;alert" in workspace.client.get("/conversations/xss-1").text
