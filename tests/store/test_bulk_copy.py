"""The PostgreSQL bulk path (COPY) stores exactly the rows the plain INSERTs store, on
either backend's reading, and re-ingesting through it replaces instead of duplicating."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from serviceqa.store import Store, default_url
from serviceqa.store.migrate import alembic_config
from serviceqa.store.schema import (AlertRow, ConversationRow, CriterionResultRow,
                                    CustomerTypeRow, EvaluationRow)
from serviceqa.store.writer import Pair, write_batch

from .factory import conversation, evaluation

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
TABLES = (ConversationRow, EvaluationRow, CriterionResultRow, AlertRow, CustomerTypeRow)


def _pairs() -> list[Pair]:
    """Awkward values on purpose: Cyrillic and quotes, tabs and backslashes (COPY's own
    escapes), no agent, no score, repeated ids in one batch, naive times."""
    return [
        (conversation("c-1", text="Сәлеметсіз бе!\t\"Tab\" \\ back\nslash"),
         evaluation("c-1", criteria={"greeting": "pass", "closing": "na"},
                    alerts=["callback", "safety"], types=["rude", "chatty"])),
        (conversation("c-2", agent=None, started_at="2026-11-03T08:00:00"),
         evaluation("c-2", score=None, passed=False, criteria={"greeting": "fail"})),
        (conversation("c-3"), None),
        (conversation("c-1", text="Dobrý den, řekněte mi"),
         evaluation("c-1", score=55.5, alerts=["sla_breach"], types=["offended"])),
    ]


def _write(store: Store, pairs: list[Pair], use_copy: bool) -> None:
    with Session(store.engine) as session, session.begin():
        write_batch(session, pairs, NOW, use_copy=use_copy)


def _rows(store: Store) -> dict[str, list[Any]]:
    """Every row of the written tables, alert ids left out (a sequence, not content)."""
    tables: dict[str, list[Any]] = {}
    with store.engine.connect() as connection:
        for model in TABLES:
            columns = [c for c in model.__table__.columns
                       if c.name != "id" or model is not AlertRow]
            order = [c for c in columns if c.name in ("id", "conversation_id", "criterion_id",
                                                         "kind", "type")]
            rows = connection.execute(select(*columns).order_by(*order)).all()
            tables[model.__tablename__] = [tuple(r) for r in rows]
    return tables


@pytest.fixture
def pg_store(pg_url: str) -> Any:
    store = Store(pg_url)
    store.upgrade()
    yield store
    store.close()


def test_copy_stores_the_rows_inserts_store(pg_store: Store, tmp_path: Any) -> None:
    _write(pg_store, _pairs(), use_copy=False)
    inserted = _rows(pg_store)
    _write(pg_store, _pairs(), use_copy=True)  # a re-ingest, now through COPY
    copied = _rows(pg_store)
    sqlite = Store(default_url(tmp_path / "s.db"))
    sqlite.upgrade()
    _write(sqlite, _pairs(), use_copy=False)
    assert copied == inserted == _rows(sqlite)
    sqlite.close()
    assert len(copied["alerts"]) == 1 and len(copied["customer_types"]) == 1
    assert pg_store.get_conversation("c-1").messages[0].text == "Dobrý den, řekněte mi"


def test_copy_reingest_replaces_children(pg_store: Store) -> None:
    _write(pg_store, _pairs(), use_copy=True)
    first = _rows(pg_store)
    _write(pg_store, _pairs(), use_copy=True)
    assert _rows(pg_store) == first
    _write(pg_store, [(conversation("c-2"), evaluation("c-2", criteria={"closing": "pass"}))],
           use_copy=True)
    results = _rows(pg_store)["criterion_results"]
    assert [r[:3] for r in results if r[0] == "c-2"] == [("c-2", "closing", "pass")]


def test_save_many_uses_copy_on_postgresql(pg_store: Store) -> None:
    pg_store.save_many(_pairs(), batch_size=2)
    pg_store.save_many(_pairs(), batch_size=3)
    assert pg_store.count_conversations() == 3
    assert pg_store.get_evaluation("c-1").score == 55.5
    assert {r[1] for r in _rows(pg_store)["alerts"]} == {"sla_breach"}


def test_a_batch_of_new_and_known_ids_replaces_only_the_known_ones(pg_store: Store) -> None:
    _write(pg_store, [(conversation("c-1"), evaluation("c-1", alerts=["callback"]))], True)
    _write(pg_store, [(conversation("c-1"), evaluation("c-1", alerts=["safety"])),
                      (conversation("c-9"), evaluation("c-9", alerts=["callback"]))], True)
    assert [r[:2] for r in _rows(pg_store)["alerts"]] == [("c-1", "safety"), ("c-9", "callback")]


def _compression(store: Store) -> dict[str, str]:
    query = text("SELECT attrelid::regclass::text, attcompression FROM pg_attribute "
                 "WHERE attname = 'data' AND attrelid IN ('conversations'::regclass, "
                 "'evaluations'::regclass)")
    with store.engine.connect() as connection:
        return {table: method for table, method in connection.execute(query)}


def test_the_dumps_are_stored_with_lz4(pg_store: Store) -> None:
    """Migration 0011 (a bulk load's COPY of large JSON values: pglz was a third of it)."""
    assert _compression(pg_store) == {"conversations": "l", "evaluations": "l"}
    big = conversation("c-big", text="Dobrý den, " + "objednávka číslo 42. " * 200)
    _write(pg_store, [(big, evaluation("c-big"))], use_copy=True)
    with pg_store.engine.connect() as connection:
        method = connection.scalar(text("SELECT pg_column_compression(data) FROM "
                                        "conversations WHERE id = 'c-big'"))
    assert method == "lz4"
    assert pg_store.get_conversation("c-big") == big
    config = alembic_config()
    with pg_store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
    assert _compression(pg_store) == {"conversations": "p", "evaluations": "p"}
