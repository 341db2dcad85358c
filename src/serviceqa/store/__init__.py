"""Storage: SQLAlchemy schema, packaged Alembic migrations and the `Store` repository."""

from serviceqa.store.engine import default_url, make_engine
from serviceqa.store.filters import Filters
from serviceqa.store.migrate import Status, status, upgrade
from serviceqa.store.repository import Store
from serviceqa.store.rows import AlertItem, CriterionPassRate, LeaderboardRow, ReportRow

__all__ = ["AlertItem", "CriterionPassRate", "Filters", "LeaderboardRow", "ReportRow",
           "Status", "Store", "default_url", "make_engine", "status", "upgrade"]

