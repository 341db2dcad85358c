"""The final score: once a person reviews a conversation, lists, filters, the leaderboard
and the reports read the human result; the automatic one stays in the evaluation."""

from __future__ import annotations

from typing import Any

from serviceqa.review.reviews import VerdictIn
from serviceqa.store import Filters, Store
from serviceqa.store.filters import Filters as F
from tests.review.conftest import Desk
from tests.store.test_rollups import _all_reports, _rows

GREETING_FAILED = F(failed_criterion="greeting")


def _row(store: Store, cid: str) -> Any:
    (row,) = [r for r in store.list_conversations(limit=100).items if r.id == cid]
    return row


def _ids(store: Store, filters: Filters) -> set[str]:
    return {r.id for r in store.list_conversations(filters, limit=100).items}


def _agent(store: Store, agent_id: str) -> Any:
    return next(r for r in store.leaderboard() if r.agent_id == agent_id)


def assert_rollups_exact(store: Store) -> None:
    """Maintained rollups answer as the raw tables, and as a rebuild."""
    raw = Store(store.url)
    raw.use_rollups = False
    try:
        assert _all_reports(store, Filters()) == _all_reports(raw, Filters())
        assert _all_reports(store, Filters(agent_id="a-ru")) == \
            _all_reports(raw, Filters(agent_id="a-ru"))
    finally:
        raw.close()
    kept = _rows(store)
    store.rebuild_rollups()
    assert _rows(store) == kept


def test_a_review_becomes_the_final_score_everywhere(desk: Desk) -> None:
    store = desk.desk.ws.store
    auto = desk.evaluations["ru-1"]
    assert auto.score == 95.7 and "ru-1" not in _ids(store, GREETING_FAILED)
    before = _agent(store, "a-ru").mean_score
    greeting_before = {c.criterion_id: c.failed for c in store.criterion_pass_rates()}["greeting"]
    review = desk.reviews.create(desk.users["olga"], "ru-1",
                                 [VerdictIn("greeting", "fail", "Нет приветствия по стандарту"),
                                  VerdictIn("no_rudeness", "fail")], submit=True)
    assert review["score"] == 0.0 and review["passed"] is False  # a critical criterion

    row = _row(store, "ru-1")
    assert (row.score, row.passed) == (95.7, True)  # the automatic one, still visible
    assert (row.final_score, row.final_passed, row.final_review_id) == (0.0, False, review["id"])
    assert row.to_dict()["reviewed"] is True and not _row(store, "ru-2").reviewed
    assert store.get_evaluation("ru-1").score == 95.7  # the evaluation JSON is unchanged

    assert "ru-1" in _ids(store, GREETING_FAILED)
    assert "ru-1" not in _ids(store, F(min_score=90)) and "ru-1" in _ids(store, F(max_score=10))
    assert store.list_conversations(GREETING_FAILED).total == len(_ids(store, GREETING_FAILED))
    after = _agent(store, "a-ru").mean_score
    assert after is not None and before is not None and after < before
    greeting = {c.criterion_id: c.failed for c in store.criterion_pass_rates()}["greeting"]
    assert greeting == greeting_before + 1
    assert_rollups_exact(store)


def test_an_accepted_dispute_changes_the_final_score(desk: Desk) -> None:
    store = desk.desk.ws.store
    review = desk.reviews.create(desk.users["olga"], "kk-1",
                                 [VerdictIn("greeting", "fail", "Сәлемдесу жоқ")], submit=True)
    assert _row(store, "kk-1").final_score == review["score"]
    dispute = desk.desk.disputes.open(desk.users["kk-agent"], review["id"],
                                      "Мен «Сәлеметсіз бе» дедім, қараңызшы.")
    desk.desk.disputes.reject(desk.users["lead"], dispute["id"], "Жоқ.")
    assert _row(store, "kk-1").final_review_id == review["id"]
    again = desk.desk.disputes.open(desk.users["kk-agent"], review["id"], "Тағы қараңыз.")
    done = desk.desk.disputes.accept(desk.users["lead"], again["id"], "Иә, дұрыс.",
                                     [VerdictIn("greeting", "pass")])
    row = _row(store, "kk-1")
    assert row.final_review_id == done["resolution_review_id"] != review["id"]
    assert row.final_score == desk.evaluations["kk-1"].score == row.score  # as automatic now
    assert "kk-1" not in _ids(store, GREETING_FAILED)
    assert desk.reviews.final("kk-1")["id"] == done["resolution_review_id"]
    assert_rollups_exact(store)


def test_rescoring_keeps_a_review_of_the_same_scorecard_only(desk: Desk, scored) -> None:
    ws = desk.desk.ws
    store = ws.store
    review = desk.reviews.create(desk.users["olga"], "en-1",
                                 [VerdictIn("closing", "fail", "Too casual")], submit=True)
    human = review["score"]
    store.save_many([p for p in scored if p[0].id == "en-1"])  # re-ingested: same scorecard
    assert (_row(store, "en-1").final_score, _row(store, "en-1").reviewed) == (human, True)
    assert "en-1" in _ids(store, F(failed_criterion="closing"))

    phone = ws.rescore("en-1", "phone")  # another standard: the review does not apply
    row = _row(store, "en-1")
    assert (row.scorecard, row.final_score, row.reviewed) == ("phone", phone.score, False)
    assert desk.reviews.final("en-1") is None
    assert len(desk.reviews.list(desk.users["lead"], "en-1")["items"]) == 1  # history kept
    assert_rollups_exact(store)

    ws.rescore("en-1", "chat")  # back to the scorecard it was reviewed with
    assert (_row(store, "en-1").final_score, _row(store, "en-1").reviewed) == (human, True)
    assert_rollups_exact(store)


def test_calibration_grades_and_drafts_are_never_final(desk: Desk) -> None:
    store = desk.desk.ws.store
    desk.reviews.create(desk.users["olga"], "hu-1", [VerdictIn("greeting", "fail")])  # draft
    session = desk.desk.calibration.create(desk.users["lead"], "Kalibráció", ["hu-1"],
                                           ["petr", "zhanna"])
    desk.reviews.create(desk.users["petr"], "hu-1", [VerdictIn("greeting", "fail")],
                        calibration_session_id=session["id"], submit=True)
    row = _row(store, "hu-1")
    assert (row.final_score, row.reviewed) == (row.score, False)
    assert_rollups_exact(store)


def test_reviews_racing_a_reingest_keep_the_rollups_exact(desk: Desk, scored) -> None:
    """A reviewer submitting while a writer re-ingests the same conversations: both take
    the writers' lock, so the sums stay those a rebuild would make, on both backends."""
    import threading

    store = desk.desk.ws.store
    errors: list[BaseException] = []

    def reingest() -> None:
        writer = Store(store.url)
        try:
            for _ in range(6):
                writer.save_many(scored, batch_size=3)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            writer.close()

    def review() -> None:
        try:
            for name, cid in (("olga", "ru-1"), ("petr", "kk-1"), ("zhanna", "hu-1"),
                              ("olga", "cs-1"), ("petr", "en-1"), ("zhanna", "ru-1")):
                desk.reviews.create(desk.users[name], cid, [VerdictIn("greeting", "fail")],
                                    submit=True)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=reingest), threading.Thread(target=review)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {r.id for r in store.list_conversations(limit=100).items if r.reviewed} == \
        {"ru-1", "kk-1", "hu-1", "cs-1", "en-1"}
    assert_rollups_exact(store)
