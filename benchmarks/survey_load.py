"""Load client of benchmarks/bench_survey.py, run in its own process: C concurrent
clients (asyncio + httpx, keep-alive) GET the survey page of, or POST a response to, the
links in a file (one token a line). A POST uses each token once, so every response is a
new one (201); a GET cycles through them.

Prints one JSON object: requests, errors, seconds, requests_per_s, p50/p95/p99/max (ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from api_load import latency_report  # type: ignore[import-not-found]

COMMENTS = ["Ждал ответа целый час, оператор так и не помог", "Рақмет, бәрі жақсы болды",
            "Nagyon kedvesek voltak, köszönöm", "Čekal jsem dlouho, ale nakonec to vyřešili",
            "Great help, thank you!", "", "", ""]


async def _client(http: httpx.AsyncClient, args: argparse.Namespace, stop: float,
                  tokens: list[str], latencies: list[float], errors: list[int],
                  rng: random.Random) -> None:
    cursor = 0
    while time.perf_counter() < stop:
        if args.mode == "post":
            if not tokens:
                return
            token = tokens.pop()
            form = {"csat": str(rng.randint(1, 5)), "nps": str(rng.randint(0, 10)),
                    "comment": rng.choice(COMMENTS)}
            began = time.perf_counter()
            status = await _send(http.post(f"/s/{token}", data=form))
            ok = status == 201
        else:
            token = tokens[cursor % len(tokens)]
            cursor += 1
            began = time.perf_counter()
            status = await _send(http.get(f"/s/{token}"))
            ok = status == 200
        if ok:
            latencies.append(time.perf_counter() - began)
        else:
            errors.append(status)


async def _send(request: Any) -> int:
    """The status, or 0 when the connection failed (counted as an error, not a crash)."""
    try:
        response = await request
    except httpx.TransportError:
        return 0
    return int(response.status_code)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    tokens = args.tokens.read_text(encoding="utf-8").split()
    limits = httpx.Limits(max_connections=args.concurrency)
    latencies: list[float] = []
    errors: list[int] = []
    async with httpx.AsyncClient(base_url=args.url, limits=limits, timeout=60) as http:
        began = time.perf_counter()
        stop = began + args.seconds
        clients = []
        for n in range(args.concurrency):
            # GET: each client its own slice, so pages are not all the same row
            own = tokens if args.mode == "post" else tokens[n::args.concurrency] or tokens
            clients.append(_client(http, args, stop, own, latencies, errors, random.Random(n)))
        await asyncio.gather(*clients)
        elapsed = time.perf_counter() - began
    return latency_report(latencies, errors, elapsed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--tokens", type=Path, required=True)
    parser.add_argument("--mode", choices=("get", "post"), required=True)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(run(args))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
