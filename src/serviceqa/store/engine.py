"""Engines for the store: one place that knows SQLite needs pragmas and PostgreSQL a driver."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

# Plain postgresql:// would make SQLAlchemy look for psycopg2; we ship psycopg 3.
_PG_SCHEMES = {"postgresql", "postgres"}
PG_DRIVER = "postgresql+psycopg"


def default_url(path: str | Path) -> str:
    """The SQLite URL of a database file (the embedded default, one writer)."""
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` become `postgresql+psycopg://`; others are kept."""
    parsed = make_url(url)
    if parsed.drivername in _PG_SCHEMES:
        return parsed.set(drivername=PG_DRIVER).render_as_string(hide_password=False)
    return url


class JsonText(str):
    """A model already serialised by pydantic (`model_dump_json`): the same JSON values as
    `model_dump` through `json_dumps`, made in Rust at half the cost. JSON columns store
    it as it is."""


def json_dumps(value: Any) -> str:
    if isinstance(value, JsonText):
        return str(value)
    # Keep Cyrillic, ә, ő, ř readable in the database instead of \\u escapes.
    return json.dumps(value, ensure_ascii=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers work while the one writer commits; SQLite ignores FKs unless asked.

    synchronous=NORMAL is what SQLite recommends with WAL: the database cannot be corrupted,
    and only the last commits before a power cut (not a crash of the process) may be lost;
    FULL syncs the disk at every commit, a fifth of API ingest's time.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`; on SQLite every new connection gets WAL and foreign keys."""
    engine = create_engine(normalise_url(url), json_serializer=json_dumps)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine
