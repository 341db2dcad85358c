"""SQL that gives the same answer on SQLite and PostgreSQL where the two differ by default.

- Calendar day and ISO week of a stored time, as `YYYY-MM-DD` text (a week is named by
  its Monday). Stored times are UTC; PostgreSQL's `date_trunc` on a timestamptz would use
  the session's TimeZone, so it is told UTC explicitly.
- Sorting text: SQLite compares bytes, PostgreSQL follows the database collation
  (`en_US` puts `callback` before `call_duration`); `binary()` asks for byte order there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class day_of(FunctionElement[str]):  # noqa: N801 - reads like the SQL function it is
    """The UTC calendar day of a timestamp, `2026-11-02`."""

    type = String()
    name = "day_of"
    inherit_cache = True


class week_of(FunctionElement[str]):  # noqa: N801
    """The Monday that starts the ISO week of a timestamp (UTC), `2026-11-02`."""

    type = String()
    name = "week_of"
    inherit_cache = True


def _arg(element: FunctionElement[Any], compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(day_of, "sqlite")
def _day_sqlite(element: day_of, compiler: Any, **kw: Any) -> str:
    return f"date({_arg(element, compiler, **kw)})"


@compiles(week_of, "sqlite")
def _week_sqlite(element: week_of, compiler: Any, **kw: Any) -> str:
    # 'weekday 0' moves forward to Sunday (or stays on it); six days back is that week's Monday.
    return f"date({_arg(element, compiler, **kw)}, 'weekday 0', '-6 days')"


@compiles(day_of, "postgresql")
def _day_pg(element: day_of, compiler: Any, **kw: Any) -> str:
    return f"to_char(({_arg(element, compiler, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


@compiles(week_of, "postgresql")
def _week_pg(element: week_of, compiler: Any, **kw: Any) -> str:
    return (f"to_char(date_trunc('week', ({_arg(element, compiler, **kw)}) AT TIME ZONE 'UTC'),"
            " 'YYYY-MM-DD')")


@compiles(day_of)
@compiles(week_of)
def _unsupported(element: FunctionElement[Any], compiler: Any, **kw: Any) -> str:
    raise CompileError(f"{element.name} is defined for SQLite and PostgreSQL only, "
                       f"not {compiler.dialect.name}")


def binary(expression: ColumnElement[str]) -> ColumnElement[str]:
    """`expression` sorted by bytes on every backend (SQLite already does)."""
    return _Binary(expression)


class _Binary(FunctionElement[str]):
    type = String()
    name = "binary_order"
    inherit_cache = True

    def __init__(self, expression: ColumnElement[str]) -> None:
        super().__init__(expression)


@compiles(_Binary)
def _binary_plain(element: _Binary, compiler: Any, **kw: Any) -> str:
    return _arg(element, compiler, **kw)


@compiles(_Binary, "postgresql")
def _binary_pg(element: _Binary, compiler: Any, **kw: Any) -> str:
    return f'({_arg(element, compiler, **kw)}) COLLATE "C"'
