"""API test fixtures: the demo corpus (ru, kk, hu, cs, en) scored once per session, stored
into a fresh database per test, and one user of each role with its token.

`db_url` and its PostgreSQL fixtures come from tests/store/conftest.py, so the tests that
take `workspace` run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from serviceqa.demo import corpus_files
from serviceqa.ingest import read_paths
from serviceqa.model import Conversation, Evaluation
from serviceqa.run import ScorecardChooser, Scored, score_stream
from serviceqa.store import default_url
from serviceqa.web import create_app
from tests.store.conftest import db_url, pg_database, pg_url  # noqa: F401 - fixtures

AGENT_ID = "a-kk-01"  # the agent user; its conversations are kk-*
ROLES = ("admin", "lead", "reviewer", "agent")
PASSWORD = "Құпия-сөз-123"


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes() -> Iterator[None]:
    """argon2 at its production cost takes 0.2 s a hash here; tests check the mechanism,
    so they hash with the smallest cost (the hash still starts with $argon2id$)."""
    patch = pytest.MonkeyPatch()
    patch.setattr("serviceqa.store.accounts._hasher",
                  PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    patch.undo()


@pytest.fixture(scope="session")
def demo_pairs() -> list[tuple[Conversation, Evaluation]]:
    items = score_stream(read_paths(corpus_files()), ScorecardChooser(None))
    return [(s.conversation, s.evaluation) for s in items if isinstance(s, Scored)]


@pytest.fixture(scope="session")
def demo_records() -> dict[str, dict[str, Any]]:
    """The raw demo records by id, to send to the API."""
    records = {}
    for path in corpus_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            records[record["id"]] = record
    return records


@dataclass
class Workspace:
    """A test client of a seeded workspace and a token per role."""

    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def get(self, path: str, role: str | None = "admin", **kw: Any) -> Any:
        return self.client.get(path, headers=self.headers(role), **kw)

    def post(self, path: str, role: str | None = "admin", **kw: Any) -> Any:
        return self.client.post(path, headers=self.headers(role), **kw)

    def put(self, path: str, role: str | None = "admin", **kw: Any) -> Any:
        return self.client.put(path, headers=self.headers(role), **kw)

    def delete(self, path: str, role: str | None = "admin", **kw: Any) -> Any:
        return self.client.delete(path, headers=self.headers(role), **kw)


def seeded(url: str, pairs: list[tuple[Conversation, Evaluation]]) -> Iterator[Workspace]:
    app = create_app(url, secure_cookies=False)
    store = app.state.workspace.store
    store.save_many(pairs)
    workspace = Workspace(TestClient(app))
    for role in ROLES:
        _, token = store.accounts.add_user(
            f"{role}-user", role, AGENT_ID if role == "agent" else None,
            PASSWORD if role in ("lead", "agent") else None)
        workspace.tokens[role] = token
    with workspace.client:
        yield workspace
    store.close()


@pytest.fixture
def workspace(db_url: str, demo_pairs) -> Iterator[Workspace]:  # noqa: F811
    """A fresh seeded workspace on each backend."""
    yield from seeded(db_url, demo_pairs)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory, demo_pairs) -> Iterator[Workspace]:
    """One seeded SQLite workspace for a whole module of tests that leave it as it was."""
    path: Path = tmp_path_factory.mktemp("api") / "serviceqa.db"
    yield from seeded(default_url(path), demo_pairs)
