"""Disputes: only the agent of the conversation opens one; a lead accepts (the score
changes) or rejects; the history keeps every step, in order."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from serviceqa.errors import Conflict, Forbidden, InputError, NotFound
from serviceqa.review.reviews import VerdictIn
from serviceqa.store.schema_review import DisputeEventRow
from tests.review.conftest import Desk


def _reviewed(desk: Desk, cid: str, verdicts: list[VerdictIn]) -> dict:
    return desk.reviews.create(desk.users["olga"], cid, verdicts, submit=True)


def test_accepted_dispute_changes_the_final_score_and_keeps_history(desk: Desk) -> None:
    agent, lead = desk.users["kk-agent"], desk.users["lead"]
    review = _reviewed(desk, "kk-1", [VerdictIn("greeting", "fail", "Сәлемдесу жоқ")])
    assert review["score"] == round(100 * 8 / 11.5, 1)
    dispute = desk.desk.disputes.open(
        agent, review["id"], "Мен «Сәлеметсіз бе!» деп амандастым, бірінші хабарламаны қараңыз.")
    assert dispute["status"] == "open"
    with pytest.raises(Conflict):
        desk.desk.disputes.open(agent, review["id"], "тағы да")
    desk.desk.disputes.comment(agent, dispute["id"], "Скриншот прилагаю.")
    done = desk.desk.disputes.accept(lead, dispute["id"], "Верно, приветствие было.",
                                     [VerdictIn("greeting", "pass", "исправлено")])
    assert done["status"] == "accepted" and done["resolved_by"] == "lead"
    final = desk.reviews.final("kk-1")
    assert final["id"] == done["resolution_review_id"] and final["kind"] == "resolution"
    assert final["score"] == round(100 * 9 / 11.5, 1)
    assert [e["action"] for e in done["history"]] == ["opened", "commented", "accepted"]
    accepted = done["history"][-1]["data"]
    assert (accepted["old_score"], accepted["new_score"]) == (review["score"], final["score"])
    # the disputed review itself is kept as it was
    assert desk.reviews.get(lead, review["id"])["score"] == review["score"]
    with pytest.raises(Conflict):
        desk.desk.disputes.reject(lead, dispute["id"], "передумал")


def test_rejected_dispute_keeps_the_score_with_an_answer(desk: Desk) -> None:
    agent, lead = desk.users["ru-agent"], desk.users["lead"]
    review = _reviewed(desk, "ru-2", [])
    dispute = desk.desk.disputes.open(agent, review["id"], "Клиент сам начал грубить.")
    with pytest.raises(InputError) as error:
        desk.desk.disputes.reject(lead, dispute["id"], "  ")
    assert error.value.field == "answer"
    done = desk.desk.disputes.reject(lead, dispute["id"],
                                     "Грубость оператора недопустима в любом случае.")
    assert done["status"] == "rejected" and desk.reviews.final("ru-2")["id"] == review["id"]
    assert [e["action"] for e in done["history"]] == ["opened", "rejected"]
    assert done["history"][1]["text"].startswith("Грубость")


def test_only_the_conversations_agent_disputes(desk: Desk) -> None:
    review = _reviewed(desk, "ru-1", [])
    with pytest.raises(NotFound):
        desk.desk.disputes.open(desk.users["kk-agent"], review["id"], "Není to moje.")
    dispute = desk.desk.disputes.open(desk.users["ru-agent"], review["id"], "Не согласен.")
    with pytest.raises(NotFound):
        desk.desk.disputes.get(desk.users["kk-agent"], dispute["id"])
    assert desk.desk.disputes.list(desk.users["kk-agent"]) == []
    with pytest.raises(Forbidden):
        desk.desk.disputes.reject(desk.users["olga"], dispute["id"], "nope")


def test_history_is_append_only(desk: Desk) -> None:
    review = _reviewed(desk, "hu-1", [VerdictIn("empathy", "pass")])
    dispute = desk.desk.disputes.open(desk.users["kk-agent"], review["id"],
                                      "Az ügyfél nem volt ideges, az empátia nem releváns.")
    engine = desk.desk.ws.store.engine
    with engine.connect() as connection:
        before = list(connection.execute(select(DisputeEventRow)
                                         .where(DisputeEventRow.dispute_id == dispute["id"])))
    desk.desk.disputes.accept(desk.users["lead"], dispute["id"], None,
                              [VerdictIn("empathy", "na", "nem releváns")])
    with engine.connect() as connection:
        after = list(connection.execute(select(DisputeEventRow)
                                        .where(DisputeEventRow.dispute_id == dispute["id"])
                                        .order_by(DisputeEventRow.id)))
        total = connection.scalar(select(func.count()).select_from(DisputeEventRow))
    assert after[:len(before)] == before and len(after) == 2 and total == 2
    with pytest.raises(InputError):
        desk.desk.disputes.accept(desk.users["lead"], dispute["id"], None, [])
