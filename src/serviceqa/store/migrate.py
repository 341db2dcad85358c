"""Run the packaged Alembic migrations from code: no alembic.ini, no reliance on the cwd."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from serviceqa.errors import DatabaseError
from serviceqa.store.engine import make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "head"


def alembic_config() -> Config:
    """A Config pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


@contextmanager
def _engine(target: str | Engine) -> Iterator[Engine]:
    """Use the caller's engine, or make one for a URL and dispose of it afterwards.

    A bad URL or an unreachable server becomes a DatabaseError naming the URL
    (password hidden), instead of a driver traceback.
    """
    try:
        engine = make_engine(target) if isinstance(target, str) else target
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"{_safe(target)}: not a usable database URL ({exc})") from exc
    try:
        yield engine
    except OperationalError as exc:
        raise DatabaseError(f"{_safe(target)}: {str(exc.orig).strip().splitlines()[0]}") from exc
    finally:
        if isinstance(target, str):
            engine.dispose()


def _safe(target: str | Engine) -> str:
    try:
        url = make_url(target) if isinstance(target, str) else target.url
    except ArgumentError:
        return repr(target)
    return url.render_as_string(hide_password=True)


def upgrade(target: str | Engine, revision: str = HEAD) -> None:
    """Bring the database at `target` (URL or engine) to `revision`, by default the head.

    The connection is handed to env.py rather than the URL, so passwords with `%`
    need no escaping and SQLite pragmas from `make_engine` apply during migrations.
    """
    with _engine(target) as engine, engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, revision)
        except CommandError as exc:  # e.g. the database is at a revision we do not ship
            raise DatabaseError(f"{_safe(target)}: cannot upgrade: {exc}") from exc


@dataclass(frozen=True)
class Status:
    """Where a database stands against the migrations of this version."""

    current: str | None  # None: no ServiceQA tables yet
    head: str
    known: bool  # False: a revision this version does not ship (a newer ServiceQA?)

    @property
    def at_head(self) -> bool:
        return self.current == self.head

    def message(self) -> str:
        if self.at_head:
            return f"at head ({self.head})"
        if self.current is None:
            return f"not initialised (head is {self.head}); run: serviceqa db upgrade"
        if not self.known:
            return (f"at unknown revision {self.current} (this version's head is {self.head});"
                    " was it migrated by a newer ServiceQA?")
        return f"behind: at {self.current}, head is {self.head}; run: serviceqa db upgrade"


def status(target: str | Engine) -> Status:
    """Read the database's revision without changing anything (a missing SQLite file is
    an error, not a new empty database)."""
    _refuse_missing_sqlite_file(target)
    with _engine(target) as engine, engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    current = heads[0] if heads else None
    known = current is None or current in {s.revision for s in _scripts().walk_revisions()}
    return Status(current, head_revision(), known)


def _refuse_missing_sqlite_file(target: str | Engine) -> None:
    if not isinstance(target, str):
        return
    try:
        url = make_url(target)
    except ArgumentError as exc:
        raise DatabaseError(f"{target!r}: not a usable database URL ({exc})") from exc
    path = url.database
    if url.get_backend_name() == "sqlite" and path and path != ":memory:" \
            and not path.startswith("file:") and not Path(path).exists():
        raise DatabaseError(f"{target}: no such database file")
