"""Load client of benchmarks/bench_api.py, run in its own process: C concurrent clients
(asyncio + httpx, keep-alive) against one endpoint, for a duration or a request count.

    python benchmarks/api_load.py --url http://127.0.0.1:8000/api/v1/conversations \
        --token TOKEN --concurrency 20 --seconds 10

Prints one JSON object: requests, errors, seconds, throughput, p50/p95/p99/max (ms).
With --ingest FILE each request POSTs the next batch of a JSONL file instead of a GET.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def _batches(path: Path, size: int) -> list[bytes]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [("{\"conversations\": [" + ",".join(lines[i:i + size]) + "]}").encode()
            for i in range(0, len(lines), size)]


async def _client(http: httpx.AsyncClient, args: argparse.Namespace, stop: float,
                  latencies: list[float], errors: list[int], work: list[bytes] | None) -> int:
    stored = 0
    while time.perf_counter() < stop and (args.requests is None
                                          or len(latencies) + len(errors) < args.requests):
        if work is not None and not work:
            break
        began = time.perf_counter()
        if work is None:
            response = await http.get(args.url)
        else:
            response = await http.post(args.url, content=work.pop(),
                                       headers={"Content-Type": "application/json"})
        if response.status_code != 200:
            errors.append(response.status_code)
            continue
        latencies.append(time.perf_counter() - began)
        if work is not None:
            stored += int(response.json()["stored"])
    return stored


async def run(args: argparse.Namespace) -> dict[str, Any]:
    work = _batches(args.ingest, args.batch) if args.ingest else None
    headers = {"Authorization": f"Bearer {args.token}"}
    limits = httpx.Limits(max_connections=args.concurrency)
    latencies: list[float] = []
    errors: list[int] = []
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=300) as http:
        began = time.perf_counter()
        stop = began + args.seconds
        stored = await asyncio.gather(*(_client(http, args, stop, latencies, errors, work)
                                        for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - began
    report = latency_report(latencies, errors, elapsed)
    if work is not None:
        report["conversations_stored"] = sum(stored)
        report["conversations_per_s"] = round(sum(stored) / elapsed, 1)
    return report


def latency_report(latencies: list[float], errors: list[int],
                   elapsed: float) -> dict[str, Any]:
    """Requests, errors, rate and latency percentiles in ms (also for survey_load.py)."""
    ms = [1000 * v for v in latencies]
    report: dict[str, Any] = {
        "requests": len(latencies), "errors": len(errors),
        "error_statuses": sorted(set(errors)), "seconds": round(elapsed, 3),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": percentile(ms, 0.50), "p95_ms": percentile(ms, 0.95),
        "p99_ms": percentile(ms, 0.99), "max_ms": max(ms) if ms else None,
    }
    return {k: round(v, 1) if isinstance(v, float) else v for k, v in report.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--requests", type=int, default=None, help="stop after this many")
    parser.add_argument("--ingest", type=Path, default=None, help="JSONL to POST in batches")
    parser.add_argument("--batch", type=int, default=100, help="conversations per POST")
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(run(args))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
