"""Every store test gets its own fresh SQLite file, migrated to head."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from serviceqa.store import Store, default_url


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(default_url(tmp_path / "serviceqa.db"))
    store.upgrade()
    yield store
    store.close()
