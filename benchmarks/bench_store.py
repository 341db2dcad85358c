"""Store ingest and report queries on N stored conversations, PostgreSQL and SQLite.

    python benchmarks/bench_store.py                       # 1,000,000 per backend (long)
    python benchmarks/bench_store.py --size 100000         # the quicker run
    python benchmarks/bench_store.py --size 5000 --backends sqlite --out /tmp/store.json

1. Score the first 500 generated conversations for real (scoring 1M is bench_scoring.py's
   job); every conversation is then stored with the evaluation of the sample conversation
   at the same position modulo 500 (so languages line up), its id and agent put in, as
   bench_api.py does.
2. Store the N pairs through `Store.save_many(bulk=True)` (the bulk path of `serviceqa
   ingest` and `batch`) into a fresh PostgreSQL database `serviceqa_bench_<hex>` (created,
   then dropped) and a fresh SQLite file. `conversations_per_s` is the wall-clock rate of
   the whole load, making the pairs included: reading and validating the conversations of
   a generated JSONL file (bench_scoring.py's cached corpus of the same size and seed; with
   `--pairs-from generate`, generated during the load instead) and copying the evaluation.
   The bulk path prepares the next batch while a writer thread stores the last, so the
   store's own time can no longer be told apart by subtracting. `making_pairs_s` is
   the time the main thread spent making pairs, `rollup_refresh_s` the recomputation of the
   stale days' rollups at the end (inside the load's time). `loader_cpu_s` is this
   process's CPU time over the load; on a local server `postgres_cpu_s` is the server's,
   and `cpu_bound_conversations_per_s` the rate the machine's cores would reach at that
   cost per conversation if nothing waited. With `--premade` every pair
   is made (and held in memory, about 10 KB each) before the clock starts, so the rate is
   the store's alone: for sizes that fit in memory.
3. Time the workspace's report queries, each run once to warm up, then --repeats times:
   median and p95 in milliseconds.

With `--replicate K` (for the query times at K times the size, when storing K*N through
the store would take too long) the N stored conversations are then copied K-1 times
inside the database, every row of every table, ids suffixed `-r1`, `-r2` …, times and
JSON kept (the copies' `data` still names the original id; no report reads it), and
the queries are timed on the K*N rows. The ingest figure stays the one of the N. The copies
bypass the writers, so the report rollups are rebuilt (timed) before the queries; they keep
the N's days, agents and channels, so the rollups are as many rows as at N and only their
sums grow: a real year has more distinct days and agents (see benchmarks/README.md).

Results go to benchmarks/results/store.json. Targets (issue 6): ingest >= 2,000
conversations/s on PostgreSQL; report queries under 500 ms on 1M there. Nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from itertools import islice
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from serviceqa.generate import generate
from serviceqa.ingest import read_paths
from serviceqa.model import Conversation, Evaluation
from serviceqa.run import ScorecardChooser, Scored, score_stream
from serviceqa.store import Filters, Store, default_url
from serviceqa.store.engine import normalise_url
from serviceqa.store.writer import Pair

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_scoring import DEFAULT_CORPUS_DIR, ensure_corpus  # noqa: E402
import machine_speed  # noqa: E402
DEFAULT_OUT = HERE / "results" / "store.json"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SAMPLE = 500
TARGET_INGEST, TARGET_QUERY_MS = 2000, 500
# generate() spreads started_at over 2026-11-02 .. about 2027-01-05.
MONTH = Filters(since=datetime(2026, 11, 1, tzinfo=timezone.utc),
                until=datetime(2026, 12, 1, tzinfo=timezone.utc))
WEEK = Filters(since=datetime(2026, 11, 16, tzinfo=timezone.utc),
               until=datetime(2026, 11, 23, tzinfo=timezone.utc))


def sample_evaluations() -> list[Evaluation]:
    items = score_stream((Conversation.model_validate(r) for r in generate(SAMPLE, seed=7)),
                         ScorecardChooser(None))
    return [s.evaluation for s in items if isinstance(s, Scored)]


class TimedPairs:
    """The N pairs, streamed; `seconds` is the time spent making them (not storing).

    The conversations are read from `corpus` (a generated JSONL file, read and validated by
    `read_paths` as any load reads its input), or, without one, generated in memory on
    the way (the generator's own work then counts as the load's)."""

    def __init__(self, size: int, sample: list[Evaluation], corpus: Path | None = None) -> None:
        self.size, self.sample, self.corpus, self.seconds = size, sample, corpus, 0.0

    def _conversations(self) -> Iterator[Conversation]:
        if self.corpus is None:
            for record in generate(self.size, seed=1):
                yield Conversation.model_validate(record)
            return
        for item in islice(read_paths([self.corpus]), self.size):
            if not isinstance(item, Conversation):
                raise SystemExit(f"{self.corpus}: a generated record was rejected: {item}")
            yield item

    def __iter__(self) -> Iterator[Pair]:
        began = time.perf_counter()
        for number, conversation in enumerate(self._conversations()):
            template = self.sample[number % len(self.sample)]
            agent = conversation.agent.id if conversation.agent else None
            pair = conversation, template.model_copy(update={
                "conversation_id": conversation.id, "agent_id": agent,
                "channel": conversation.channel})
            self.seconds += time.perf_counter() - began
            yield pair
            began = time.perf_counter()


def server_cpu_s(url: str) -> float | None:
    """CPU seconds so far of every PostgreSQL server process on this machine (backends,
    checkpointer, WAL writer), when the server is local and psutil is installed; else None.
    With the loader's own CPU time it shows what one stored conversation costs in all."""
    host = make_url(normalise_url(url)).host
    if not url.startswith("postgresql") or host not in ("127.0.0.1", "localhost", "::1"):
        return None
    try:
        import psutil
    except ImportError:
        return None
    total = 0.0
    for process in psutil.process_iter(["name"]):
        if (process.info["name"] or "").startswith("postgres"):
            try:
                total += sum(process.cpu_times()[:2])
            except psutil.Error:  # a backend that just ended
                pass
    return total


def cpu_figures(saved: int, loader_s: float, server_s: float | None) -> dict[str, Any]:
    """The load's CPU time, its cost per conversation, and the rate the machine's cores
    could reach at that cost if loader and server kept every core busy (on one machine)."""
    figures: dict[str, Any] = {"loader_cpu_s": round(loader_s, 1)}
    if server_s is None or not saved:
        return figures
    per_conversation = (loader_s + server_s) / saved
    return {**figures, "postgres_cpu_s": round(server_s, 1),
            "cpu_ms_per_conversation": round(1000 * per_conversation, 3),
            "cpu_bound_conversations_per_s": round((os.cpu_count() or 1) / per_conversation)}


class TimedRefresh:
    """Times `store.refresh_rollups`, which the bulk load calls when it ends."""

    def __init__(self, store: Store) -> None:
        self.seconds, self._refresh = 0.0, store.refresh_rollups
        store.refresh_rollups = self  # type: ignore[method-assign]

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        began = time.perf_counter()
        self._refresh(*args, **kwargs)
        self.seconds += time.perf_counter() - began


def weeks_of(filters: Filters) -> list[Filters]:
    """The Monday-to-Monday weeks that start inside `filters`' period."""
    assert filters.since is not None and filters.until is not None
    start = filters.since
    start = start.replace(day=start.day + (7 - start.weekday()) % 7)
    weeks, day = [], start.toordinal()
    while day < filters.until.toordinal():
        since = datetime.fromordinal(day).replace(tzinfo=timezone.utc)
        until = datetime.fromordinal(day + 7).replace(tzinfo=timezone.utc)
        weeks.append(Filters(since=since, until=until))
        day += 7
    return weeks


def report_queries(store: Store) -> dict[str, Callable[[], Any]]:
    """The workspace's reports: what the dashboard and the report pages ask for."""
    month_weeks = weeks_of(MONTH)
    return {
        "leaderboard_month": lambda: store.leaderboard(20, MONTH),
        "leaderboard_all": lambda: store.leaderboard(20),
        "criterion_pass_rates_week": lambda: store.criterion_pass_rates(WEEK),
        "criterion_pass_rates_per_week_of_month": lambda: [
            store.criterion_pass_rates(week) for week in month_weeks],
        "criterion_pass_rates_all": lambda: store.criterion_pass_rates(),
        "report_agent_month": lambda: store.report("agent", MONTH),
        "report_team_month": lambda: store.report("team", MONTH),
        "report_day_month": lambda: store.report("day", MONTH),
        "report_week_all": lambda: store.report("week"),
        "report_agent_all": lambda: store.report("agent"),
    }


def time_queries(store: Store, repeats: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, run in report_queries(store).items():
        first = time.perf_counter()
        rows = run()
        warm_up_ms = (time.perf_counter() - first) * 1000
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            run()
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        results[name] = {"median_ms": round(statistics.median(times), 1),
                         "p95_ms": round(p95, 1), "first_ms": round(warm_up_ms, 1),
                         "rows": len(rows)}
        print(f"  {name}: {results[name]}", file=sys.stderr)
    return results


REPLICATED = {
    "conversations": ["id", "channel", "language", "agent_id", "agent_name", "team",
                      "customer_id", "started_at", "message_count", "data", "ingested_at",
                      "updated_at"],
    "evaluations": ["conversation_id", "scorecard", "score", "passed", "language", "data",
                    "created_at", "final_score", "final_passed", "final_review_id"],
    "criterion_results": ["conversation_id", "criterion_id", "result", "weight",
                          "final_result"],
    "alerts": ["conversation_id", "kind", "reason", "created_at", "acknowledged", "priority"],
    "customer_types": ["conversation_id", "type"],
}


def replicate(store: Store, times: int) -> float:
    """Copy the stored rows `times - 1` times in SQL; returns the seconds it took."""
    began = time.perf_counter()
    for copy in range(1, times):
        with store.engine.begin() as connection:
            for table, columns in REPLICATED.items():
                key = columns[0]
                listed = ", ".join(columns)
                chosen = ", ".join(f"{c} || '-r{copy}'" if c == key else c for c in columns)
                connection.execute(text(f"INSERT INTO {table} ({listed}) SELECT {chosen} "
                                        f"FROM {table} WHERE {key} NOT LIKE '%-r%'"))
        print(f"  copy {copy} of {times - 1} done", file=sys.stderr)
    with store.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))
    return time.perf_counter() - began


def measure(url: str, size: int, sample: list[Evaluation], batch_size: int,
            repeats: int, times: int = 1, premade: bool = False,
            corpus: Path | None = None) -> dict[str, Any]:
    store = Store(url)
    store.upgrade()
    pairs: Any = TimedPairs(size, sample, corpus)
    made = 0.0
    if premade:  # made before the clock starts: the load's rate is then the store's alone
        began = time.perf_counter()
        pairs = list(pairs)
        made = time.perf_counter() - began
    refreshing = TimedRefresh(store)
    server_before, loader_before = server_cpu_s(url), time.process_time()
    began = time.perf_counter()
    saved = store.save_many(pairs, batch_size=batch_size, bulk=True)
    total = time.perf_counter() - began
    loader_s, server_after = time.process_time() - loader_before, server_cpu_s(url)
    server_s = server_after - server_before if server_after is not None \
        and server_before is not None else None
    print(f"  stored {saved} in {total:.0f} s", file=sys.stderr)
    result = {"conversations": saved, "batch_size": batch_size,
              "premade": premade, "premade_s": round(made, 1),
              "pairs_from": str(corpus) if corpus else "generated in memory",
              "total_s": round(total, 1),
              "making_pairs_s": 0.0 if premade else round(pairs.seconds, 1),
              "rollup_refresh_s": round(refreshing.seconds, 1),
              "conversations_per_s": round(saved / total),
              **cpu_figures(saved, loader_s, server_s),
              "stored": store.count_conversations()}
    if times > 1:
        result["replicated_s"] = round(replicate(store, times), 1)
        result["queried_conversations"] = store.count_conversations()
        began = time.perf_counter()  # the copies went in behind the writers' back
        store.rebuild_rollups()
        result["rollups_rebuilt_s"] = round(time.perf_counter() - began, 1)
    result["queries"] = time_queries(store, repeats)
    store.close()
    return result


def run_postgresql(admin_url: str, args: argparse.Namespace,
                   sample: list[Evaluation]) -> dict[str, Any]:
    url = make_url(normalise_url(admin_url))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"serviceqa_bench_{secrets.token_hex(4)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        version = connection.scalar(text("SHOW server_version"))
    try:
        bench_url = url.set(database=name).render_as_string(hide_password=False)
        result = measure(bench_url, args.size, sample, args.batch_size, args.repeats,
                         args.replicate, args.premade, args.corpus)
        with create_engine(bench_url).connect() as connection:
            size = connection.scalar(text("SELECT pg_database_size(current_database())"))
        return {"server_version": version, "database_mb": round(size / 2**20), **result}
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_sqlite(args: argparse.Namespace, sample: list[Evaluation]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="serviceqa-bench-store-") as work:
        path = Path(work) / "bench.db"
        result = measure(default_url(path), args.size, sample, args.batch_size, args.repeats,
                         args.replicate, args.premade, args.corpus)
        return {"database_mb": round(path.stat().st_size / 2**20), **result}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="conversations stored")
    parser.add_argument("--backends", nargs="+", default=["postgresql", "sqlite"],
                        choices=["postgresql", "sqlite"])
    parser.add_argument("--pg-url", default=os.environ.get("SERVICEQA_BENCH_PG_URL", DEFAULT_PG),
                        help="a server database to create the benchmark database from")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per query")
    parser.add_argument("--replicate", type=int, default=1, metavar="K",
                        help="time the queries on K copies of the stored conversations")
    parser.add_argument("--premade", action="store_true",
                        help="make every pair before timing the load (held in memory)")
    parser.add_argument("--pairs-from", choices=["corpus", "generate"], default="corpus",
                        help="read the conversations from a generated JSONL file (cached, "
                        "as bench_scoring.py's), or generate them during the load")
    parser.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.corpus = (ensure_corpus(args.size, 1, args.corpus_dir)[0]
                   if args.pairs_from == "corpus" else None)
    sample = sample_evaluations()
    backends: dict[str, Any] = {}
    report = {"measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "affinity": sorted(os.sched_getaffinity(0))},
              "machine_speed_before": machine_speed.measure(),
              "setup": {"size": args.size, "scored_sample": SAMPLE,
                        "batch_size": args.batch_size, "repeats": args.repeats,
                        "replicate": args.replicate, "premade": args.premade,
                        "pairs_from": args.pairs_from,
                        "month": [str(MONTH.since), str(MONTH.until)],
                        "week": [str(WEEK.since), str(WEEK.until)]},
              "targets": {"ingest_conversations_per_s": TARGET_INGEST,
                          "query_ms": TARGET_QUERY_MS},
              "backends": backends}
    for backend in args.backends:
        print(f"{backend}: storing {args.size}", file=sys.stderr)
        backends[backend] = (run_postgresql(args.pg_url, args, sample)
                             if backend == "postgresql" else run_sqlite(args, sample))
        backends[backend]["machine_speed_after"] = machine_speed.measure()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"results: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
