"""Calibration: blind grading, the agreement report (the automatic scoring as one more
rater), and calibration grades never becoming a conversation's score."""

from __future__ import annotations

import pytest

from serviceqa.errors import Conflict, InputError, NotFound
from serviceqa.review.agreement import by_criterion
from serviceqa.review.reviews import VerdictIn
from serviceqa.review.store import human_verdicts
from tests.review.conftest import Desk

ITEMS = ["ru-1", "kk-1", "cs-1"]


def _session(desk: Desk) -> dict:
    return desk.desk.calibration.create(desk.users["lead"], "Ноябрь: калибровка",
                                        ITEMS, ["olga", "petr", "zhanna"])


def _grade(desk: Desk, who: str, session: int, cid: str, changes: dict[str, str]) -> dict:
    return desk.reviews.create(desk.users[who], cid,
                               [VerdictIn(k, v) for k, v in changes.items()],
                               calibration_session_id=session, submit=True)


def test_grades_are_blind_until_you_submit_your_own(desk: Desk) -> None:
    session = _session(desk)["id"]
    olga = _grade(desk, "olga", session, "kk-1", {"empathy": "pass"})
    petr = desk.users["petr"]
    with pytest.raises(NotFound):
        desk.reviews.get(petr, olga["id"])
    assert desk.reviews.list(petr, calibration_session_id=session)["total"] == 0
    assert desk.reviews.list(desk.users["lead"])["total"] == 0  # not a normal review
    draft = desk.reviews.create(petr, "kk-1", calibration_session_id=session)
    with pytest.raises(NotFound):  # a draft is not a submitted grade
        desk.reviews.get(petr, olga["id"])
    desk.reviews.submit(petr, draft["id"])
    assert desk.reviews.get(petr, olga["id"])["verdicts"]
    with pytest.raises(NotFound):
        desk.reviews.get(desk.users["kk-agent"], olga["id"])
    with pytest.raises(NotFound):  # zhanna has not graded kk-1 yet
        desk.reviews.get(desk.users["zhanna"], olga["id"])


def test_calibration_never_becomes_the_score(desk: Desk) -> None:
    session = _session(desk)["id"]
    _grade(desk, "olga", session, "ru-1", {"greeting": "fail"})
    assert desk.reviews.final("ru-1") is None
    assert not list(human_verdicts(desk.desk.ws.store))


def test_only_members_grade_each_item_once_and_not_after_closing(desk: Desk) -> None:
    session = _session(desk)["id"]
    with pytest.raises(NotFound):
        desk.reviews.create(desk.users["lead"], "ru-1", calibration_session_id=session)
    with pytest.raises(InputError):
        desk.reviews.create(desk.users["olga"], "hu-1", calibration_session_id=session)
    _grade(desk, "olga", session, "ru-1", {})
    with pytest.raises(Conflict):
        desk.reviews.create(desk.users["olga"], "ru-1", calibration_session_id=session)
    desk.desk.calibration.close(desk.users["lead"], session)
    with pytest.raises(Conflict):
        desk.reviews.create(desk.users["petr"], "ru-1", calibration_session_id=session)


def test_report_measures_agreement_and_finds_the_disputed_conversation(desk: Desk) -> None:
    session = _session(desk)["id"]
    # everyone keeps ru-1 and kk-1 as scored, except zhanna on kk-1's empathy;
    # on cs-1 they split on politeness and closing
    for who in ("olga", "petr", "zhanna"):
        _grade(desk, who, session, "ru-1", {})
    _grade(desk, "olga", session, "kk-1", {})
    _grade(desk, "petr", session, "kk-1", {})
    _grade(desk, "zhanna", session, "kk-1", {"empathy": "pass"})
    _grade(desk, "olga", session, "cs-1", {"politeness": "pass", "closing": "pass"})
    _grade(desk, "petr", session, "cs-1", {"politeness": "pass"})
    _grade(desk, "zhanna", session, "cs-1", {})
    report = desk.desk.calibration.report(desk.users["lead"], session)
    assert report["raters"] == ["olga", "petr", "zhanna"]
    worst = report["disagreements"]
    assert [d["conversation_id"] for d in worst] == ["cs-1", "kk-1"]
    assert {c["criterion_id"] for c in worst[0]["criteria"]} == {"politeness", "closing"}
    criteria = {c["criterion_id"]: c for c in report["criteria"]}
    assert criteria["greeting"]["reviewers"]["percent"] == 1.0
    # politeness: 3 + 3 agreeing pairs on ru-1 and kk-1, 1 of 3 on cs-1
    assert criteria["politeness"]["reviewers"]["percent"] == pytest.approx(7 / 9)
    # the same figures agreement.py gives on the same ratings
    rows = []
    for review in desk.reviews.list(desk.users["lead"], calibration_session_id=session)["items"]:
        full = desk.reviews.get(desk.users["lead"], review["id"])
        rows += [(full["conversation_id"], v["criterion_id"], full["reviewer"], v["result"])
                 for v in full["verdicts"]]
    expected = by_criterion(rows)
    assert report["overall"]["reviewers"] == expected["overall"].as_dict()
    assert criteria["politeness"]["reviewers"]["alpha"] == expected["politeness"].alpha
    # the automatic scoring is one more rater: 4 raters, kappa for each pair
    assert report["overall"]["with_auto"]["raters"] == 4
    assert len(report["pairs"]) == 6
    assert report["auto_vs_reviewers"]["zhanna"] > report["auto_vs_reviewers"]["olga"]


def test_a_reviewer_sees_only_their_sessions_and_not_the_report_rules(desk: Desk) -> None:
    session = _session(desk)["id"]
    assert [s["id"] for s in desk.desk.calibration.list(desk.users["olga"])] == [session]
    desk.desk.calibration.create(desk.users["lead"], "Other", ["en-1"], ["petr", "zhanna"])
    assert [s["id"] for s in desk.desk.calibration.list(desk.users["olga"])] == [session]
    with pytest.raises(InputError) as error:
        desk.desk.calibration.create(desk.users["lead"], "x", ["ru-1", "nope"], ["olga", "petr"])
    assert error.value.field == "conversation_ids[1]"
    with pytest.raises(InputError) as error:
        desk.desk.calibration.create(desk.users["lead"], "x", ["ru-1"], ["olga", "ru-agent"])
    assert error.value.field == "reviewers[1]"


def test_a_session_scorecard_is_used_for_its_grades(desk: Desk) -> None:
    session = desk.desk.calibration.create(desk.users["lead"], "Telefonní standard", ["cs-1"],
                                           ["olga", "petr"], scorecard="phone")
    grade = _grade(desk, "olga", session["id"], "cs-1", {})
    assert grade["scorecard"] == "phone"
    ids = {v["criterion_id"] for v in grade["verdicts"]}
    assert "answer_speed" in ids and "first_response_time" not in ids


def test_a_grading_lead_sees_the_report_only_after_grading(desk: Desk) -> None:
    lead = desk.users["lead"]
    session = desk.desk.calibration.create(lead, "Kalibrace", ["cs-1", "en-1"],
                                           ["lead", "olga"])["id"]
    _grade(desk, "olga", session, "cs-1", {"politeness": "pass"})
    _grade(desk, "lead", session, "cs-1", {})
    with pytest.raises(Conflict):
        desk.desk.calibration.report(lead, session)
    _grade(desk, "lead", session, "en-1", {})
    assert desk.desk.calibration.report(lead, session)["raters"] == ["lead", "olga"]
