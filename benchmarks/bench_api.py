"""API latency and throughput on a 100,000-conversation SQLite workspace.

    python benchmarks/bench_api.py                  # 100k stored, ~10 minutes
    python benchmarks/bench_api.py --size 5000 --seconds 3 --out /tmp/api-quick.json

1. Store N generated conversations (serviceqa.generate). Scoring 100k would take
   this benchmark's whole budget and is measured by bench_scoring.py, so only the first
   500 are scored; every conversation is stored with the evaluation of the sample
   conversation of the same language, its id and agent put in (Store.save_many).
2. Start `serviceqa serve` in a separate process.
3. From another process (benchmarks/api_load.py), 20 concurrent clients load each list and
   report endpoint for a while; then POST /conversations/batch ingests fresh conversations
   (scored on arrival) and we count conversations stored per second.

Results go to benchmarks/results/api.json. The server runs on --server-cpu and the load
client on --client-cpu (by default CPU 0 and 1: the client does not take the server's core;
give both the same CPU for a floor). Nothing here asserts a time.

    python benchmarks/bench_api.py --from-db /tmp/api100k.db   # reuse a built database
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from serviceqa.generate import generate
from serviceqa.model import Conversation, Evaluation
from serviceqa.run import ScorecardChooser, Scored, score_stream
from serviceqa.store import Store, default_url

HERE = Path(__file__).resolve().parent

DEFAULT_OUT = HERE / "results" / "api.json"
SAMPLE = 500  # scored for real; a multiple of the five languages, so languages line up
TARGET_P95_MS, TARGET_INGEST = 300, 200
ENDPOINTS = {
    "conversations": "/api/v1/conversations?limit=50",
    "conversations_filtered": "/api/v1/conversations?language=kk&min_score=60&limit=50",
    "conversations_page_100": "/api/v1/conversations?limit=50&offset=5000",
    "evaluations_failed_greeting": "/api/v1/evaluations?failed_criterion=greeting&limit=20",
    "alerts": "/api/v1/alerts?limit=50",
    "report_agent": "/api/v1/reports/agent",
    "report_week_team": "/api/v1/reports/week?team=Almaty",
    # A month, as the dashboard's period picker sends it (whole UTC days).
    "report_day_month": "/api/v1/reports/day?since=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00Z",
    "agents_month": "/api/v1/agents?since=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00Z",
    "agents": "/api/v1/agents",
}


def _sample_evaluations() -> list[Evaluation]:
    items = score_stream((Conversation.model_validate(r) for r in generate(SAMPLE, seed=7)),
                         ScorecardChooser(None))
    return [s.evaluation for s in items if isinstance(s, Scored)]


def _pairs(size: int, sample: list[Evaluation]) -> Any:
    for number, record in enumerate(generate(size, seed=1)):
        conversation = Conversation.model_validate(record)
        template = sample[number % len(sample)]
        agent = conversation.agent.id if conversation.agent else None
        yield conversation, template.model_copy(update={
            "conversation_id": conversation.id, "agent_id": agent,
            "channel": conversation.channel})


def build_database(path: Path, size: int) -> tuple[str, str, float]:
    """The workspace database and an admin token; returns (url, token, seconds to store)."""
    url = default_url(path)
    store = Store(url)
    store.upgrade()
    began = time.perf_counter()
    store.save_many(_pairs(size, _sample_evaluations()), batch_size=1000, bulk=True)
    seconds = time.perf_counter() - began
    _, token = store.accounts.add_user("bench", "admin")
    store.close()
    return url, token, seconds


def copy_database(source: Path, path: Path) -> tuple[str, str, float | None]:
    """A copy of an earlier run's database (its size is the caller's to say), upgraded, with
    a fresh admin token; the time to store is not measured then (None)."""
    shutil.copyfile(source, path)
    url = default_url(path)
    store = Store(url)
    store.upgrade()
    _, token = store.accounts.add_user(f"bench-{os.getpid()}", "admin")
    store.close()
    return url, token, None


def write_ingest_corpus(path: Path, count: int, prefix: str = "ingest-") -> Path:
    """Fresh conversations (new ids: every one is a create, scored on arrival)."""
    with path.open("w", encoding="utf-8") as handle:
        for record in generate(count, seed=99):
            record["id"] = record["id"].replace("bench-", prefix)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, port: int, cpu: int | str, log: Path,
                 workers: int = 1, scoring: int = 0) -> subprocess.Popen[bytes]:
    """`serviceqa serve` in its own process; its stderr goes to `log` (a pipe nobody reads
    would fill up and stall the server)."""
    command = ["taskset", "-c", str(cpu), sys.executable, "-m", "serviceqa.cli", "serve",
               "--db", url, "--port", str(port), "--insecure-cookies", "--workers", str(workers),
               "--scoring-processes", str(scoring)]
    server = subprocess.Popen(command, stderr=log.open("wb"))
    import httpx

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"serve exited: {log.read_text(errors='replace')}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
            return server
        except httpx.TransportError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("serve did not start in 180 s")


def _ingest(cpu: int | str, base: str, token: str, clients: int, corpus: Path,
            batch: int) -> dict[str, Any]:
    result = load(cpu, "--url", base + "/api/v1/conversations/batch", "--token", token,
                  "--concurrency", str(clients), "--seconds", "600", "--ingest", str(corpus),
                  "--batch", str(batch))
    print(f"ingest x{clients}: {result}", file=sys.stderr)
    return result


def _warm_ingest(args: argparse.Namespace, cpu: int | str, base: str, token: str, work: Path,
                 prefix: str) -> None:
    """POST a few batches first, not counted: a server runs for days, and its first
    conversations fill the pattern caches of each process (a cold pool worker spends a
    tenth of its time compiling them)."""
    if args.ingest_warmup > 0:
        corpus = write_ingest_corpus(work / f"{prefix}.jsonl", args.ingest_warmup, f"{prefix}-")
        _ingest(cpu, base, token, 4, corpus, 100)


def load(cpu: int | str, *args: str) -> dict[str, Any]:
    command = ["taskset", "-c", str(cpu), sys.executable, str(HERE / "api_load.py"), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="conversations stored")
    parser.add_argument("--seconds", type=float, default=15.0, help="per endpoint")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--ingest", type=int, default=3000, help="conversations to POST")
    parser.add_argument("--server-cpu", type=int, default=0, help="CPU of the server")
    parser.add_argument("--client-cpu", type=int, default=1,
                        help="CPU of the load client (the server's CPU: both share one)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--ingest-workers", type=int, default=2,
                        help="then ingest again with this many server processes on both CPUs")
    parser.add_argument("--ingest-scoring", type=int, default=2,
                        help="and with one server process scoring on a pool of this many")
    parser.add_argument("--ingest-warmup", type=int, default=400,
                        help="conversations POSTed to each server before an ingest run")
    parser.add_argument("--from-db", type=Path, default=None,
                        help="copy this database built by an earlier run instead of building")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="serviceqa-bench-api-"))
    if args.from_db:
        url, token, store_seconds = copy_database(args.from_db, work / "bench.db")
    else:
        url, token, store_seconds = build_database(work / "bench.db", args.size)
    if store_seconds is not None:
        print(f"stored {args.size} in {store_seconds:.0f} s", file=sys.stderr)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(url, port, args.server_cpu, work / "serve.log")
    results: dict[str, Any] = {}
    try:
        for name, path in ENDPOINTS.items():
            results[name] = load(args.client_cpu, "--url", base + path, "--token", token,
                                 "--concurrency", str(args.concurrency),
                                 "--seconds", str(args.seconds))
            print(f"{name}: {results[name]}", file=sys.stderr)
        _warm_ingest(args, args.client_cpu, base, token, work, "warm-1")
        for clients, batch in ((1, 100), (4, 100)):
            corpus = write_ingest_corpus(work / f"ingest{clients}.jsonl", args.ingest,
                                         f"ingest{clients}-")
            results[f"ingest_batch{batch}_x{clients}"] = _ingest(args.client_cpu, base, token,
                                                                 clients, corpus, batch)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Scoring on ingest is CPU work: on both CPUs, either N server processes, or one
    # server process scoring on a pool of N processes.
    cpus = ",".join(str(c) for c in sorted({args.server_cpu, args.client_cpu}))
    runs = [(f"ingest_batch100_x4_workers{args.ingest_workers}", args.ingest_workers, 0),
            (f"ingest_batch100_x4_scoring{args.ingest_scoring}", 1, args.ingest_scoring)]
    for label, workers, scoring in runs:
        if max(workers, scoring) < 2:
            continue
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(url, port, cpus, work / f"serve-{label}.log", workers, scoring)
        try:
            _warm_ingest(args, cpus, base, token, work, f"warm-{label}")
            corpus = write_ingest_corpus(work / f"{label}.jsonl", args.ingest, f"{label}-")
            results[label] = _ingest(cpus, base, token, 4, corpus, 100)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"server log: {work / 'serve.log'}", file=sys.stderr)
    report = _report(args, store_seconds, results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"results: {args.out}", file=sys.stderr)
    return 0


def _report(args: argparse.Namespace, store_seconds: float | None,
            results: dict[str, Any]) -> dict[str, Any]:
    reads = {k: v for k, v in results.items() if not k.startswith("ingest")}
    ingest = {k: v for k, v in results.items() if k.startswith("ingest")}
    worst_p95 = max((v["p95_ms"] or 0) for v in reads.values())
    best_ingest = max(v["conversations_per_s"] for v in ingest.values())
    return {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "server_cpu": args.server_cpu, "client_cpu": args.client_cpu,
                    "processor": platform.processor() or None},
        "setup": {"stored_conversations": args.size, "scored_sample": SAMPLE,
                  "store_seconds": None if store_seconds is None else round(store_seconds, 1),
                  "database": "sqlite",
                  "concurrency": args.concurrency, "seconds_per_endpoint": args.seconds,
                  "server_and_client_share_one_cpu": args.server_cpu == args.client_cpu,
                  "ingest_conversations": args.ingest,
                  "ingest_workers_on_both_cpus": args.ingest_workers,
                  "ingest_scoring_processes_on_both_cpus": args.ingest_scoring,
                  "ingest_warmup_conversations": args.ingest_warmup},
        "targets": {"p95_ms": TARGET_P95_MS, "ingest_conversations_per_s": TARGET_INGEST,
                    "worst_read_p95_ms": worst_p95, "p95_met": worst_p95 < TARGET_P95_MS,
                    "best_ingest_conversations_per_s": best_ingest,
                    "ingest_met": best_ingest >= TARGET_INGEST},
        "endpoints": {name: {"path": ENDPOINTS[name], **value} for name, value in reads.items()},
        "ingest": ingest,
    }


if __name__ == "__main__":
    sys.exit(main())
