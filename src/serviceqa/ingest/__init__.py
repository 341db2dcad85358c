"""Read conversations from files: JSONL/JSON, CSV (a row per message), Parquet (a row per
conversation) and plain-text transcripts, in any of our encodings. Every record becomes a Conversation or a Rejected;
nothing read is silently dropped."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Literal, overload

from ..errors import InputError
from ..model import Conversation, Rejected
from .csv_format import read_csv
from .jsonl import JsonlLine, Skip, read_json, read_jsonl
from .parquet_format import read_parquet
from .records import rejected
from .transcript import read_transcript

Reader = Callable[[Path], Iterator[Conversation | Rejected]]
READERS: dict[str, Reader] = {".jsonl": read_jsonl, ".ndjson": read_jsonl, ".json": read_json,
                              ".csv": read_csv, ".tsv": read_csv, ".txt": read_transcript,
                              ".text": read_transcript, ".transcript": read_transcript,
                              ".parquet": read_parquet}


def _reader_for(path: Path) -> Reader:
    reader = READERS.get(path.suffix.lower())
    if reader:
        return reader
    with path.open("rb") as handle:
        head = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    return read_jsonl if head.startswith(b"{") else read_json if head.startswith(b"[") \
        else read_transcript


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; directories give their supported files, sorted, recursively."""
    for item in paths:
        path = Path(item)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in READERS)
        else:
            yield path


def read_file(path: Path, skip: Skip | None = None,
              unparsed: bool = False) -> Iterator[Conversation | Rejected | JsonlLine]:
    """`skip`: records still to leave out, for a reader that can do it unparsed (JSONL).
    `unparsed`: JSONL lines come as JsonlLine, for the scoring process to parse."""
    if not path.is_file():
        yield rejected(InputError("no such file", file=str(path)))
        return
    try:
        reader = _reader_for(path)
        yield from read_jsonl(path, skip, unparsed) if reader is read_jsonl else reader(path)
    except OSError as exc:
        yield rejected(InputError(f"cannot read: {exc.strerror}", file=str(path)))


@overload
def read_paths(paths: Iterable[str | Path], skip: int = 0,
               unparsed: Literal[False] = False) -> Iterator[Conversation | Rejected]: ...


@overload
def read_paths(paths: Iterable[str | Path], skip: int = 0,
               unparsed: bool = False) -> Iterator[Conversation | Rejected | JsonlLine]: ...


def read_paths(paths: Iterable[str | Path], skip: int = 0,
               unparsed: bool = False) -> Iterator[Conversation | Rejected | JsonlLine]:
    """Every record of `paths` in order, the first `skip` left out (a resumed batch: JSONL
    lines are then not even parsed). `unparsed`: as `read_file`."""
    left = Skip(skip)
    for path in expand(paths):
        for item in read_file(path, left, unparsed):
            if left.left:
                left.left -= 1
                continue
            yield item
