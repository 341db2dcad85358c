"""Scoring throughput and peak memory on one core, against the read-and-tokenise floor.

    python benchmarks/bench_scoring.py                       # 10k and 100k, ~10-15 minutes
    python benchmarks/bench_scoring.py --sizes 10000         # one size
    python benchmarks/bench_scoring.py --quick               # 500 conversations, seconds
    python benchmarks/bench_scoring.py --profile 2000        # cProfile top 15 of a full run

For each size a synthetic corpus is generated (serviceqa.generate) into a cache
directory, or reused when one with the same size, seed and generator is there. Then each
measurement runs in a fresh Python process pinned to one CPU, so its peak RSS is its own:

- floor: read_paths (JSON parse + validation into Conversation) and `tokenize` on every
  message; what any scoring must pay at least;
- full: read_paths -> score_stream with the default scorecards, results counted and dropped.

Results go to a JSON file (see benchmarks/README.md for every field) and a short table.
Nothing here asserts a time: the numbers are for reading, not for failing a build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # also when loaded by path (tests, other benchmarks)
    sys.path.insert(0, str(HERE))
import machine_speed  # noqa: E402

REPO = HERE.parent
DEFAULT_SIZES = (10_000, 100_000)
QUICK_SIZE = 250            # keeps --quick well under a minute at today's ~50 conv/s
DEFAULT_OUT = HERE / "results" / "scoring.json"
QUICK_OUT = HERE / "results" / "scoring-quick.json"
DEFAULT_CORPUS_DIR = Path(tempfile.gettempdir()) / "serviceqa-bench"
TARGET_PER_CORE = 300          # conversations per second per core (the target)
WORKER = HERE / "scoring_worker.py"
MODES = ("floor", "full")


def _digest(files: list[Path], root: Path) -> str:
    """sha256 over the relative paths and contents of `files`."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _generator_digest() -> str:
    """Changes when the generator or the demo corpus it samples from changes."""
    from serviceqa import generate

    digest = hashlib.sha256()
    for path in [Path(generate.__file__), *sorted(generate.DEMO_CORPUS.glob("*.jsonl"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:8]


def source_digest(src: Path) -> str:
    """sha256 of the measured package's code and data (py, yaml), to tell runs apart."""
    package = src / "serviceqa"
    files = [p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml")]
    return _digest(files, src)[:16]


def freeze(directory: Path) -> Path:
    """A copy of the working tree's src/serviceqa, so edits made by others during a long run
    do not change what is measured half-way. Keyed by source digest."""
    target = directory / f"src-worktree-{source_digest(REPO / 'src')}" / "src"
    if not (target / "serviceqa").is_dir():
        shutil.copytree(REPO / "src" / "serviceqa", target / "serviceqa",
                        ignore=shutil.ignore_patterns("__pycache__"))
    return target


def snapshot(ref: str, directory: Path) -> tuple[Path, str]:
    """`src/` of a git revision, extracted once (git archive) into `directory`: a fixed
    version to measure while the working tree is being edited. (src path, full commit)."""
    commit = _git("rev-parse", "--verify", f"{ref}^{{commit}}")
    if not commit:
        raise SystemExit(f"--ref {ref}: not a commit in {REPO}")
    target = directory / f"src-{commit[:12]}"
    if not (target / "src" / "serviceqa").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", "--format=tar", commit, "src"], cwd=REPO,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src", commit


def ensure_corpus(size: int, seed: int, directory: Path) -> tuple[Path, bool]:
    """The cached corpus for (size, seed, generator version), generated if missing."""
    path = directory / f"corpus-n{size}-seed{seed}-{_generator_digest()}.jsonl"
    if path.is_file():
        return path, True
    from serviceqa.generate import write

    write(size, path, seed)
    return path, False


def worker_command(mode: str, corpus: Path, expect: int, cpu: int) -> list[str]:
    return [sys.executable, str(WORKER), mode, str(corpus), str(expect), str(cpu)]


def worker_env(src: Path | None) -> dict[str, str]:
    """The environment for a worker: `src` first on the path when measuring a snapshot."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    return env


def run_worker(mode: str, corpus: Path, expect: int, cpu: int,
               src: Path | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter (importing serviceqa from `src` when
    given); its JSON report plus the process wall time."""
    command = worker_command(mode, corpus, expect, cpu)
    load_before = _loadavg()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env=worker_env(src))
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{mode} worker failed ({done.returncode}):\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report.update(wall_s=round(wall, 3), loadavg_before=load_before, loadavg_after=_loadavg())
    return report


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def compare(floor: dict[str, Any], full: dict[str, Any]) -> dict[str, Any]:
    """How far full scoring is from the floor: time per conversation, full over floor."""
    return {
        "steady_time_ratio": _ratio(floor["conversations_per_s"], full["conversations_per_s"]),
        "steady_cpu_time_ratio": _ratio(floor["conversations_per_cpu_s"],
                                        full["conversations_per_cpu_s"]),
        "peak_rss_ratio": _ratio(full["peak_rss_mb"], floor["peak_rss_mb"]),
        "scoring_ms_per_conversation": round(1000 / full["conversations_per_s"]
                                             - 1000 / floor["conversations_per_s"], 3)
        if full["conversations_per_s"] and floor["conversations_per_s"] else None,
    }


def memory_flatness(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Peak RSS of the smallest and largest size per mode, and largest over smallest."""
    if len(runs) < 2:
        return {}
    small, large = min(runs, key=lambda r: r["size"]), max(runs, key=lambda r: r["size"])
    out: dict[str, Any] = {"sizes": [small["size"], large["size"]]}
    for mode in MODES:
        a, b = small[mode]["peak_rss_mb"], large[mode]["peak_rss_mb"]
        out[mode] = {"peak_rss_mb": [a, b], "ratio": _ratio(b, a)}
    return out


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                              check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.rstrip()


def environment(args: argparse.Namespace) -> dict[str, Any]:
    if args.ref:
        source: dict[str, Any] = {"source": f"git archive {args.ref}", "git_commit": args.commit,
                                  "git_dirty_paths": None}
    elif args.freeze:
        status = _git("status", "--porcelain", "--", "src")
        source = {"source": f"copy of the working tree at {args.src}",
                  "git_commit": _git("rev-parse", "HEAD"),
                  "git_dirty_paths": status.splitlines() if status is not None else None}
    else:
        status = _git("status", "--porcelain", "--", "src")
        source = {"source": "working tree", "git_commit": _git("rev-parse", "HEAD"),
                  "git_dirty_paths": status.splitlines() if status is not None else None}
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_model": _cpu_model(),
        "cpu_count": os.cpu_count(),
        **source,
        "source_digest": source_digest(args.src or REPO / "src"),
        "seed": args.seed,
        "pinned_cpu_requested": args.cpu,
        "machine_load_note": args.load_note,
        "machine_speed_before": machine_speed.measure(),
    }


def run_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    corpus, reused = ensure_corpus(size, args.seed, args.corpus_dir)
    result: dict[str, Any] = {"size": size, "corpus": {
        "path": str(corpus), "bytes": corpus.stat().st_size, "reused": reused}}
    for mode in MODES:
        result[mode] = run_worker(mode, corpus, size, args.cpu, args.src)
        print(f"  {size:>7} {mode:<5} done in {result[mode]['wall_s']:.1f}s", file=sys.stderr)
    result["full_vs_floor"] = compare(result["floor"], result["full"])
    result["machine_speed_after"] = machine_speed.measure()
    return result


def table(report: dict[str, Any]) -> str:
    head = (f"{'size':>7} {'mode':<5} {'conv/s':>8} {'msg/s':>9} {'conv/cpu-s':>10} "
            f"{'startup s':>9} {'wall s':>8} {'peak MB':>8}")
    lines = [head, "-" * len(head)]
    for run in report["runs"]:
        for mode in MODES:
            m = run[mode]
            per_cpu = m["conversations_per_cpu_s"] or 0
            lines.append(f"{run['size']:>7} {mode:<5} {m['conversations_per_s'] or 0:>8.1f} "
                         f"{m['messages_per_s'] or 0:>9.0f} {per_cpu:>10.1f} "
                         f"{m['startup_s']:>9.2f} {m['wall_s']:>8.1f} {m['peak_rss_mb']:>8.1f}")
        ratio = run["full_vs_floor"]["steady_time_ratio"]
        lines.append(f"{'':>7} full/floor time per conversation: {ratio}x")
    flat = report.get("memory_flatness")
    if flat:
        for mode in MODES:
            a, b = flat[mode]["peak_rss_mb"]
            lines.append(f"peak RSS {mode}: {a} MB at {flat['sizes'][0]}, {b} MB at "
                         f"{flat['sizes'][1]} (x{flat[mode]['ratio']})")
    return "\n".join(lines)


def write_report(report: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    partial.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(out)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES),
                        help="corpus sizes in conversations (default: 10000 100000)")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"JSON results (default {DEFAULT_OUT.relative_to(REPO)}, "
                             f"or {QUICK_OUT.relative_to(REPO)} with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: one corpus of {QUICK_SIZE} conversations")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--cpu", type=int, default=0, help="CPU to pin workers to (default 0)")
    parser.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS_DIR,
                        help="corpora are generated and reused here "
                             f"(default {DEFAULT_CORPUS_DIR})")
    parser.add_argument("--load-note", default=None,
                        help="free text stored as machine_load_note (e.g. other jobs running)")
    parser.add_argument("--ref", default=None,
                        help="measure this git revision (e.g. HEAD), extracted with git archive, "
                             "instead of the working tree")
    parser.add_argument("--freeze", action="store_true",
                        help="measure a copy of the working tree's src/ taken at the start, "
                             "so that edits made during the run do not leak into it")
    parser.add_argument("--profile", type=int, metavar="N", default=None,
                        help="instead of measuring: cProfile a full run on N conversations")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.src, args.commit = snapshot(args.ref, args.corpus_dir) if args.ref else (None, None)
    if args.freeze and not args.ref:
        args.src = freeze(args.corpus_dir)
    if args.profile:
        corpus = ensure_corpus(args.profile, args.seed, args.corpus_dir)[0]
        subprocess.run(worker_command("profile", corpus, args.profile, args.cpu), check=True,
                       env=worker_env(args.src))
        return 0
    sizes = [QUICK_SIZE] if args.quick else sorted(set(args.sizes))
    out = args.out or (QUICK_OUT if args.quick else DEFAULT_OUT)
    report: dict[str, Any] = {"benchmark": "scoring", "quick": args.quick,
                              "target_conversations_per_s_per_core": TARGET_PER_CORE,
                              **environment(args)}
    report["complete"], report["runs"] = False, []
    for size in sizes:
        report["runs"].append(run_size(size, args))
        report["complete"] = len(report["runs"]) == len(sizes)
        report["memory_flatness"] = memory_flatness(report["runs"])
        report["target_met"] = all((r["full"]["conversations_per_s"] or 0) >= TARGET_PER_CORE
                                   for r in report["runs"])
        write_report(report, out)  # after every size, so a long run shows progress
    print(table(report))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
