"""human_verdicts: the contract the learning side reads (latest submitted, no calibration)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert

from serviceqa.review.store import human_verdicts
from serviceqa.store import Store
from serviceqa.store.schema_review import CalibrationSessionRow, ReviewRow, ReviewVerdictRow
from tests.store.factory import conversation, evaluation

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=timezone.utc)


def _review(store: Store, cid: str, verdicts: dict[str, tuple[str, str | None]], *,
            status: str = "submitted", minutes: int = 0, kind: str = "review",
            session: int | None = None, reviewer: int | None = None) -> int:
    at = T0 + timedelta(minutes=minutes)
    with store.engine.begin() as connection:
        review_id = connection.execute(insert(ReviewRow).values(
            conversation_id=cid, reviewer_id=reviewer, scorecard="chat", kind=kind,
            status=status, score=None, calibration_session_id=session, created_at=at,
            submitted_at=at if status == "submitted" else None)).inserted_primary_key[0]
        for criterion, (result, auto) in verdicts.items():
            connection.execute(insert(ReviewVerdictRow).values(
                review_id=review_id, criterion_id=criterion, result=result, auto_result=auto))
    return int(review_id)


def test_latest_submitted_non_calibration_review_wins(store: Store) -> None:
    for cid in ("ru-1", "kk-1", "hu-1"):
        store.save(conversation(cid), evaluation(cid))
    reviewer = store.accounts.add_user("petra", "reviewer")[0].id
    _review(store, "ru-1", {"greeting": ("fail", "pass")}, minutes=0, reviewer=reviewer)
    _review(store, "ru-1", {"greeting": ("pass", "pass"), "closing": ("na", "fail")},
            minutes=5, kind="resolution")
    _review(store, "ru-1", {"greeting": ("fail", "pass")}, minutes=9, status="draft")
    with store.engine.begin() as connection:
        session = connection.execute(insert(CalibrationSessionRow).values(
            title="t", status="open", created_at=T0)).inserted_primary_key[0]
    _review(store, "kk-1", {"greeting": ("fail", "pass")}, kind="calibration", session=session)
    _review(store, "hu-1", {"empathy": ("pass", None)}, reviewer=reviewer)
    assert list(human_verdicts(store)) == [
        ("hu-1", "empathy", "pass", None, reviewer),
        ("ru-1", "closing", "na", "fail", None),
        ("ru-1", "greeting", "pass", "pass", None),
    ]
    assert list(human_verdicts(store.engine)) == list(human_verdicts(store))


def test_0005_goes_down_and_up_again(store: Store) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from serviceqa.store.migrate import alembic_config

    tables = {"reviews", "review_verdicts", "review_assignments", "review_rules", "disputes",
              "dispute_events", "calibration_sessions", "calibration_items",
              "calibration_reviewers", "coaching_notes"}
    assert tables <= set(inspect(store.engine).get_table_names())
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    assert not tables & set(inspect(store.engine).get_table_names())
    store.upgrade()
    assert tables <= set(inspect(store.engine).get_table_names())


def test_deleting_a_reviewer_keeps_their_reviews(store: Store) -> None:
    store.save(conversation("cs-9"), evaluation("cs-9"))
    reviewer = store.accounts.add_user("jana", "reviewer")[0].id
    _review(store, "cs-9", {"greeting": ("fail", "pass")}, reviewer=reviewer)
    store.accounts.delete_user("jana")
    assert list(human_verdicts(store)) == [("cs-9", "greeting", "fail", "pass", None)]


def test_order_is_by_bytes_on_every_backend(store: Store) -> None:
    """ICU collation would put 'no_rudeness' before 'nobody' and 'Z' after 'a'."""
    for cid in ("kk-b", "kk-a", "KK-z"):
        store.save(conversation(cid), evaluation(cid))
    for cid in ("kk-b", "kk-a", "KK-z"):
        _review(store, cid, {"no_rudeness": ("pass", "pass"), "nobody": ("na", None)})
    assert [(c, k) for c, k, *_ in human_verdicts(store)] == [
        ("KK-z", "no_rudeness"), ("KK-z", "nobody"), ("kk-a", "no_rudeness"),
        ("kk-a", "nobody"), ("kk-b", "no_rudeness"), ("kk-b", "nobody")]
