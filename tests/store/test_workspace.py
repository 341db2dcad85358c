"""The workspace side of the store: accounts, sessions, stored scorecards, alert
acknowledgements and paged lists, on each backend."""

from __future__ import annotations

from datetime import timedelta

import pytest

from serviceqa.errors import Conflict, InputError, NotFound
from serviceqa.store import Filters, Store
from tests.store.factory import conversation, evaluation


def test_user_token_is_stored_hashed_and_finds_the_user(store: Store) -> None:
    user, token = store.accounts.add_user("Aigerim", "agent", agent_id="a-1")
    assert store.accounts.user_for_token(token) == user
    assert store.accounts.user_for_token(token + "x") is None
    with store.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT token_hash FROM api_tokens").scalar()
    assert stored != token and len(stored) == 64


@pytest.mark.parametrize("name, role, agent_id, field", [
    ("x", "boss", None, "role"),
    ("x", "agent", None, "agent_id"),
    (" ", "admin", None, "name"),
])
def test_bad_user_names_the_field(store: Store, name: str, role: str, agent_id: str | None,
                                  field: str) -> None:
    with pytest.raises(InputError) as error:
        store.accounts.add_user(name, role, agent_id)
    assert error.value.field == field


def test_duplicate_user_is_a_conflict(store: Store) -> None:
    store.accounts.add_user("Petra", "lead")
    with pytest.raises(Conflict):
        store.accounts.add_user("Petra", "reviewer")


def test_password_is_argon2_and_checked(store: Store) -> None:
    store.accounts.add_user("Zsófia", "reviewer", password="jelszó-123")
    assert store.accounts.check_password("Zsófia", "jelszó-123") is not None
    assert store.accounts.check_password("Zsófia", "wrong") is None
    assert store.accounts.check_password("nobody", "jelszó-123") is None
    with store.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT password_hash FROM users").scalar()
    assert stored.startswith("$argon2id$")


def test_session_carries_csrf_token_and_expires(store: Store) -> None:
    user, _ = store.accounts.add_user("Jana", "lead")
    cookie, csrf = store.accounts.start_session(user)
    found = store.accounts.session_for(cookie)
    assert found is not None and found.user == user and found.csrf_token == csrf
    old, _ = store.accounts.start_session(user, ttl=timedelta(seconds=-1))
    assert store.accounts.session_for(old) is None
    store.accounts.start_session(user)  # and a new login clears the expired one away
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM sessions").scalar() == 2
    store.accounts.end_session(cookie)
    assert store.accounts.session_for(cookie) is None


def test_deleting_a_user_revokes_its_tokens(store: Store) -> None:
    _, token = store.accounts.add_user("Tom", "reviewer")
    store.accounts.delete_user("Tom")
    assert store.accounts.user_for_token(token) is None
    with pytest.raises(NotFound):
        store.accounts.delete_user("Tom")


def test_webhook_source_secret(store: Store) -> None:
    secret = store.accounts.add_webhook_source("zammad")
    assert store.accounts.webhook_secret("zammad") == secret
    assert store.accounts.webhook_secret("other") is None
    with pytest.raises(Conflict):
        store.accounts.add_webhook_source("zammad")


def test_scorecard_crud(store: Store) -> None:
    store.save_scorecard("strict", "name: strict\n", "ann", create=True)
    with pytest.raises(Conflict):
        store.save_scorecard("strict", "name: strict\n", "ann", create=True)
    store.save_scorecard("strict", "name: strict\npass_score: 90\n", "bob", create=False)
    row = store.get_scorecard("strict")
    assert "90" in row.yaml and row.updated_by == "bob"
    assert store.scorecard_names() == ["strict"]
    store.delete_scorecard("strict")
    with pytest.raises(NotFound):
        store.get_scorecard("strict")
    with pytest.raises(NotFound):
        store.save_scorecard("strict", "x", None, create=False)


def _seed(store: Store) -> None:
    store.save_many([
        (conversation("c-1", "a-1", team="Almaty"),
         evaluation("c-1", 40.0, False, criteria={"greeting": "fail"}, alerts=["callback"])),
        (conversation("c-2", "a-2", team="Praha"), evaluation("c-2", 95.0, alerts=["safety"])),
        (conversation("c-3", "a-1", team="Almaty"), None),
    ])


def test_conversation_list_filters_and_pages(store: Store) -> None:
    _seed(store)
    page = store.list_conversations(limit=2)
    assert page.total == 3 and len(page.items) == 2
    assert [i.id for i in store.list_conversations(limit=2, offset=2).items] == ["c-3"]
    assert [i.id for i in store.list_conversations(Filters(agent_id="a-1")).items] == \
        ["c-1", "c-3"]
    scored = store.list_conversations(Filters(min_score=50)).items
    assert [(i.id, i.score, i.passed) for i in scored] == [("c-2", 95.0, True)]
    failed = store.list_evaluations(Filters(failed_criterion="greeting"))
    assert [e.conversation_id for e in failed.items] == ["c-1"]


def test_acknowledgement_survives_rescoring(store: Store) -> None:
    _seed(store)
    alerts = store.list_alerts().items
    assert [a.kind for a in alerts] == ["safety", "callback"]  # safety first
    callback = alerts[1]
    done = store.acknowledge(callback.id, "Petra")
    assert done.acknowledged and done.acknowledged_by == "Petra"
    store.save(conversation("c-1", "a-1"), evaluation("c-1", 41.0, alerts=["callback"]))
    again = store.list_alerts(kind="callback").items
    assert again[0].id != callback.id and again[0].acknowledged
    assert [a.kind for a in store.list_alerts(acknowledged=False).items] == ["safety"]
    with pytest.raises(NotFound):
        store.acknowledge(10_000, None)


def test_leaderboard_takes_filters(store: Store) -> None:
    _seed(store)
    assert [r.agent_id for r in store.leaderboard(filters=Filters(team="Praha"))] == ["a-2"]


def test_leaderboard_of_a_period_counts_its_alerts_only(store: Store) -> None:
    november = conversation("c-1", "a-1")
    december = conversation("c-2", "a-1", started_at="2026-12-03T10:00:00Z")
    store.save(november, evaluation("c-1", alerts=["callback"]))
    store.save(december, evaluation("c-2", alerts=["safety", "sla_breach"]))
    month = Filters(since=november.started_at, until=november.started_at + timedelta(days=20))
    assert [(r.evaluations, r.alerts) for r in store.leaderboard(filters=month)] == [(1, 1)]
    assert [(r.evaluations, r.alerts) for r in store.leaderboard()] == [(2, 3)]


WORKSPACE_TABLES = {"users", "api_tokens", "sessions", "scorecards", "alert_acknowledgements",
                    "webhook_sources"}


def test_0003_adds_the_workspace_tables_and_goes_back(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from serviceqa.store import upgrade
    from serviceqa.store.migrate import alembic_config

    store = Store(db_url)
    store.upgrade()  # written at head: today's writer knows only today's columns
    store.save(conversation("c-1"), evaluation("c-1", 75.0, alerts=["callback"]))
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    assert not WORKSPACE_TABLES & set(inspect(store.engine).get_table_names())
    upgrade(db_url, "0003")
    assert WORKSPACE_TABLES <= set(inspect(store.engine).get_table_names())
    store.upgrade()
    assert store.get_evaluation("c-1").score == 75.0  # 0002's data is kept
    store.accounts.add_user("Ann", "admin")
    store.acknowledge(store.list_alerts().items[0].id, "Ann")
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    assert not WORKSPACE_TABLES & set(inspect(store.engine).get_table_names())
    assert store.get_evaluation("c-1").score == 75.0
    store.upgrade()
    assert store.accounts.users() == []
    store.close()
