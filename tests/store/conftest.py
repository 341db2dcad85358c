"""Every store test runs on each backend, in a fresh database migrated to head.

- `sqlite`: always; a new file per test.
- `postgresql`: when a server answers at SERVICEQA_TEST_PG_URL (default: the local
  `test` database). The session creates its own database `serviceqa_test_<random>` there,
  with an ICU en-US collation and a non-UTC time zone so backend differences show up,
  gives each test a fresh schema in it, and drops the database at the end.
  Otherwise the PostgreSQL tests are skipped, with the reason.
- SERVICEQA_REQUIRE_PG=1 (`.ci/run` sets it when 127.0.0.1:5432 answers) turns
  "PostgreSQL tests skipped, or none ran" into a failed run.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from serviceqa.store import Store, default_url
from serviceqa.store.engine import normalise_url

PG_URL = os.environ.get("SERVICEQA_TEST_PG_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("SERVICEQA_REQUIRE_PG") == "1"
BACKENDS = ["sqlite", "postgresql"]
TIME_ZONE = "Asia/Almaty"  # UTC+5: a day boundary differs from UTC's
_pg_outcomes = {"passed": 0, "skipped": 0}


def _admin_engine(url: URL) -> Engine:
    return create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


def _execute(admin: Engine, sql: str) -> None:
    """One statement outside a transaction (CREATE/DROP DATABASE need that)."""
    with admin.connect() as connection:
        connection.execute(text(sql))


def _create_database(admin: Engine, name: str) -> None:
    """Prefer an ICU en-US collation (SQLite compares bytes; en-US does not)."""
    try:
        _execute(admin, f'CREATE DATABASE "{name}" TEMPLATE template0 '
                        "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'")
    except DBAPIError:  # an older server or one built without ICU
        _execute(admin, f'CREATE DATABASE "{name}"')
    _execute(admin, f"ALTER DATABASE \"{name}\" SET timezone TO '{TIME_ZONE}'")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[URL]:
    """A database of this test session's own; skipped when no server answers."""
    url = make_url(normalise_url(PG_URL))
    admin = _admin_engine(url)
    try:
        admin.connect().close()
    except DBAPIError as exc:
        admin.dispose()
        reason = str(exc.orig).strip().splitlines()[0]
        pytest.skip(f"PostgreSQL tests skipped: no server at "
                    f"{url.render_as_string(hide_password=True)} ({reason}); "
                    "set SERVICEQA_TEST_PG_URL to run them")
    name = f"serviceqa_test_{secrets.token_hex(4)}"
    _create_database(admin, name)
    try:
        yield url.set(database=name)
    finally:
        _execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def pg_url(pg_database: URL) -> Iterator[str]:
    """A fresh schema in the session's database, first on the search path of the URL."""
    schema = f"t_{secrets.token_hex(4)}"
    admin = _admin_engine(pg_database)
    _execute(admin, f'CREATE SCHEMA "{schema}"')
    url = pg_database.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        _execute(admin, f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database on each backend."""
    if request.param == "sqlite":
        return default_url(tmp_path / "serviceqa.db")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = Store(db_url)
    store.upgrade()
    yield store
    store.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: runs against the PostgreSQL backend")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_pg = callspec is not None and callspec.params.get("db_url") == "postgresql"
        if on_pg or "pg_database" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgresql)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "postgresql" not in report.keywords:
        return
    if report.skipped:
        _pg_outcomes["skipped"] += 1
    elif report.passed and report.when == "call":
        _pg_outcomes["passed"] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With SERVICEQA_REQUIRE_PG=1 a run whose PostgreSQL tests did not run fails."""
    if not REQUIRE_PG or (_pg_outcomes["passed"] and not _pg_outcomes["skipped"]):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = (f"SERVICEQA_REQUIRE_PG=1: the PostgreSQL tests must run, but "
               f"{_pg_outcomes['passed']} passed and {_pg_outcomes['skipped']} were skipped "
               f"(is {PG_URL} reachable?)")
    if reporter is not None:
        reporter.write_line("")  # the progress line has no newline yet
        reporter.write_line(message, red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
