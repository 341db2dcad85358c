"""Feedback tests use the API fixtures: a seeded workspace on SQLite and PostgreSQL, one
user per role."""

from tests.web.conftest import (cheap_password_hashes, demo_pairs, demo_records,  # noqa: F401
                                shared, workspace)
from tests.store.conftest import db_url, pg_database, pg_url  # noqa: F401
