"""Totals of the list pages, remembered until this process commits anything.

A list page is its rows (cheap: an index read that stops after the page) and the total of
every match (a count of all of them: on 100,000 conversations, 14 ms of a 25 ms request
for "Kazakh, score at least 60"). Paging through a list or many people watching the same
inbox ask for the same total again and again; it only changes when data does.

Any commit through the store's engine forgets every total, so within one process a total
is always exact. Another process writing the same database (a second server worker, a CLI
ingest beside the server) is not seen, so totals are also forgotten after `MAX_AGE`
seconds: a total may lag another process's writes by that much; the rows never do.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event

MAX_AGE = 5.0  # seconds
SIZE = 512  # totals kept


class CountCache:
    def __init__(self, engine: Engine, max_age: float = MAX_AGE, size: int = SIZE) -> None:
        self.max_age, self.size = max_age, size
        self._totals: OrderedDict[Any, tuple[float, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._commits = 0  # a count made across a commit is not remembered
        event.listen(engine, "commit", self._forget)

    def _forget(self, *_: Any) -> None:
        with self._lock:
            self._totals.clear()
            self._commits += 1

    def total(self, key: Any, count: Callable[[], int]) -> int:
        """The remembered total of `key`, or `count()` remembered."""
        now = time.monotonic()
        with self._lock:
            found = self._totals.get(key)
            if found is not None and now - found[0] < self.max_age:
                self._totals.move_to_end(key)
                return found[1]
            commits = self._commits
        total = count()
        with self._lock:
            if commits != self._commits:
                return total
            self._totals[key] = (now, total)
            self._totals.move_to_end(key)
            while len(self._totals) > self.size:
                self._totals.popitem(last=False)
        return total
