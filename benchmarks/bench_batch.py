"""Batch throughput and peak memory per runner (sequential, process, dask), against the
floor (read + parse + validate + tokenise), on a generated corpus.

    taskset -c 1 python benchmarks/bench_batch.py                    # 10k, every runner
    taskset -c 1 python benchmarks/bench_batch.py --sizes 2000 10000 --workers 2
    python benchmarks/bench_batch.py --engines dask --sizes 100000

Each run is a fresh interpreter running `serviceqa batch CORPUS --out OUT.jsonl` in process
(JSONL sink, checkpoint every chunk, as a user runs it); a sampler thread sums the RSS of
that process and all its children (pool processes, Dask nanny and worker processes) every
0.2 s, so `peak_tree_rss_mb` is the whole batch's peak. The floor comes from
benchmarks/scoring_worker.py. Results go to benchmarks/results/batch.json; nothing here
asserts a time. The corpus is bench_scoring.py's (same cache, same generator digest).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_scoring import DEFAULT_CORPUS_DIR, ensure_corpus, run_worker, source_digest  # noqa: E402
import machine_speed  # noqa: E402

ENGINES = ("sequential", "process", "dask")
DEFAULT_OUT = HERE / "results" / "batch.json"
SAMPLE_S = 0.2
RSS_EVERY = 25_000  # conversations between two `tree_rss_samples_mb`: flat means bounded


def _rss_mb(process: Any) -> float | None:
    """One process's RSS; None for a child that just exited."""
    try:
        return process.memory_info().rss / 2**20
    except Exception:  # noqa: BLE001
        return None


def _children_of(process: Any, recursive: bool = False) -> list[Any]:
    try:
        return list(process.children(recursive=recursive))
    except Exception:  # noqa: BLE001 - it just exited
        return []


def _tree_rss_mb(root: Any) -> float:
    sizes = map(_rss_mb, [root, *_children_of(root, recursive=True)])
    return sum(size for size in sizes if size is not None)


def _rss_by_depth_mb(root: Any) -> dict[str, list[float]]:
    """RSS of the driver, its children and theirs (for Dask: nannies, then their workers),
    to tell which of them grows."""
    children = _children_of(root)
    levels = {"driver": [root], "children": children,
              "grandchildren": [g for c in children for g in _children_of(c)]}
    return {name: sorted(round(size, 1) for size in map(_rss_mb, processes) if size is not None)
            for name, processes in levels.items()}


def measure(engine: str, corpus: Path, workers: int, chunk: int, out_dir: Path) -> dict[str, Any]:
    """In a fresh interpreter (see `--run`): one batch, its wall and CPU time, peak tree RSS."""
    import psutil

    from serviceqa.batch import (FileSource, JsonlSink, ScoringConfig, batch_job, make_runner,
                                 run_batch)

    me, peak, stop = psutil.Process(), [0.0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss_mb(me))
            stop.wait(SAMPLE_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    config = ScoringConfig.of(None)
    source = FileSource([corpus], chunk)
    out = out_dir / f"batch-{engine}.jsonl"
    runner = make_runner(engine, workers)
    ready = time.perf_counter()
    sink = JsonlSink(out, batch_job(source, config), resume=False)
    first: list[tuple[float, int]] = []  # when the first chunk came back, and its size
    done = [0]  # conversations back so far
    samples: dict[str, float] = {}  # the tree's RSS after every RSS_EVERY of them
    by_depth: dict[str, dict[str, list[float]]] = {}  # and each process's (driver first)

    def advance(items: int) -> None:
        if not first:
            first.append((time.perf_counter(), items))
        before, done[0] = done[0], done[0] + items
        if done[0] // RSS_EVERY > before // RSS_EVERY:
            at = str(done[0] // RSS_EVERY * RSS_EVERY)
            samples[at] = round(_tree_rss_mb(me), 1)
            by_depth[at] = _rss_by_depth_mb(me)

    summary = run_batch(source, runner, sink, config, advance)
    ended = time.perf_counter()
    cpu = _tree_cpu_s(me)
    runner.close()
    sink.close()
    stop.set()
    sampler.join()
    scored = summary.scored
    first_at, first_items = first[0] if first else (ended, 0)
    steady_s = ended - first_at
    return {"engine": engine, "workers": workers if engine != "sequential" else 1,
            "chunk_size": chunk, **summary.as_dict(),
            "startup_s": round(ready - started, 3), "loop_s": round(ended - ready, 3),
            "conversations_per_s": round(scored / (ended - ready), 1),
            "first_chunk_s": round(first_at - ready, 3),
            "steady_conversations_per_s":
                round((summary.read - first_items) / steady_s, 1) if steady_s > 0 else None,
            "cpu_s_tree": round(cpu, 2) if cpu else None,
            "conversations_per_cpu_s": round(scored / cpu, 1) if cpu else None,
            "peak_tree_rss_mb": round(peak[0], 1), "tree_rss_samples_mb": samples,
            # the driver's alone (Dask's scheduler lives there too)
            "driver_rss_samples_mb": {at: rss["driver"][0] for at, rss in by_depth.items()
                                      if rss["driver"]},
            "process_rss_samples_mb": by_depth,
            "output_bytes": out.stat().st_size}


def _tree_cpu_s(root: Any) -> float:
    """CPU seconds of this process and its live children (pool and Dask workers)."""
    total = sum(root.cpu_times()[:2])
    for child in root.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except Exception:  # noqa: BLE001
            pass
    return total


def run_measure(engine: str, corpus: Path, workers: int, chunk: int,
                out_dir: Path) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--run", engine, str(corpus),
               str(workers), str(chunk), str(out_dir)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} run failed ({done.returncode}):\n{done.stderr}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    report["wall_s"] = round(time.perf_counter() - started, 3)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--skip-floor", action="store_true",
                        help="no floor run (one core, ~12 minutes on 1M), when it is known")
    parser.add_argument("--run", nargs=5, metavar=("ENGINE", "CORPUS", "WORKERS", "CHUNK", "DIR"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        engine, corpus, workers, chunk, out_dir = args.run
        print(json.dumps(measure(engine, Path(corpus), int(workers), int(chunk), Path(out_dir))))
        return 0
    cpus = sorted(os.sched_getaffinity(0))
    results: dict[str, Any] = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus_total": os.cpu_count(), "cpus_allowed": cpus,
                    "python": platform.python_version()},
        "machine_speed_before": machine_speed.measure(),
        "source_digest": source_digest(HERE.parent / "src"), "seed": args.seed,
        "loadavg_before": [round(x, 2) for x in os.getloadavg()], "runs": []}
    for size in args.sizes:
        corpus, _ = ensure_corpus(size, args.seed, args.corpus_dir)
        entry: dict[str, Any] = {"size": size, "corpus": str(corpus)}
        if not args.skip_floor:
            entry["floor"] = run_worker("floor", corpus, size, cpus[0])
        outputs = set()
        for engine in args.engines:
            report = run_measure(engine, corpus, args.workers, args.chunk_size, args.corpus_dir)
            entry[engine] = report
            written = args.corpus_dir / f"batch-{engine}.jsonl"
            with written.open("rb") as output:  # streamed: the output of 1M is 5 GB
                report["output_sha256"] = hashlib.file_digest(output, "sha256").hexdigest()
            outputs.add(report["output_sha256"])
            steady = report["steady_conversations_per_s"]
            if steady:  # a million at the steady rate, after the same start
                report["million_minutes_estimate"] = round(
                    (report["first_chunk_s"] + 1_000_000 / steady) / 60, 1)
            print(f"{size:>7} {engine:<10} {report['conversations_per_s']:>7} conv/s  "
                  f"steady {steady} conv/s  peak {report['peak_tree_rss_mb']} MB",
                  file=sys.stderr)
        entry["outputs_identical"] = len(outputs) == 1  # the same bytes from every runner
        entry["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
        entry["machine_speed_after"] = machine_speed.measure()
        results["runs"].append(entry)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
