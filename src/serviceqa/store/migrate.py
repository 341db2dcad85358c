"""Run the packaged Alembic migrations from code: no alembic.ini, no reliance on the cwd."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from serviceqa.store.engine import make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "head"


def alembic_config() -> Config:
    """A Config pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(target: str | Engine, revision: str = HEAD) -> None:
    """Bring the database at `target` (URL or engine) to `revision`, by default the head.

    The connection is handed to env.py rather than the URL, so passwords with `%`
    need no escaping and SQLite pragmas from `make_engine` apply during migrations.
    """
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if isinstance(target, str):
            engine.dispose()
