"""`serviceqa generate`: deterministic per seed, all five languages and all six channels,
JSONL or Parquet with the same records, and the benchmark's cache key still works."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from serviceqa.cli import app
from serviceqa.generate import LANGUAGES, generate
from serviceqa.ingest import read_paths
from serviceqa.model import CHANNELS, Conversation
from serviceqa.lang.analysis import analyse

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_scoring.py"


def _generate(tmp_path: Path, name: str, count: int, seed: int) -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(app, ["generate", "--count", str(count), "--out", str(out),
                                      "--seed", str(seed)])
    assert result.exit_code == 0, result.output
    return out


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path: Path) -> None:
    first, again = _generate(tmp_path, "a.jsonl", 30, 4), _generate(tmp_path, "b.jsonl", 30, 4)
    other = _generate(tmp_path, "c.jsonl", 30, 5)
    assert first.read_bytes() == again.read_bytes() != other.read_bytes()


def test_covers_every_language_and_channel_and_validates(tmp_path: Path) -> None:
    path = _generate(tmp_path, "corpus.jsonl", 150, 1)
    conversations = list(read_paths([path]))
    assert all(isinstance(c, Conversation) for c in conversations)
    assert {c.channel for c in conversations} == set(CHANNELS)
    languages = Counter(analyse(c).language for c in conversations[:len(LANGUAGES) * 2])
    assert set(languages) == set(LANGUAGES)
    sizes = [len(c.messages) for c in conversations]
    assert 16 <= min(sizes) and max(sizes) <= 25 and len(set(sizes)) > 3  # varied
    assert len({c.id for c in conversations}) == 150


def test_parquet_output_holds_the_same_records(tmp_path: Path) -> None:
    jsonl, parquet = _generate(tmp_path, "c.jsonl", 12, 9), _generate(tmp_path, "c.parquet", 12, 9)
    from_jsonl = [json.loads(line) for line in jsonl.read_text().splitlines()]
    from_parquet = [c.model_dump(mode="json", exclude_none=True) for c in read_paths([parquet])]
    assert from_parquet == [Conversation.model_validate(r).model_dump(mode="json",
                                                                      exclude_none=True)
                            for r in from_jsonl]
    assert [r["id"] for r in from_jsonl] == [r["id"] for r in generate(12, 9)]


def test_benchmark_imports_the_generator_and_keys_its_cache(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_scoring", BENCH)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path, reused = bench.ensure_corpus(10, 1, tmp_path)
    assert not reused and path.name == f"corpus-n10-seed1-{bench._generator_digest()}.jsonl"
    assert bench.ensure_corpus(10, 1, tmp_path) == (path, True)
    assert path.read_bytes() == b"".join(json.dumps(c, ensure_ascii=False).encode() + b"\n"
                                         for c in generate(10, 1))
