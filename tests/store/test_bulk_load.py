"""The bulk load (`Store.save_many(bulk=True)`): a writer thread stores one batch while the
caller's thread prepares the next. A failure keeps the batch-by-batch promise: batches
before it are committed, the failing one and those after it are not, and the error is the
first one in batch order."""

from __future__ import annotations

from typing import Any

import pytest

from serviceqa.errors import InputError
from serviceqa.store import Store, repository
from tests.store.factory import conversation, evaluation


def _pairs(count: int) -> list[Any]:
    return [(conversation(f"b-{n:02d}", f"a-{n % 3}"), evaluation(f"b-{n:02d}", 10.0 * n))
            for n in range(count)]


def _stored(store: Store) -> list[str]:
    return [row.id for row in store.list_conversations(limit=100).items]


def test_a_bulk_load_stores_every_batch_and_refreshes(store: Store) -> None:
    assert store.save_many(_pairs(9), batch_size=2, bulk=True) == 9
    assert sorted(_stored(store)) == [f"b-{n:02d}" for n in range(9)]
    assert sum(row.evaluations for row in store.leaderboard()) == 9


def test_bad_input_stops_the_load_after_the_batches_before_it(store: Store) -> None:
    pairs = _pairs(7)
    pairs[4] = (pairs[4][0], evaluation("someone-else"))
    with pytest.raises(InputError, match="someone-else"):
        store.save_many(pairs, batch_size=2, bulk=True)
    assert sorted(_stored(store)) == ["b-00", "b-01", "b-02", "b-03"]
    assert sum(row.evaluations for row in store.leaderboard()) == 4  # raw tables: stale days


def test_a_failed_write_is_raised_and_nothing_after_it_is_stored(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real, calls = repository.write_prepared, []

    def failing_second(session: Any, prepared: Any, bulk: bool = False) -> None:
        calls.append(prepared.ids)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real(session, prepared, bulk)

    monkeypatch.setattr(repository, "write_prepared", failing_second)
    with pytest.raises(RuntimeError, match="disk full"):
        store.save_many(_pairs(8), batch_size=3, bulk=True)
    assert len(calls) == 2  # the third batch was prepared at most, never written
    assert sorted(_stored(store)) == ["b-00", "b-01", "b-02"]
