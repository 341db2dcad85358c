"""Alembic environment for the ServiceQA store.

At run time `serviceqa.store.migrate` hands over an open connection in
`config.attributes["connection"]` (so SQLite pragmas and the caller's engine apply);
for `alembic -c src/serviceqa/store/alembic.ini ...` during development the URL comes
from `sqlalchemy.url`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from serviceqa.store.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    # render_as_batch lets later ALTERs run on SQLite, which cannot alter most constraints.
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """Emit SQL to stdout (`alembic upgrade head --sql`) without a database."""
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
