"""One measurement in a fresh process: the driver (bench_scoring.py) runs

    python benchmarks/scoring_worker.py {floor|full} CORPUS EXPECTED_COUNT CPU

and reads the one JSON line it prints (`profile` prints a cProfile of `full` instead).
serviceqa is imported only inside the measurement, so import time, startup and peak RSS
belong to this run alone.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

CHECKPOINTS = 10               # RSS samples per run, evenly spaced over the corpus
PROFILE_TOP = 15
MODES = ("floor", "full")


def _status_mb(field: str) -> float | None:
    """A size line of /proc/self/status (Linux: `VmRSS`, `VmHWM`), in MB; None elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _rss_mb() -> float:
    """Current resident set size; 0.0 where there is no /proc."""
    return _status_mb("VmRSS") or 0.0


def _peak_rss_mb(usage: Any) -> float:
    """This process's own peak RSS: VmHWM from /proc (Linux), else ru_maxrss.

    Not ru_maxrss on Linux: exec keeps the high-water mark of the parent's address space the
    child was forked from, so a worker started by a big driver "peaks" at the driver's size
    (the 498 MB floor of batch-1m.json, 2026-12-02, was the driver's RSS, not the floor's)."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024  # ru_maxrss: KiB, bytes on macOS
    return usage.ru_maxrss / scale


def _pin(cpu: int) -> int | None:
    """Pin this process to one CPU; the CPU used, or None where affinity is unsupported."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = os.sched_getaffinity(0)
    chosen = cpu if cpu in allowed else min(allowed)
    os.sched_setaffinity(0, {chosen})
    return chosen


def _floor_items(corpus: Path):  # type: ignore[no-untyped-def]
    """(conversations, messages) after each record: parse, validate, tokenize."""
    from serviceqa.ingest import read_paths
    from serviceqa.lang.text import tokenize
    from serviceqa.model import Rejected

    for item in read_paths([corpus]):
        if isinstance(item, Rejected):
            yield 0, 0
            continue
        for message in item.messages:
            tokenize(message.text)
        yield 1, len(item.messages)


def _full_items(corpus: Path):  # type: ignore[no-untyped-def]
    """(conversations, messages) after each record: read and score with default scorecards."""
    from serviceqa.ingest import read_paths
    from serviceqa.detect.registry import default_registry
    from serviceqa.lang.analysis import warm_up
    from serviceqa.run import ScorecardChooser, Scored, score_stream

    # every pack loaded before the first conversation: startup, not steady state
    warm_up(default_registry().sections_by_side())
    for item in score_stream(read_paths([corpus]), ScorecardChooser(None)):
        if isinstance(item, Scored):
            yield 1, len(item.conversation.messages)
        else:
            yield 0, 0


def _import_for(mode: str) -> None:
    """Import what the mode needs, so import time is measured apart from the first record."""
    import serviceqa.ingest  # noqa: F401
    import serviceqa.lang.text  # noqa: F401
    if mode == "full":
        import serviceqa.run  # noqa: F401


def measure(mode: str, corpus: Path, expect: int, cpu: int) -> dict[str, Any]:
    """One measurement in this process: timings, counts, RSS samples and peak RSS."""
    started = time.perf_counter()
    pinned = _pin(cpu)
    _import_for(mode)
    imported = time.perf_counter()
    rss_after_import = _rss_mb()
    every = max(1, expect // CHECKPOINTS)
    counts = {"records": 0, "conversations": 0, "messages": 0}
    first, first_cpu, first_messages = None, 0.0, 0
    samples: dict[str, float] = {}
    items = _floor_items(corpus) if mode == "floor" else _full_items(corpus)
    for conversations, messages in items:
        counts["records"] += 1
        counts["conversations"] += conversations
        counts["messages"] += messages
        if first is None:
            first, first_cpu = time.perf_counter(), time.process_time()
            first_messages = counts["messages"]
        if counts["records"] % every == 0:
            samples[str(counts["records"])] = round(_rss_mb(), 1)
    ended, ended_cpu = time.perf_counter(), time.process_time()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    import serviceqa  # the copy actually measured (--freeze / --ref put theirs first)

    source = str(Path(serviceqa.__file__).parent)
    steady_cpu = ended_cpu - first_cpu if first else 0.0
    return _worker_report(mode, pinned, counts, started, imported, first or ended, ended,
                          first_messages, steady_cpu, usage, rss_after_import, samples, source)


def _worker_report(mode: str, pinned: int | None, counts: dict[str, int], started: float,
                   imported: float, first: float, ended: float, first_messages: int,
                   steady_cpu: float, usage: Any, rss_after_import: float,
                   samples: dict[str, float], source: str) -> dict[str, Any]:
    steady_s = ended - first
    steady_conversations = max(0, counts["conversations"] - 1)
    steady_messages = counts["messages"] - first_messages
    return {
        "mode": mode, "pinned_cpu": pinned, "serviceqa_path": source,
        **counts,
        "rejected": counts["records"] - counts["conversations"],
        "import_s": round(imported - started, 4),
        "first_conversation_s": round(first - imported, 4),
        "startup_s": round(first - started, 4),
        "steady_s": round(steady_s, 3),
        "loop_s": round(ended - imported, 3),
        "conversations_per_s": round(steady_conversations / steady_s, 1) if steady_s else None,
        "messages_per_s": round(steady_messages / steady_s, 1) if steady_s else None,
        "overall_conversations_per_s": round(counts["conversations"] / (ended - started), 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "steady_cpu_s": round(steady_cpu, 3),
        "conversations_per_cpu_s": round(steady_conversations / steady_cpu, 1)
        if steady_cpu else None,
        "peak_rss_mb": round(_peak_rss_mb(usage), 1),
        "rss_after_import_mb": round(rss_after_import, 1),
        "rss_samples_mb": samples,
    }


def profile(corpus: Path, cpu: int, top: int = PROFILE_TOP) -> None:
    """cProfile of the full mode, top `top` functions by cumulative time, to stdout."""
    import cProfile
    import pstats

    _pin(cpu)
    profiler = cProfile.Profile()
    profiler.enable()
    total = sum(n for n, _ in _full_items(corpus))
    profiler.disable()
    print(f"full run on {total} conversations, top {top} by cumulative time:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[0] not in (*MODES, "profile"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, corpus, expect, cpu = argv
    if mode == "profile":
        profile(Path(corpus), int(cpu))
    else:
        print(json.dumps(measure(mode, Path(corpus), int(expect), int(cpu))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
