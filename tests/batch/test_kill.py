"""Robustness: `serviceqa batch` killed with SIGKILL half-way, then `--resume`: every
conversation is written exactly once, and the bytes are those of an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .corpus import expected_jsonl, write_corpus

COUNT, CHUNK = 150, 5
KILL_AFTER_CHUNKS = 4
# Only so a hung batch fails instead of hanging: not a speed check. Started under `nice`
# beside two busy benchmark processes, the 20 conversations once took over 120 s.
PROGRESS_DEADLINE_S = 600


def _command(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "serviceqa.cli", "batch", str(corpus), "--out", str(out),
            "--chunk-size", str(CHUNK), "--no-progress", *extra]


def _chunks_done(checkpoint: Path) -> tuple[int, bool]:
    try:
        data = json.loads(checkpoint.read_text())
    except (OSError, ValueError):  # not written yet
        return 0, False
    return data["chunks"], data["complete"]


def test_sigkill_then_resume_loses_nothing_and_repeats_nothing(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", COUNT)
    out, checkpoint = tmp_path / "out.jsonl", tmp_path / "out.jsonl.checkpoint.json"
    process = subprocess.Popen(_command(corpus, out), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + PROGRESS_DEADLINE_S
    while _chunks_done(checkpoint)[0] < KILL_AFTER_CHUNKS and process.poll() is None:
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stderr.close()  # type: ignore[union-attr]
    done, complete = _chunks_done(checkpoint)
    assert process.returncode == -signal.SIGKILL and not complete, "killed too late"
    assert done < COUNT // CHUNK

    resumed = subprocess.run(_command(corpus, out, "--resume"), capture_output=True, text=True)
    assert resumed.returncode == 1, resumed.stderr  # 1: the bad records were rejected
    assert "Traceback" not in resumed.stderr
    assert "read 152, scored 150, rejected 2" in resumed.stderr

    ids = [json.loads(line)["conversation_id"] for line in out.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == COUNT
    assert out.read_bytes() == expected_jsonl([corpus])
    assert len((tmp_path / "out.jsonl.rejected.jsonl").read_text().splitlines()) == 2
