"""The packaged migrations create the schema the models describe, from any directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, inspect, text
from sqlalchemy.exc import IntegrityError

from serviceqa.store import Store, default_url, make_engine, upgrade
from serviceqa.store.engine import normalise_url
from serviceqa.store.migrate import alembic_config, head_revision
from serviceqa.store.schema import metadata
from tests.store.factory import conversation, evaluation

TABLES = {"conversations", "evaluations", "criterion_results", "alerts", "customer_types"}


def _diffs(url: str, target: MetaData) -> list[Any]:
    engine = make_engine(url)
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), target)
    engine.dispose()
    return diffs


def test_upgrade_creates_tables_from_another_directory(db_url: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no alembic.ini here: the config is built in code
    url = db_url
    upgrade(url)
    engine = make_engine(url)
    assert TABLES <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()
    engine.dispose()


def test_upgrade_twice_is_a_no_op(store: Store) -> None:
    store.upgrade()
    assert TABLES <= set(inspect(store.engine).get_table_names())


def test_migration_matches_models(store: Store) -> None:
    assert _diffs(store.url, metadata) == []


def test_comparison_would_notice_a_difference(store: Store) -> None:
    """Guard the guard: a model change without a migration must show up as a diff."""
    changed = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["alerts"].append_column(Column("severity", Integer))
    assert [d[0] for d in _diffs(store.url, changed)] == ["add_column"]


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = Store(default_url(tmp_path / "db.sqlite"))
    store.upgrade()
    with store.engine.connect() as connection:
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA foreign_keys")) == 1
    store.close()


def test_constraint_names_follow_the_models(store: Store) -> None:
    """compare_metadata skips CHECK constraints, so their names and effect are checked here."""
    checks = inspect(store.engine).get_check_constraints("criterion_results")
    assert [c["name"] for c in checks] == ["ck_criterion_results_result"]
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(text("INSERT INTO conversations (id, message_count, data, ingested_at,"
                                " updated_at) VALUES ('c', 1, '{}', '2026-01-01', '2026-01-01')"))
        connection.execute(text("INSERT INTO criterion_results"
                                " (conversation_id, criterion_id, result, weight)"
                                " VALUES ('c', 'greeting', 'nope', 1)"))  # fits String(4)


def _index_names(engine: Any, table: str) -> set[str]:
    return {i["name"] for i in inspect(engine).get_indexes(table)}


def _downgrade(store: Store, revision: str) -> None:
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_0002_keeps_the_data_and_swaps_the_indexes_both_ways(db_url: str) -> None:
    # Data is written at head (today's writer knows only today's columns), then the
    # migrations are run down to 0001 and up again through it.
    store = Store(db_url)
    store.upgrade()
    store.save(conversation("c-1"), evaluation("c-1", 75.0, alerts=["callback"]))
    _downgrade(store, "0001")
    assert "ix_conversations_agent_id" in _index_names(store.engine, "conversations")
    assert "ix_evaluations_score" not in _index_names(store.engine, "evaluations")
    upgrade(db_url, "0002")
    assert {"ix_conversations_agent_id_started_at", "ix_conversations_team_started_at",
            "ix_conversations_channel_started_at", "ix_conversations_language_started_at",
            "ix_conversations_started_at"} == _index_names(store.engine, "conversations")
    assert "ix_evaluations_score" in _index_names(store.engine, "evaluations")
    store.upgrade()
    assert store.get_evaluation("c-1").score == 75.0
    assert store.report("agent")[0].evaluations == 1  # 0007 summed what was there
    assert _diffs(store.url, metadata) == []
    store.close()


@pytest.mark.parametrize(("given", "used"), [
    ("postgresql://qa@db/serviceqa", "postgresql+psycopg://qa@db/serviceqa"),
    ("postgres://qa:p%40ss@db:5433/serviceqa", "postgresql+psycopg://qa:p%40ss@db:5433/serviceqa"),
    ("postgresql+psycopg://qa@db/serviceqa", "postgresql+psycopg://qa@db/serviceqa"),
    ("sqlite:///qa.db", "sqlite:///qa.db"),
])
def test_plain_postgresql_urls_use_psycopg_3(given: str, used: str) -> None:
    assert normalise_url(given) == used


def _finals(store: Store) -> set[tuple[Any, ...]]:
    with store.engine.connect() as connection:
        scores = connection.execute(text(
            "SELECT conversation_id, final_score, final_passed, final_review_id"
            " FROM evaluations")).all()
        results = connection.execute(text(
            "SELECT conversation_id, criterion_id, final_result FROM criterion_results")).all()
    return {tuple(r) for r in scores} | {tuple(r) for r in results}


def test_0009_backfills_the_final_scores_the_review_service_keeps(db_url: str) -> None:
    from tests.store.test_rollups import _history_with_reviews, _rows

    store = Store(db_url)
    store.upgrade()
    _history_with_reviews(store, 7)
    kept, rollups = _finals(store), _rows(store)
    assert any(row[3] is not None for row in kept if len(row) == 4)  # some are reviewed
    _downgrade(store, "0008")
    assert "final_score" not in {c["name"] for c in inspect(store.engine)
                                 .get_columns("evaluations")}
    assert "ix_evaluations_score" in _index_names(store.engine, "evaluations")
    automatic = _rows(store)  # 0008's rollups: the automatic scores
    assert automatic != rollups
    store.upgrade()
    assert _finals(store) == kept and _rows(store) == rollups
    assert _diffs(store.url, metadata) == []
    store.close()
