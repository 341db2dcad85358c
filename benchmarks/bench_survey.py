"""The public survey page under load on SQLite: GET of the page and POST of a response,
from a separate process over loopback. Target: at least 200 responses/s with p95 under
200 ms. Runs in about a minute (three phases of 15 s).

    python benchmarks/bench_survey.py
    python benchmarks/bench_survey.py --seconds 5 --out /tmp/survey-quick.json

1. Store --conversations generated conversations (not scored: a survey needs only the
   conversation) and make --links signed links through the service, as the API does.
2. Start `serviceqa serve` in its own process (on --cpu).
3. From another process (benchmarks/survey_load.py, on --client-cpu), C clients GET survey
   pages, then POST responses (CSAT, NPS and, for three in eight, a comment in one of the
   five languages), each to a link not answered before, with --concurrency clients and
   again with a quarter of them (latency when the server is not saturated). Every POST goes
   the whole way: link check, one-response insert, comment analysis, follow-up rules,
   call-back tasks.

Results go to benchmarks/results/survey.json. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bench_api import _free_port, start_server  # type: ignore[import-not-found]
from serviceqa.feedback.service import Feedback
from serviceqa.generate import generate
from serviceqa.model import Conversation
from serviceqa.store import Store, default_url

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "survey.json"
TARGET_RPS, TARGET_P95_MS = 200, 200
LINK_CHUNK = 1000


def build(path: Path, conversations: int, links: int) -> tuple[str, Path, float]:
    began = time.perf_counter()
    url = default_url(path)
    store = Store(url)
    store.upgrade()
    stored = [Conversation.model_validate(r) for r in generate(conversations, seed=5)]
    store.save_many((c, None) for c in stored)
    feedback = Feedback(store)
    ids = [c.id for c in stored]
    tokens = []
    for start in range(0, links, LINK_CHUNK):
        chunk = [ids[(start + i) % len(ids)] for i in range(min(LINK_CHUNK, links - start))]
        tokens += [m["token"] for m in feedback.make_links("default", list(dict.fromkeys(chunk)))]
    store.close()
    token_file = path.with_suffix(".tokens")
    token_file.write_text("\n".join(tokens) + "\n", encoding="utf-8")
    return url, token_file, time.perf_counter() - began


def _halves(tokens: Path) -> tuple[Path, Path]:
    lines = tokens.read_text(encoding="utf-8").split()
    first, second = tokens.with_suffix(".first"), tokens.with_suffix(".second")
    first.write_text("\n".join(lines[::2]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[1::2]) + "\n", encoding="utf-8")
    return first, second


def load(cpu: int, *args: str) -> dict[str, Any]:
    command = ["taskset", "-c", str(cpu), sys.executable, str(HERE / "survey_load.py"), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=HERE)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=5000)
    parser.add_argument("--links", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=15.0, help="per phase")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--cpu", type=int, default=1, help="CPU of the server")
    parser.add_argument("--client-cpu", type=int, default=0, help="CPU of the load client")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="serviceqa-bench-survey-"))
    url, tokens, setup = build(work / "bench.db", args.conversations, args.links)
    print(f"{args.conversations} conversations, {args.links} links in {setup:.0f} s",
          file=sys.stderr)
    port = _free_port()
    server = start_server(url, port, args.cpu, work / "serve.log")
    base = f"http://127.0.0.1:{port}"
    common = ("--url", base, "--seconds", str(args.seconds))
    few = max(1, args.concurrency // 4)
    try:
        page = load(args.client_cpu, *common, "--tokens", str(tokens), "--mode", "get",
                    "--concurrency", str(args.concurrency))
        print(f"GET page: {page}", file=sys.stderr)
        first, second = _halves(tokens)  # each POST phase answers links of its own
        post = load(args.client_cpu, *common, "--tokens", str(first), "--mode", "post",
                    "--concurrency", str(args.concurrency))
        print(f"POST response x{args.concurrency}: {post}", file=sys.stderr)
        post_few = load(args.client_cpu, *common, "--tokens", str(second), "--mode", "post",
                        "--concurrency", str(few))
        print(f"POST response x{few}: {post_few}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {
        "benchmark": "survey page and response POST, SQLite, loopback, separate client process",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "server_cpu": args.cpu, "client_cpu": args.client_cpu},
        "settings": {"conversations": args.conversations, "links": args.links,
                     "seconds_per_phase": args.seconds, "concurrency": args.concurrency},
        "target": {"responses_per_s": TARGET_RPS, "p95_ms": TARGET_P95_MS},
        "get_page": page, "post_response": post,
        f"post_response_{few}_clients": post_few,
        "target_met": bool(post["requests_per_s"] >= TARGET_RPS
                           and (post["p95_ms"] or 1e9) < TARGET_P95_MS),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"results: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
