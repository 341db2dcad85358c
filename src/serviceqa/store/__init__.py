"""Storage: SQLAlchemy schema, packaged Alembic migrations and the `Store` repository."""

from serviceqa.store.engine import default_url, make_engine
from serviceqa.store.migrate import upgrade
from serviceqa.store.repository import Store
from serviceqa.store.rows import CriterionPassRate, LeaderboardRow, RecentAlert

__all__ = ["CriterionPassRate", "LeaderboardRow", "RecentAlert", "Store", "default_url",
           "make_engine", "upgrade"]

