"""The review and dispute lists cost the same few statements for one item as for many, and
the review list shows each caller what `Reviews.get` would (its visibility rules are SQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from serviceqa.errors import NotFound
from serviceqa.review.reviews import VerdictIn
from tests.review.conftest import CHATS, Desk


@contextmanager
def counted(engine: Any) -> Iterator[list[str]]:
    statements: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _cost(desk: Desk, call: Callable[[], Any]) -> int:
    with counted(desk.desk.ws.store.engine) as statements:
        call()
    return len(statements)


@pytest.mark.parametrize("who", ["lead", "olga", "ru-agent"])
def test_the_list_costs_the_same_for_one_review_or_many(desk: Desk, who: str) -> None:
    reviewers = [desk.users[n] for n in ("olga", "petr", "zhanna")]
    desk.reviews.create(reviewers[0], "ru-1", [VerdictIn("greeting", "fail")], submit=True)
    one = _cost(desk, lambda: desk.reviews.list(desk.users[who]))
    for i, chat in enumerate(CHATS[1:]):
        desk.reviews.create(reviewers[i % 3], chat["id"], [VerdictIn("closing", "na")],
                            submit=i % 2 == 0)
    many = _cost(desk, lambda: desk.reviews.list(desk.users[who]))
    assert many == one <= 4


def test_a_calibration_list_costs_the_same_for_one_grade_or_many(desk: Desk) -> None:
    names = ["olga", "petr", "zhanna"]
    session = desk.desk.calibration.create(desk.users["lead"], "Ноябрь", ["ru-1", "kk-1"],
                                           names)
    for name in ("olga", "petr"):  # petr sees olga's grade once he submitted his own
        desk.reviews.create(desk.users[name], "ru-1", calibration_session_id=session["id"],
                            submit=True)
    listed = lambda: desk.reviews.list(desk.users["petr"],  # noqa: E731
                                       calibration_session_id=session["id"])
    one = _cost(desk, listed)
    for name, cid in (("zhanna", "ru-1"), ("olga", "kk-1"), ("petr", "kk-1")):
        desk.reviews.create(desk.users[name], cid, calibration_session_id=session["id"],
                            submit=True)
    assert _cost(desk, listed) == one <= 6
    assert listed()["total"] == 5


@pytest.mark.parametrize("who", ["lead", "olga", "petr", "zhanna", "ru-agent", "kk-agent"])
def test_the_list_shows_what_get_would(desk: Desk, who: str) -> None:
    olga, petr = desk.users["olga"], desk.users["petr"]
    ids = [desk.reviews.create(olga, "ru-1", submit=True)["id"],
           desk.reviews.create(petr, "ru-2")["id"],  # a draft: petr's and the lead's
           desk.reviews.create(olga, "kk-1", [VerdictIn("greeting", "fail")], submit=True)["id"]]
    session = desk.desk.calibration.create(desk.users["lead"], "Kalibrace", ["cs-1"],
                                           ["petr", "zhanna"])
    blind = desk.reviews.create(petr, "cs-1", calibration_session_id=session["id"],
                                submit=True)["id"]
    user = desk.users[who]

    def visible(review_id: int) -> bool:
        try:
            desk.reviews.get(user, review_id)
            return True
        except NotFound:
            return False

    listed = desk.reviews.list(user)
    assert {r["id"] for r in listed["items"]} == {i for i in ids if visible(i)}
    assert listed["total"] == len(listed["items"])
    graded = desk.reviews.list(user, calibration_session_id=session["id"])
    assert {r["id"] for r in graded["items"]} == ({blind} if visible(blind) else set())
    page = desk.reviews.list(user, limit=1, offset=0)
    assert page["total"] == listed["total"] and len(page["items"]) == min(1, listed["total"])


def test_the_dispute_list_costs_the_same_for_one_dispute_or_many(desk: Desk) -> None:
    olga, agent = desk.users["olga"], desk.users["kk-agent"]
    reviews = [desk.reviews.create(olga, cid, submit=True)["id"]
               for cid in ("kk-1", "hu-1", "cs-1", "kk-2")]
    desk.desk.disputes.open(agent, reviews[0], "Мен сәлемдестім.")
    one = _cost(desk, lambda: desk.desk.disputes.list(desk.users["lead"]))
    for review_id in reviews[1:]:
        desk.desk.disputes.open(agent, review_id, "Nem értek egyet.")
    many = _cost(desk, lambda: desk.desk.disputes.list(desk.users["lead"]))
    assert many == one and len(desk.desk.disputes.list(agent)) == 4
