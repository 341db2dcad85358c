"""Regenerate the golden evaluations: `python scripts/regen_golden.py`.

Golden files are generated, never hand-edited: each language's demo conversations are
scored and written to tests/golden/<lang>.jsonl, and HASHES.json records a hash of each
file so the test can tell a hand edit from a regeneration. Run this after a deliberate
change to packs, detectors or scorecards, and review the diff before committing.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
sys.path.insert(0, str(ROOT / "src"))

from serviceqa.demo import corpus_files  # noqa: E402
from serviceqa.ingest import read_file  # noqa: E402
from serviceqa.model import Conversation  # noqa: E402
from serviceqa.output import evaluation_json  # noqa: E402
from serviceqa.score.evaluate import score_conversation  # noqa: E402


def golden_lines(source: Path) -> list[str]:
    """The evaluation of every conversation in `source`, one JSON line each, in file order."""
    lines = []
    for item in read_file(source):
        if not isinstance(item, Conversation):
            raise SystemExit(f"{source}: cannot read a demo conversation: {item}")
        lines.append(evaluation_json(score_conversation(item), explain=True))
    return lines


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for source in corpus_files():
        text = "\n".join(golden_lines(source)) + "\n"
        target = GOLDEN / f"{source.stem}.jsonl"
        target.write_text(text, encoding="utf-8")
        hashes[target.name] = digest(text)
        print(f"wrote {target.relative_to(ROOT)} ({text.count(chr(10))} evaluations)")
    (GOLDEN / "HASHES.json").write_text(json.dumps(hashes, indent=2, sort_keys=True) + "\n",
                                        encoding="utf-8")


if __name__ == "__main__":
    main()
