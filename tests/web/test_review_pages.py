"""The review pages render for each role, with the same limits as the API (an agent gets
404 for another agent's review or coaching, 403 for the reviewer-only pages)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from serviceqa.review.reviews import VerdictIn
from serviceqa.review.service import ReviewDesk
from tests.web.conftest import AGENT_ID, PASSWORD, Workspace


@pytest.fixture(scope="module")
def seeded(shared: Workspace) -> Iterator[dict[str, int]]:
    ws = shared.client.app.state.workspace  # type: ignore[attr-defined]
    desk = ReviewDesk(ws)
    user = ws.store.accounts.get_user
    ws.store.accounts.add_user("rv-reviewer", "reviewer", None, PASSWORD)
    own = desk.reviews.create(user("reviewer-user"), "kk-013",
                              [VerdictIn("greeting", "fail", "Сәлемдесу жоқ")], submit=True)
    other = desk.reviews.create(user("reviewer-user"), "cs-002", submit=True)
    dispute = desk.disputes.open(user("agent-user"), own["id"], "Сәлемдестім ғой!")
    session = desk.calibration.create(user("lead-user"), "Калибровка", ["kk-013", "hu-003"],
                                      ["rv-reviewer", "reviewer-user"])
    desk.coaching.add_note(user("lead-user"), AGENT_ID, "Өзіңізді таныстырыңыз.",
                           ["self_introduction"])
    yield {"own": own["id"], "other": other["id"], "dispute": dispute["id"],
           "session": session["id"]}


def _as(shared: Workspace, role: str) -> None:
    """A browser session (only the lead and agent users of the fixture have passwords)."""
    shared.client.cookies.clear()
    name = "rv-reviewer" if role == "reviewer" else f"{role}-user"
    assert shared.client.post("/api/v1/auth/login", json={
        "name": name, "password": PASSWORD}).status_code == 200


PAGES = [  # path, role -> status
    ("/review", {"lead": 200, "reviewer": 200, "agent": 403}),
    ("/review?everyone=1", {"lead": 200, "reviewer": 200, "agent": 403}),
    ("/conversations/kk-013/review", {"lead": 200, "reviewer": 200, "agent": 403}),
    ("/reviews/{own}", {"lead": 200, "reviewer": 200, "agent": 200}),
    ("/reviews/{other}", {"lead": 200, "reviewer": 200, "agent": 404}),
    ("/disputes", {"lead": 200, "reviewer": 200, "agent": 200}),
    ("/disputes/{dispute}", {"lead": 200, "reviewer": 200, "agent": 200}),
    ("/calibration", {"lead": 200, "reviewer": 200, "agent": 403}),
    ("/calibration/{session}", {"lead": 200, "reviewer": 200, "agent": 403}),
    (f"/coaching/{AGENT_ID}", {"lead": 200, "reviewer": 200, "agent": 200}),
    (f"/coaching/{AGENT_ID}?since=2026-11-01&until=2026-12-01",
     {"lead": 200, "reviewer": 200, "agent": 200}),
    ("/coaching/a-ru-01", {"lead": 200, "reviewer": 200, "agent": 404}),
    ("/conversations/kk-013", {"lead": 200, "reviewer": 200, "agent": 200}),
]


@pytest.mark.parametrize("path, expected", PAGES, ids=[p for p, _ in PAGES])
def test_review_pages_by_role(shared: Workspace, seeded: dict[str, int], path: str,
                              expected: dict[str, int]) -> None:
    for role, status in expected.items():
        _as(shared, role)
        response = shared.client.get(path.format(**seeded))
        assert response.status_code == status, (role, response.text[:500])


def test_the_report_and_both_scores_are_shown(shared: Workspace, seeded: dict[str, int]) -> None:
    _as(shared, "lead")
    page = shared.client.get(f"/calibration/{seeded['session']}").text
    assert 'id="report"' in page
    _as(shared, "reviewer")
    assert 'id="report"' not in shared.client.get(f"/calibration/{seeded['session']}").text
    conversation = shared.client.get("/conversations/kk-013?lang=ru").text
    assert 'id="final-score"' in conversation and "Автоматическая оценка" in conversation
    review = shared.client.get(f"/reviews/{seeded['own']}").text
    assert "Сәлемдесу жоқ" in review and 'class="override"' in review


def test_the_list_and_dashboard_show_final_scores(shared: Workspace,
                                                  seeded: dict[str, int]) -> None:
    _as(shared, "lead")
    ws = shared.client.app.state.workspace  # type: ignore[attr-defined]
    final = ws.store.final_score("kk-013")
    assert final.reviewed and final.review_id == seeded["own"]
    listed = shared.client.get("/conversations?agent=a-kk-01&lang=ru").text
    row = listed[listed.index('data-id="kk-013"'):]
    row = row[:row.index("</tr>")]
    assert f'href="/reviews/{seeded["own"]}"' in row and "проверено" in row
    assert f'data-final="{final.score}"' in row and "автоматическая оценка" in row
    unreviewed = listed[listed.index('data-id="kk-001"'):]
    assert 'class="reviewed"' not in unreviewed[:unreviewed.index("</tr>")]
    assert 'id="final-note"' in shared.client.get("/").text
