"""Surveys end to end through the API and the public page: definitions, links in the
conversation's language, one response per link, forged and expired links refused."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from serviceqa.feedback.links import SurveyLinks
from tests.feedback.helpers import API, links, service, tasks
from tests.web.conftest import Workspace


def test_a_link_opens_the_page_in_the_conversations_language(workspace: Workspace) -> None:
    made = links(workspace, "ru-001", "kk-001", "hu-001", "cs-001", "en-001")
    assert [m["language"] for m in made] == ["ru", "kk", "hu", "cs", "en"]
    buttons = {"ru": "Отправить", "kk": "Жіберу", "hu": "Küldés", "cs": "Odeslat", "en": "Send"}
    for link in made:
        page = workspace.client.get(f"/s/{link['token']}")
        assert page.status_code == 200
        assert f'<html lang="{link["language"]}">' in page.text
        assert buttons[link["language"]] in page.text
    overridden = workspace.client.get(f"/s/{made[0]['token']}?lang=kk")
    assert "Жіберу" in overridden.text


def test_the_language_of_the_links_can_be_chosen(workspace: Workspace) -> None:
    (link,) = links(workspace, "ru-001", language="kk-KZ")
    assert link["language"] == "kk"


def test_a_link_is_answered_once(workspace: Workspace) -> None:
    (link,) = links(workspace, "ru-002")
    first = workspace.client.post(f"/s/{link['token']}", data={"csat": "5", "nps": "10"})
    assert first.status_code == 201 and "Спасибо" in first.text
    again = workspace.client.post(f"/s/{link['token']}", data={"csat": "1"})
    assert again.status_code == 409 and "уже ответили" in again.text
    api_again = workspace.client.post(f"{API}/public/surveys/{link['token']}", json={"csat": 1})
    assert api_again.status_code == 409
    page = workspace.client.get(f"/s/{link['token']}")
    assert "уже ответили" in page.text and "<form" not in page.text
    responses = workspace.get(f"{API}/survey-responses").json()
    assert [(r["conversation_id"], r["csat"]) for r in responses["items"]] == [("ru-002", 5)]


def test_a_forged_or_altered_link_is_refused(workspace: Workspace) -> None:
    (link,) = links(workspace, "en-001")
    token = link["token"]
    forged = SurveyLinks(b"x" * 32).make("default", "en-001")
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (forged, altered, token[: len(token) // 2]):
        assert workspace.client.get(f"/s/{bad}").status_code == 404
        assert workspace.client.post(f"/s/{bad}", data={"csat": "5"}).status_code == 404
        assert workspace.client.post(f"{API}/public/surveys/{bad}",
                                     json={"csat": 5}).status_code == 404
    assert workspace.get(f"{API}/survey-responses").json()["total"] == 0


def test_a_link_signed_right_but_never_sent_is_refused(workspace: Workspace) -> None:
    """Made with the server's own key but not recorded as sent (a replayed key leak)."""
    fb = service(workspace)
    token = fb.links.make("default", "en-001")
    assert workspace.client.get(f"/s/{token}").status_code == 404


def test_an_expired_link_is_refused(workspace: Workspace) -> None:
    """A link sent three days ago, valid for one day: refused, in the link's language."""
    fb = service(workspace)
    sent = datetime.now(timezone.utc) - timedelta(days=3)
    token = fb.links.make("default", "cs-002", now=sent, valid_for=timedelta(days=1))
    claims = fb.links.check(token, sent)
    fb.repo.add_links([{"nonce": claims.nonce, "survey": "default", "conversation_id": "cs-002",
                        "language": "cs", "created_at": sent, "expires_at": claims.expires_at}])
    page = workspace.client.get(f"/s/{token}")
    assert page.status_code == 410 and "vypršela" in page.text
    assert workspace.client.post(f"/s/{token}", data={"csat": "4"}).status_code == 410
    assert workspace.client.post(f"{API}/public/surveys/{token}", json={"csat": 4}
                                 ).status_code == 404
    assert workspace.get(f"{API}/survey-responses").json()["total"] == 0


def test_bad_answers_name_the_field(workspace: Workspace) -> None:
    (link,) = links(workspace, "hu-001")
    public = f"{API}/public/surveys/{link['token']}"
    for body, field in (({"csat": 6}, "csat"), ({"nps": -1}, "nps"),
                        ({"satisfaction": 0}, "satisfaction"), ({}, "answers")):
        response = workspace.client.post(public, json=body)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["field"] == field
    page = workspace.client.post(f"/s/{link['token']}", data={})
    assert page.status_code == 422 and "legalább egy kérdésre" in page.text
    assert workspace.client.post(public, json={"csat": 4}).status_code == 201


def test_a_survey_asks_only_its_questions(workspace: Workspace) -> None:
    made = workspace.post(f"{API}/surveys", "lead", json={
        "name": "nps-only", "questions": ["nps", "comment"],
        "texts": {"ru": {"title": "Пара слов о нашей поддержке"}}})
    assert made.status_code == 201, made.text
    (link,) = links(workspace, "ru-003", survey="nps-only")
    page = workspace.client.get(f"/s/{link['token']}")
    assert "Пара слов о нашей поддержке" in page.text
    assert 'data-question="nps"' in page.text and 'data-question="csat"' not in page.text
    response = workspace.client.post(f"{API}/public/surveys/{link['token']}", json={"csat": 5})
    assert response.status_code == 422 and response.json()["error"]["field"] == "csat"


@pytest.mark.parametrize("body, field", [
    ({"name": "Bad Name", "questions": ["csat"]}, "name"),
    ({"name": "x", "questions": ["stars"]}, "questions"),
    ({"name": "x", "questions": []}, "questions"),
    ({"name": "x", "questions": ["csat"], "texts": {"de": {"title": "Wie war's?"}}}, "texts"),
    ({"name": "x", "questions": ["csat"], "texts": {"ru": {"titel": "?"}}}, "texts"),
])
def test_a_bad_survey_definition_names_the_field(shared: Workspace, body, field) -> None:
    response = shared.post(f"{API}/surveys", "lead", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["field"].startswith(field)


def test_responses_via_the_api_make_the_same_tasks(workspace: Workspace) -> None:
    response = workspace.post(f"{API}/survey-responses", "lead", json={
        "conversation_id": "kk-003", "answers": {"satisfaction": 3,
                                                 "comment": "Өте ұзақ күттім, ешкім көмектеспеді"}})
    assert response.status_code == 201, response.text
    (task,) = response.json()["tasks"]
    assert task["kind"] == "callback" and "satisfaction 3 of 10" in task["reason"]
    stored = workspace.get(f"{API}/survey-responses").json()["items"][0]
    assert stored["analysis"]["sentiment"] < 0
    assert "waiting" in stored["analysis"]["themes"]
    assert [t["id"] for t in tasks(workspace, kind="callback")] == [task["id"]]
