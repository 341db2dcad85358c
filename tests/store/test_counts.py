"""List totals are remembered, and forgotten on every commit of this process (so they are
exact here) or after `max_age` (another process's writes)."""

from __future__ import annotations

import time

from serviceqa.store import Filters, Store
from tests.store.factory import conversation, evaluation


def test_a_total_follows_this_process_writes(store: Store) -> None:
    store.save(conversation("t-1"), evaluation("t-1", 90.0))
    assert store.list_conversations(Filters(min_score=60)).total == 1
    store.save(conversation("t-2"), evaluation("t-2", 70.0))
    assert store.list_conversations(Filters(min_score=60)).total == 2
    assert store.list_evaluations(Filters(min_score=80)).total == 1
    assert store.list_conversations(Filters(min_score=60), limit=1, offset=1).total == 2


def test_any_commit_forgets_the_totals(store: Store) -> None:
    store.save(conversation("a-1"), evaluation("a-1", 20.0, False, alerts=["callback"]))
    open_alerts = store.list_alerts(acknowledged=False)
    assert open_alerts.total == 1
    store.acknowledge(open_alerts.items[0].id, "lead")
    assert store.list_alerts(acknowledged=False).total == 0


def test_another_process_writes_show_after_max_age(store: Store) -> None:
    store.save(conversation("o-1"), evaluation("o-1", 90.0))
    store.counts.max_age = 0.2
    assert store.list_conversations().total == 1
    other = Store(store.url)
    try:
        other.save(conversation("o-2"), evaluation("o-2", 90.0))
    finally:
        other.close()
    page = store.list_conversations()
    assert len(page.items) == 2  # the rows are always read
    assert page.total in (1, 2)  # the total may lag by up to max_age
    time.sleep(0.25)
    assert store.list_conversations().total == 2


def test_a_count_made_across_a_commit_is_not_remembered(store: Store) -> None:
    cache, counted = store.counts, []

    def count_while_someone_commits() -> int:
        counted.append(1)
        store.save(conversation(f"x-{len(counted)}"), evaluation(f"x-{len(counted)}"))
        return 41

    assert cache.total("k", count_while_someone_commits) == 41
    assert cache.total("k", lambda: 42) == 42  # the first count was not kept
    assert cache.total("k", lambda: 43) == 42
