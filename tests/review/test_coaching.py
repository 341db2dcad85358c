"""Coaching: weakest criteria with examples, notes, acknowledgement, before/after trend."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from serviceqa.errors import Conflict, Forbidden, InputError, NotFound
from serviceqa.review.reviews import VerdictIn
from tests.review.conftest import Desk


def test_weakest_criteria_use_human_verdicts_where_reviewed(desk: Desk) -> None:
    lead = desk.users["lead"]
    # a-kk: kk-1, hu-1, cs-1, kk-2. Empathy fails everywhere automatically.
    weak = desk.desk.coaching.weakest(lead, "a-kk")
    empathy = next(w for w in weak["weakest"] if w["criterion_id"] == "empathy")
    assert (empathy["n"], empathy["passed"]) == (4, 0)
    assert {e["conversation_id"] for e in empathy["examples"]} <= {"kk-1", "hu-1", "cs-1",
                                                                    "kk-2"}
    desk.reviews.create(desk.users["olga"], "hu-1",
                        [VerdictIn("empathy", "pass", "Megértő volt")], submit=True)
    again = desk.desk.coaching.weakest(lead, "a-kk", limit=20)
    empathy = next(w for w in again["weakest"] if w["criterion_id"] == "empathy")
    assert (empathy["n"], empathy["passed"]) == (4, 1)
    greeting = next(w for w in again["weakest"] if w["criterion_id"] == "greeting")
    assert greeting["pass_rate"] == 1.0
    rates = [w["pass_rate"] for w in again["weakest"]]
    assert rates == sorted(rates)


def test_examples_carry_evidence(desk: Desk) -> None:
    weak = desk.desk.coaching.weakest(desk.users["lead"], "a-kk", limit=20)
    dont_know = next(w for w in weak["weakest"] if w["criterion_id"] == "no_bare_dont_know")
    (example,) = dont_know["examples"]
    assert example["conversation_id"] == "cs-1"
    assert any(e["text"] == "Nevím" for e in example["evidence"])


def test_agents_see_only_their_own_coaching(desk: Desk) -> None:
    with pytest.raises(NotFound):
        desk.desk.coaching.weakest(desk.users["ru-agent"], "a-kk")
    assert desk.desk.coaching.weakest(desk.users["kk-agent"], "a-kk")["conversations"] == 4


def test_note_acknowledgement_and_trend(desk: Desk) -> None:
    lead, agent = desk.users["lead"], desk.users["kk-agent"]
    at = datetime(2026, 11, 7, tzinfo=timezone.utc)  # between week 1 and week 2
    note = desk.desk.coaching.add_note(
        lead, "a-kk", "Айгерім, клиенттің сезімін мойындаңыз: «Түсінемін, бұл жағымсыз».",
        ["empathy", "clarifying_question"], ["kk-1"], at=at)
    assert note["author"] == "lead" and note["acknowledged_at"] is None
    trend = {t["criterion_id"]: t for t in note["trend"]}
    # before: kk-1 and hu-1 (both asked a clarifying question); after: cs-1 and kk-2 (neither)
    assert trend["clarifying_question"]["before"] == {"n": 2, "passed": 2, "pass_rate": 1.0}
    assert trend["clarifying_question"]["after"] == {"n": 2, "passed": 0, "pass_rate": 0.0}
    with pytest.raises(NotFound):
        desk.desk.coaching.acknowledge(desk.users["ru-agent"], note["id"])
    with pytest.raises(Forbidden):
        desk.desk.coaching.acknowledge(lead, note["id"])
    done = desk.desk.coaching.acknowledge(agent, note["id"])
    assert done["acknowledged_at"] is not None
    with pytest.raises(Conflict):
        desk.desk.coaching.acknowledge(agent, note["id"])
    assert [n["id"] for n in desk.desk.coaching.notes(agent)] == [note["id"]]
    assert desk.desk.coaching.notes(desk.users["ru-agent"]) == []


def test_bad_notes_name_the_field(desk: Desk) -> None:
    lead = desk.users["lead"]
    with pytest.raises(InputError) as error:
        desk.desk.coaching.add_note(lead, "a-kk", "")
    assert error.value.field == "text"
    with pytest.raises(InputError) as error:
        desk.desk.coaching.add_note(lead, "a-kk", "ok", conversation_ids=["ru-1"])
    assert error.value.field == "conversation_ids[0]"
