"""Save and read back: full JSON round trip, idempotent re-ingest, streaming batches."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from serviceqa.errors import InputError, NotFound
from serviceqa.model import Conversation, Evaluation
from serviceqa.store import Store
from serviceqa.store.schema import ConversationRow
from serviceqa.store.writer import write_batch
from tests.store.factory import conversation, evaluation

NATIVE = {
    "ru": "Здравствуйте! Меня зовут Анна, отдел доставки.",
    "kk": "Сәлеметсіз бе! Менің атым Әсел, қалай көмектесе аламын?",
    "hu": "Jó napot kívánok! Miben segíthetek? Köszönöm, hogy írt, elnézést a késő válaszért.",
    "cs": "Dobrý den, jmenuji se Jiří, řeknu vám, co dál. Přeji hezký den.",
}


def _scalar(store: Store, sql: str, **params: object) -> object:
    with store.engine.connect() as connection:
        return connection.scalar(text(sql), params)


@pytest.mark.parametrize("language", sorted(NATIVE))
def test_round_trip_keeps_full_json(store: Store, language: str) -> None:
    conv = conversation("c-1", text=NATIVE[language], language=language,
                        metadata={"note": NATIVE[language], "rings_before_answer": 2},
                        source_system="helpdesk-ő")  # an unknown key is kept too
    ev = evaluation("c-1", 87.5, criteria={"greeting": "pass", "closing": "fail"},
                    alerts=["callback"], types=["offended"], language=language,
                    metrics={"first_response_s": 12.0, "csat": None})
    store.save(conv, ev)
    assert store.get_conversation("c-1") == conv
    assert store.get_conversation("c-1").model_dump(mode="json") == conv.model_dump(mode="json")
    assert store.get_evaluation("c-1") == ev


def test_json_is_stored_readable_not_escaped(store: Store) -> None:
    store.save(conversation("c-1", text=NATIVE["kk"]), None)
    assert NATIVE["kk"] in str(_scalar(store, "SELECT CAST(data AS TEXT) FROM conversations"))


def test_started_at_column_is_utc_aware(store: Store) -> None:
    store.save(conversation("c-1", started_at="2026-11-02T15:15:00+05:00"), None)
    with store.engine.connect() as connection:
        started = connection.scalar(select(ConversationRow.started_at))
    assert started == datetime(2026, 11, 2, 10, 15, tzinfo=timezone.utc)
    assert started.tzinfo is not None


def test_conversation_without_evaluation(store: Store) -> None:
    store.save(conversation("c-1", agent=None), None)
    assert store.count_conversations() == 1
    assert store.get_conversation("c-1").id == "c-1"
    with pytest.raises(NotFound):
        store.get_evaluation("c-1")


def test_missing_ids_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="c-404"):
        store.get_conversation("c-404")
    with pytest.raises(NotFound):
        store.get_evaluation("c-404")


def test_evaluation_of_another_conversation_is_refused(store: Store) -> None:
    with pytest.raises(InputError, match="conversation_id"):
        store.save(conversation("c-1"), evaluation("c-2"))
    assert store.count_conversations() == 0


def _child_counts(store: Store) -> dict[str, object]:
    tables = ("evaluations", "criterion_results", "alerts", "customer_types")
    return {t: _scalar(store, f"SELECT COUNT(*) FROM {t}") for t in tables}


def test_same_id_twice_updates_and_replaces(store: Store) -> None:
    store.save(conversation("c-1", text="first"),
               evaluation("c-1", 50.0, False, criteria={"greeting": "fail", "closing": "fail"},
                          alerts=["callback", "sla_breach"], types=["rude", "chatty"]))
    ingested = _scalar(store, "SELECT ingested_at FROM conversations")
    store.save(conversation("c-1", agent="a-2", text="second"),
               evaluation("c-1", 90.0, True, criteria={"greeting": "pass"},
                          alerts=["safety"], types=["offended"]))
    assert store.count_conversations() == 1
    assert store.get_conversation("c-1").messages[0].text == "second"
    assert store.get_evaluation("c-1").score == 90.0
    assert [(r.criterion_id, r.passed, r.failed) for r in store.criterion_pass_rates()] == [
        ("greeting", 1, 0)]
    assert store.alert_counts() == {"safety": 1}
    assert _child_counts(store) == {"evaluations": 1, "criterion_results": 1, "alerts": 1,
                                    "customer_types": 1}
    assert _scalar(store, "SELECT type FROM customer_types") == "offended"
    assert _scalar(store, "SELECT agent_id FROM conversations") == "a-2"
    assert _scalar(store, "SELECT ingested_at FROM conversations") == ingested


def test_reingest_without_evaluation_drops_the_old_one(store: Store) -> None:
    store.save(conversation("c-1"), evaluation("c-1", alerts=["callback"], types=["rude"]))
    store.save(conversation("c-1"), None)
    with pytest.raises(NotFound):
        store.get_evaluation("c-1")
    assert set(_child_counts(store).values()) == {0}


def test_repeated_id_inside_one_batch_keeps_the_last(store: Store) -> None:
    pairs = [(conversation("c-1", text="v1"), evaluation("c-1", 10.0)),
             (conversation("c-1", text="v2"), evaluation("c-1", 20.0))]
    assert store.save_many(pairs) == 2
    assert store.count_conversations() == 1
    assert store.get_evaluation("c-1").score == 20.0


def test_deleting_a_conversation_cascades(store: Store) -> None:
    store.save(conversation("c-1"), evaluation("c-1", alerts=["safety"], types=["rude"]))
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM conversations WHERE id = 'c-1'"))
    assert set(_child_counts(store).values()) == {0}


def test_save_many_streams_in_batches(store: Store) -> None:
    seen_at: dict[int, object] = {}

    def pairs() -> Iterator[tuple[Conversation, Evaluation | None]]:
        for i in range(1200):
            if i in (500, 1000):  # the previous batch is committed before the next is read
                seen_at[i] = store.count_conversations()
            cid = f"c-{i}"
            yield conversation(cid, agent=f"a-{i % 7}"), (evaluation(cid) if i % 3 else None)

    assert store.save_many(pairs(), batch_size=500) == 1200
    assert seen_at == {500: 500, 1000: 1000}
    assert store.count_conversations() == 1200
    assert _scalar(store, "SELECT COUNT(*) FROM evaluations") == 800


def test_batch_size_must_be_positive(store: Store) -> None:
    with pytest.raises(ValueError):
        store.save_many([], batch_size=0)


def _wait_for_a_lock_wait(store: Store, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        waiting = _scalar(store, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type"
                                 " = 'Lock' AND datname = current_database()")
        if waiting:
            return
        time.sleep(0.05)
    pytest.fail("the second writer never waited for the first")


def test_concurrent_writers_of_a_new_id_both_succeed(pg_url: str) -> None:
    """PostgreSQL, two ingests at once: the second waits for the first, then updates.

    With SELECT-then-INSERT the second would not see the first's uncommitted row and
    fail on the primary key once the first commits.
    """
    first, second = Store(pg_url), Store(pg_url)
    first.upgrade()
    errors: list[BaseException] = []

    def write_second() -> None:
        try:
            second.save(conversation("c-1", text="second"),
                        evaluation("c-1", 20.0, alerts=["safety"], types=["rude"]))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    with Session(first.engine) as session, session.begin():
        write_batch(session, [(conversation("c-1", text="first"),
                               evaluation("c-1", 10.0, alerts=["callback"]))],
                    datetime.now(timezone.utc))
        thread = threading.Thread(target=write_second)
        thread.start()
        _wait_for_a_lock_wait(first)
    thread.join(timeout=30)
    assert errors == []
    assert first.count_conversations() == 1
    assert first.get_conversation("c-1").messages[0].text == "second"
    assert first.get_evaluation("c-1").score == 20.0
    assert first.alert_counts() == {"safety": 1}
    assert _child_counts(first) == {"evaluations": 1, "criterion_results": 1, "alerts": 1,
                                    "customer_types": 1}
    first.close()
    second.close()
