"""A generated corpus with bad records, its expected evaluations, and one Dask cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .corpus import expected_jsonl, write_corpus

COUNT = 40


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl", COUNT)


@pytest.fixture(scope="session")
def expected(corpus: Path) -> bytes:
    return expected_jsonl([corpus])


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    """A real local cluster: two single-threaded worker processes on 127.0.0.1."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        yield cluster.scheduler_address
