"""Review tests run on SQLite and PostgreSQL (fixtures of tests/store/conftest.py)."""

from tests.store.conftest import db_url, pg_database, pg_url, store  # noqa: F401 - fixtures
