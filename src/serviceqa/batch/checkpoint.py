"""The checkpoint of a batch: how far it got, in a small JSON sidecar replaced atomically.

Chunks are written in order, so "finished" is always a prefix: `chunks` chunks, `items`
items of the source, and for file outputs the byte length each output had after the last
finished chunk. Anything past those lengths was written by a chunk that did not finish,
and a resume cuts it off before going on. `job` describes the batch (inputs, scorecard,
chunk size); a resume refuses a checkpoint written for another batch.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import ServiceQAError

VERSION = 1


class CheckpointError(ServiceQAError):
    """The checkpoint is missing, unreadable or belongs to another batch."""

    http_status = 409


@dataclass(frozen=True)
class Checkpoint:
    job: dict[str, Any]
    chunks: int = 0
    items: int = 0
    key: str | None = None
    read: int = 0
    scored: int = 0
    rejected: int = 0
    lengths: dict[str, int] = field(default_factory=dict)
    complete: bool = False
    pending: dict[str, Any] | None = None  # StoreSink: a chunk being committed

    def advanced(self, **changes: Any) -> Checkpoint:
        return replace(self, **changes)


def save(checkpoint: Checkpoint, path: Path) -> None:
    """Write to a temporary file, fsync, then os.replace: a reader sees the old or the new."""
    partial = path.with_name(path.name + ".tmp")
    with partial.open("w", encoding="utf-8") as handle:
        json.dump({"version": VERSION, **asdict(checkpoint)}, handle, ensure_ascii=False,
                  sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def load(path: Path, job: dict[str, Any]) -> Checkpoint:
    """The checkpoint at `path` for `job`; CheckpointError when it cannot be resumed."""
    if not path.is_file():
        raise CheckpointError(f"{path}: no checkpoint to resume from; run without --resume")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.pop("version") != VERSION:
            raise ValueError("unknown checkpoint version")
        checkpoint = Checkpoint(**data)
    except (ValueError, TypeError, KeyError) as exc:
        raise CheckpointError(f"{path}: unreadable checkpoint ({exc})") from exc
    if checkpoint.job != job:
        raise CheckpointError(f"{path}: the checkpoint is for another batch "
                              f"({checkpoint.job}); run without --resume to start over")
    return checkpoint
