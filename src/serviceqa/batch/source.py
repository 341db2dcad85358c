"""Where conversations come from, in chunks and in a stable order, so a resume knows
exactly which ones are done: files (read in `expand` order) or a store query (by id)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from ..errors import DatabaseError
from ..ingest import expand, read_paths
from ..ingest.records import to_conversation
from .checkpoint import Checkpoint
from .work import Chunk, Item

DEFAULT_CHUNK = 500
LINE_COUNTED = {".jsonl", ".ndjson"}


class Source(Protocol):
    def describe(self) -> dict[str, Any]:
        """What the checkpoint's `job` records about the input (plain JSON values)."""
        ...

    def total(self) -> int | None:
        """How many items to expect (for the progress bar), or None when unknown."""
        ...

    def chunks(self, after: Checkpoint, unparsed: bool = False) -> Iterator[Chunk]:
        """Chunks not yet finished according to `after`, in order. `unparsed`: records
        may come as text (JsonlLine) for the scoring process to parse."""
        ...


class FileSource:
    """Files and folders as `serviceqa score` reads them; rejected records are items too."""

    def __init__(self, paths: list[Path], chunk_size: int = DEFAULT_CHUNK) -> None:
        self.paths = [Path(p) for p in paths]
        self.chunk_size = chunk_size

    def describe(self) -> dict[str, Any]:
        return {"files": [str(p.resolve()) for p in self.paths], "chunk_size": self.chunk_size}

    def total(self) -> int | None:
        count = 0
        for path in expand(self.paths):
            suffix = path.suffix.lower()
            if suffix in LINE_COUNTED and path.is_file():
                count += _count_lines(path)
            elif suffix == ".parquet" and path.is_file():
                import pyarrow.parquet as pq

                count += pq.ParquetFile(path).metadata.num_rows
            else:
                return None
        return count

    def chunks(self, after: Checkpoint, unparsed: bool = False) -> Iterator[Chunk]:
        """Items already done are left out: JSONL lines unparsed, other formats' records
        read and dropped. With `unparsed`, JSONL lines are items as read (the other
        formats' records are parsed here still)."""
        items = read_paths(self.paths, skip=after.items, unparsed=unparsed)
        number, start = after.chunks, after.items
        while batch := list(islice(items, self.chunk_size)):
            yield Chunk(number, start, batch)
            number, start = number + 1, start + len(batch)


def _all_rows(query: Any, connection: Any) -> list[Any]:
    return list(connection.execute(query).all())


def _count_lines(path: Path) -> int:
    """Non-blank lines, about what the JSONL reader yields (blank lines are skipped)."""
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


class StoreSource:
    """Stored conversations matching `filters`, by id (keyset pages: each page a short
    query, so a rescore that writes back to the same database never holds a cursor open)."""

    def __init__(self, url: str, filters: Any = None, chunk_size: int = DEFAULT_CHUNK) -> None:
        from ..store import Filters, Store

        self.url = url
        self.filters = filters if filters is not None else Filters()
        self.chunk_size = chunk_size
        self.store = Store(url)

    def describe(self) -> dict[str, Any]:
        from dataclasses import asdict

        given = {k: str(v) for k, v in asdict(self.filters).items() if v is not None}
        return {"store": self.store.engine.url.render_as_string(hide_password=True),
                "filters": given, "chunk_size": self.chunk_size}

    def _query(self, *columns: Any) -> Any:
        from sqlalchemy import select

        from ..store.schema import ConversationRow as C
        from ..store.schema import EvaluationRow as E

        query = select(*columns).select_from(C).outerjoin(E, E.conversation_id == C.id)
        return self.filters.apply(query)

    def _fetch(self, read: Callable[[Any], Any]) -> Any:
        """Run `read(connection)`; a lost or unreachable database becomes a DatabaseError."""
        from sqlalchemy.exc import DBAPIError

        try:
            with self.store.engine.connect() as connection:
                return read(connection)
        except DBAPIError as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[:1]
            raise DatabaseError(f"{self.describe()['store']}: cannot read conversations "
                                f"({''.join(reason)}); once it is back, run the same "
                                "command again with --resume") from exc

    def total(self) -> int | None:
        from sqlalchemy import func

        from ..store.schema import ConversationRow as C

        return int(self._fetch(lambda c: c.scalar(self._query(func.count(C.id)))) or 0)

    def chunks(self, after: Checkpoint, unparsed: bool = False) -> Iterator[Chunk]:
        """Always parsed: a stored conversation's row is no cheaper to send than it."""
        from ..store.schema import ConversationRow as C

        number, start, key = after.chunks, after.items, after.key
        while True:
            query = self._query(C.id, C.data).order_by(C.id).limit(self.chunk_size)
            if key is not None:
                query = query.where(C.id > key)
            rows: list[Any] = self._fetch(partial(_all_rows, query))
            if not rows:
                return
            items: list[Item] = [to_conversation(data, "store", None) for _, data in rows]
            key = rows[-1][0]
            yield Chunk(number, start, items, key)
            number, start = number + 1, start + len(items)

    def close(self) -> None:
        self.store.close()
