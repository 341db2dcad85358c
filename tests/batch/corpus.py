"""A small generated corpus with bad records in it, and what `serviceqa score` makes of it."""

from __future__ import annotations

import json
from pathlib import Path

from serviceqa.generate import generate
from serviceqa.ingest import read_paths
from serviceqa.output import evaluation_json
from serviceqa.run import ScorecardChooser, Scored, score_stream

BAD_LINES = {7: '{"id": "bad-empty", "messages": []}', 19: "{not json"}


def write_corpus(path: Path, count: int, seed: int = 5) -> Path:
    """`count` generated conversations, with the BAD_LINES at those line numbers."""
    lines = [json.dumps(c, ensure_ascii=False) for c in generate(count, seed)]
    for number in sorted(BAD_LINES):
        lines.insert(number - 1, BAD_LINES[number])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def expected_jsonl(paths: list[Path]) -> bytes:
    """What `serviceqa score --format jsonl` writes for `paths`."""
    results = score_stream(read_paths(paths), ScorecardChooser(None))
    return "".join(evaluation_json(r.evaluation) + "\n" for r in results
                   if isinstance(r, Scored)).encode("utf-8")
