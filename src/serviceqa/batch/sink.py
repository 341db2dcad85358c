"""Where results go: JSONL, Parquet or the store. Each writes a chunk, then the checkpoint.

A chunk is finished only once its checkpoint is saved. File sinks record their lengths in
the checkpoint, so a chunk cut short by a crash is cut off on resume; the store sink
writes a chunk in one transaction, so a crash or a lost database leaves none of it.
Rejected records of every sink go, one JSON object a line, to a log next to the
checkpoint: reported, never silently lost, and never logged twice on resume.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import DatabaseError
from ..model import Conversation, Evaluation, Rejected
from .checkpoint import Checkpoint, load, save
from .work import Chunk, Result

REJECTIONS = "rejections"


class AppendFile:
    """A file written only at its end, cut back to `length` when opened (0: start over)."""

    def __init__(self, path: Path, length: int) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle: BinaryIO = path.open("r+b" if path.exists() else "w+b")
        self._handle.truncate(length)
        self._handle.seek(length)

    def write(self, data: bytes) -> None:
        self._handle.write(data)

    def sync(self) -> int:
        """Flush to disk; the length to record in the checkpoint."""
        self._handle.flush()
        os.fsync(self._handle.fileno())
        return self._handle.tell()

    def close(self) -> None:
        self._handle.close()


def rejections_path(checkpoint_path: Path) -> Path:
    name = checkpoint_path.name.removesuffix(".checkpoint.json")
    return checkpoint_path.with_name(name + ".rejected.jsonl")


class Sink(ABC):
    """Writes finished chunks and the checkpoint that says so; `state` is where to go on.

    `form`: how the sink wants evaluations from the runner (`work.FORMS`);
    `needs_conversations`: whether `_write` reads the chunk's items as Conversations (if
    not, JSONL records may travel to the scoring processes unparsed)."""

    form = "evaluation"
    needs_conversations = False

    def __init__(self, checkpoint_path: Path, job: dict[str, Any], resume: bool) -> None:
        self.checkpoint_path = checkpoint_path
        self.state = self._recover(load(checkpoint_path, job)) if resume else Checkpoint(job)
        self._files: dict[str, AppendFile] = {}
        self._open(REJECTIONS, rejections_path(checkpoint_path))
        if not resume:
            save(self.state, checkpoint_path)

    def _open(self, name: str, path: Path) -> None:
        self._files[name] = AppendFile(path, self.state.lengths.get(name, 0))

    @property
    def rejections_file(self) -> Path:
        return self._files[REJECTIONS].path

    def write(self, chunk: Chunk, results: list[Result], state: Checkpoint) -> None:
        """Log the chunk's rejections, write its results, then save `state` (counts and
        position after it). The log comes first so that a chunk the store committed just
        before a crash has its rejections logged too (StoreSink._recover)."""
        log = self._files[REJECTIONS]
        for result in results:
            if isinstance(result, Rejected):
                log.write(result.model_dump_json().encode() + b"\n")
        lengths = {REJECTIONS: log.sync()}
        self._write(chunk, results, state.advanced(lengths=lengths))
        lengths.update((name, file.sync()) for name, file in self._files.items())
        self.state = state.advanced(lengths=lengths, pending=None)
        save(self.state, self.checkpoint_path)

    def _recover(self, state: Checkpoint) -> Checkpoint:
        """The state to go on from, given the last saved checkpoint."""
        return state

    def finish(self) -> None:
        self.state = self.state.advanced(complete=True)
        save(self.state, self.checkpoint_path)

    def close(self) -> None:
        for file in self._files.values():
            file.close()

    @abstractmethod
    def _write(self, chunk: Chunk, results: list[Result], after: Checkpoint) -> None:
        """Write the results; `after` is the checkpoint that will say this chunk is done."""

    @staticmethod
    def evaluations(results: list[Result]) -> list[Evaluation]:
        return [r for r in results if isinstance(r, Evaluation)]


class JsonlSink(Sink):
    """One evaluation a line, the contract of `serviceqa score --format jsonl`, rendered by
    the runner where each was scored."""

    form = "output"

    def __init__(self, out: Path, job: dict[str, Any], resume: bool,
                 checkpoint_path: Path | None = None) -> None:
        super().__init__(checkpoint_path or default_checkpoint(out), job, resume)
        self.out = out
        self._open("out", out)

    def _write(self, chunk: Chunk, results: list[Result], after: Checkpoint) -> None:
        data = "".join(line + "\n" for line in results if isinstance(line, str))
        self._files["out"].write(data.encode("utf-8"))


class ParquetSink(Sink):
    """A directory of Parquet parts, one per chunk (`part-000000.parquet`, ...), each
    renamed into place whole. The `evaluation` column holds the same JSON as the JSONL
    sink; the others are copies for querying."""

    def __init__(self, out: Path, job: dict[str, Any], resume: bool,
                 checkpoint_path: Path | None = None) -> None:
        super().__init__(checkpoint_path or default_checkpoint(out), job, resume)
        from . import parquet_out

        self._parquet = parquet_out
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        for part in out.glob("part-*.parquet*"):  # left by an unfinished run, or a new start
            if not resume or parquet_out.part_number(part) >= self.state.chunks:
                part.unlink()

    def _write(self, chunk: Chunk, results: list[Result], after: Checkpoint) -> None:
        self._parquet.write_part(self.out, chunk.number, self.evaluations(results))


class StoreSink(Sink):
    """Conversations and evaluations into the store, a chunk a transaction (upsert by id).

    The checkpoint cannot share the transaction (no table for it without a migration), so
    before committing a chunk the sink saves it as `pending`, with the time stamp its
    evaluation rows get. A resume that finds a pending chunk looks for its last evaluation
    with that stamp: found, the chunk was committed and counts as done; not found, it was
    rolled back and is scored again. Either way nothing is scored twice or lost.
    """

    needs_conversations = True

    def __init__(self, url: str, job: dict[str, Any], resume: bool,
                 checkpoint_path: Path) -> None:
        from ..store.repository import Store

        self.store = Store(url)
        self.store.upgrade()  # an unreachable database is a DatabaseError naming the URL
        super().__init__(checkpoint_path, job, resume)

    def _write(self, chunk: Chunk, results: list[Result], after: Checkpoint) -> None:
        from sqlalchemy.exc import DBAPIError
        from sqlalchemy.orm import Session

        from ..store.writer import write_batch

        pairs: list[tuple[Conversation, Evaluation | None]] = [
            (item, result) for item, result in zip(chunk.items, results)
            if isinstance(item, Conversation) and isinstance(result, Evaluation)]
        stamp = datetime.now(timezone.utc)
        if pairs:
            pending = {"state": asdict(after), "stamp": stamp.isoformat(),
                       "last_id": pairs[-1][0].id}
            save(self.state.advanced(pending=pending), self.checkpoint_path)
        try:
            with Session(self.store.engine) as session, session.begin():
                write_batch(session, pairs, stamp, bulk=True)
        except DBAPIError as exc:
            raise DatabaseError(
                f"the database went away while writing chunk {chunk.number} "
                f"({_reason(exc)}); {self.state.chunks} chunks ({self.state.items} "
                f"records) are stored and checkpointed in {self.checkpoint_path}; "
                "run the same command again with --resume") from exc

    def _recover(self, state: Checkpoint) -> Checkpoint:
        from sqlalchemy import select

        from ..store.schema import EvaluationRow as E

        if not state.pending:
            return state
        pending = state.pending
        query = select(E.created_at).where(E.conversation_id == pending["last_id"])
        with self.store.engine.connect() as connection:
            stored = connection.scalar(query)
        if stored is not None and stored == datetime.fromisoformat(pending["stamp"]):
            return Checkpoint(**{**pending["state"], "pending": None})
        return state.advanced(pending=None)

    def finish(self) -> None:
        """Recompute the rollups of the days the batch wrote before calling it complete:
        a resumed batch with nothing left to score still refreshes them."""
        from sqlalchemy.exc import DBAPIError

        try:
            self.store.refresh_rollups()
        except DBAPIError as exc:
            raise DatabaseError(
                f"the database went away while refreshing the report rollups "
                f"({_reason(exc)}); every record is stored; run the same command again "
                "with --resume to finish") from exc
        super().finish()

    def close(self) -> None:
        super().close()
        self.store.close()


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


def default_checkpoint(out: Path) -> Path:
    return out.with_name(out.name + ".checkpoint.json")
