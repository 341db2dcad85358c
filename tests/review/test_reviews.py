"""Reviewing: the pre-filled form, overrides, the human score, drafts and who sees what."""

from __future__ import annotations

import pytest

from serviceqa.errors import Conflict, Forbidden, InputError, NotFound
from serviceqa.review.reviews import VerdictIn
from serviceqa.review.store import human_verdicts
from tests.review.conftest import Desk


def test_the_form_is_prefilled_with_automatic_verdicts_and_evidence(desk: Desk) -> None:
    form = desk.reviews.form("kk-1")
    by_id = {c["criterion_id"]: c for c in form["criteria"]}
    assert form["scorecard"] == "chat" and form["auto_score"] == 78.3
    assert by_id["greeting"]["auto_result"] == "pass"
    assert any("Сәлеметсіз" in e["text"] for e in by_id["greeting"]["evidence"])
    assert by_id["no_rudeness"]["weight"] == 2 and by_id["no_rudeness"]["critical"]


@pytest.mark.parametrize("changes, score, passed", [
    ({}, 95.7, True),  # nothing changed: the human score is the automatic one
    # 11.5 applicable weight; offer_options (0.5) now passes, greeting (1) fails
    ({"offer_options": "pass", "greeting": "fail"}, round(100 * 10.5 / 11.5, 1), True),
    ({"offer_options": "na"}, 100.0, True),  # 11/11
    ({"no_rudeness": "fail"}, 0.0, False),  # critical
])
def test_human_score_uses_the_scorecard_weights(desk: Desk, changes: dict[str, str],
                                                score: float, passed: bool) -> None:
    verdicts = [VerdictIn(k, v, "проверено вручную") for k, v in changes.items()]
    review = desk.reviews.create(desk.users["olga"], "ru-1", verdicts, submit=True)
    assert (review["score"], review["passed"], review["status"]) == (score, passed, "submitted")
    overrides = {v["criterion_id"] for v in review["verdicts"] if v["override"]}
    assert overrides == {k for k, v in changes.items()
                         if v != desk.evaluations["ru-1"].criteria[
                             [c.id for c in desk.evaluations["ru-1"].criteria].index(k)].result}
    assert review["overrides"] == len(overrides)
    final = desk.reviews.final("ru-1")
    assert final is not None and final["score"] == score and final["auto_score"] == 95.7


def test_overrides_reach_human_verdicts_and_the_latest_review_wins(desk: Desk) -> None:
    olga, petr = desk.users["olga"], desk.users["petr"]
    desk.reviews.create(olga, "hu-1", [VerdictIn("next_steps", "pass")], submit=True)
    later = desk.reviews.create(petr, "hu-1", [VerdictIn("empathy", "na")], submit=True)
    rows = {(c, k): (r, a, who) for c, k, r, a, who in human_verdicts(desk.desk.ws.store)}
    assert rows[("hu-1", "empathy")] == ("na", "fail", petr.id)
    assert rows[("hu-1", "next_steps")] == ("fail", "fail", petr.id)  # petr's, not olga's
    assert desk.reviews.final("hu-1")["id"] == later["id"]


def test_a_draft_is_the_authors_until_submitted(desk: Desk) -> None:
    olga, petr, agent = desk.users["olga"], desk.users["petr"], desk.users["kk-agent"]
    draft = desk.reviews.create(olga, "cs-1", [VerdictIn("politeness", "pass", "Vykání ok")])
    assert draft["status"] == "draft" and desk.reviews.final("cs-1") is None
    with pytest.raises(NotFound):
        desk.reviews.get(agent, draft["id"])  # agents see submitted reviews only
    with pytest.raises(NotFound):  # another reviewer's draft is not even visible
        desk.reviews.update(petr, draft["id"], [VerdictIn("politeness", "fail")])
    with pytest.raises(Forbidden):  # a lead sees it, but may not write in it
        desk.reviews.update(desk.users["lead"], draft["id"], [VerdictIn("politeness", "fail")])
    with pytest.raises(Conflict):
        desk.reviews.create(olga, "cs-1")  # one draft per reviewer and conversation
    done = desk.reviews.update(olga, draft["id"], [VerdictIn("closing", "na")], submit=True)
    assert done["status"] == "submitted"
    comments = {v["criterion_id"]: v["comment"] for v in done["verdicts"]}
    assert comments["politeness"] == "Vykání ok"
    with pytest.raises(Conflict):
        desk.reviews.update(olga, draft["id"], [VerdictIn("closing", "fail")])
    assert desk.reviews.get(agent, draft["id"])["score"] == done["score"]


def test_agents_see_only_reviews_of_their_own_conversations(desk: Desk) -> None:
    review = desk.reviews.create(desk.users["olga"], "ru-2", submit=True)
    assert desk.reviews.get(desk.users["ru-agent"], review["id"])["conversation_id"] == "ru-2"
    with pytest.raises(NotFound):
        desk.reviews.get(desk.users["kk-agent"], review["id"])
    assert desk.reviews.list(desk.users["kk-agent"])["total"] == 0
    assert desk.reviews.list(desk.users["ru-agent"])["total"] == 1


@pytest.mark.parametrize("verdict, field", [
    (VerdictIn("greting", "pass"), "verdicts[0].criterion_id"),
    (VerdictIn("greeting", "maybe"), "verdicts[0].result"),
])
def test_bad_verdicts_name_the_field(desk: Desk, verdict: VerdictIn, field: str) -> None:
    with pytest.raises(InputError) as error:
        desk.reviews.create(desk.users["olga"], "en-1", [verdict])
    assert error.value.field == field
    assert desk.reviews.list(desk.users["lead"], "en-1")["total"] == 0  # nothing half-saved


def test_reviews_survive_ingesting_the_conversation_again(desk: Desk, scored) -> None:
    desk.reviews.create(desk.users["olga"], "kk-1", [VerdictIn("empathy", "pass")],
                        submit=True)
    desk.desk.ws.store.save_many([p for p in scored if p[0].id == "kk-1"])
    final = desk.reviews.final("kk-1")
    assert final is not None and final["overrides"] == 1


def test_draft_of_finds_the_callers_draft_only(desk: Desk) -> None:
    olga, petr = desk.users["olga"], desk.users["petr"]
    draft = desk.reviews.create(olga, "en-1", [VerdictIn("offer_options", "na", "no choice")])
    assert desk.reviews.draft_of(olga, "en-1")["id"] == draft["id"]
    assert desk.reviews.draft_of(petr, "en-1") is None
    desk.reviews.submit(olga, draft["id"])
    assert desk.reviews.draft_of(olga, "en-1") is None
