"""Golden evaluations of the demo corpus, per language. When a deliberate change alters them,
run `python scripts/regen_golden.py` and review the diff; never edit the files by hand."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from serviceqa.demo import corpus_files

from .assertions import assert_evidence

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
HINT = "run `python scripts/regen_golden.py` and review the diff"

_spec = importlib.util.spec_from_file_location("regen_golden", ROOT / "scripts" / "regen_golden.py")
regen = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(regen)  # type: ignore[union-attr]


def _hashes() -> dict[str, str]:
    return json.loads((GOLDEN / "HASHES.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("source", corpus_files(), ids=lambda p: p.stem)
def test_golden_file_was_generated_not_edited(source: Path) -> None:
    golden = GOLDEN / f"{source.stem}.jsonl"
    assert golden.exists(), f"no golden file for {source.stem}; {HINT}"
    assert regen.digest(golden.read_text(encoding="utf-8")) == _hashes()[golden.name], (
        f"{golden.name} does not match its recorded hash (edited by hand?); {HINT}")


@pytest.mark.parametrize("source", corpus_files(), ids=lambda p: p.stem)
def test_evaluations_match_golden(source: Path) -> None:
    expected = (GOLDEN / f"{source.stem}.jsonl").read_text(encoding="utf-8").splitlines()
    actual = regen.golden_lines(source)
    for want, got in zip(expected, actual):
        assert json.loads(got) == json.loads(want), f"{json.loads(want)['conversation_id']}: {HINT}"
    assert len(actual) == len(expected), HINT


def test_golden_evidence_points_into_the_conversations() -> None:
    from serviceqa.ingest import read_paths

    conversations = {c.id: c for c in read_paths(corpus_files())}
    for golden in GOLDEN.glob("*.jsonl"):
        for line in golden.read_text(encoding="utf-8").splitlines():
            evaluation = json.loads(line)
            conversation = conversations[evaluation["conversation_id"]]
            for criterion in evaluation["criteria"]:
                for item in criterion["evidence"]:
                    assert_evidence(item, conversation)
