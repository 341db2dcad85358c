"""The rollup refresh at the end of a PostgreSQL bulk load, by one connection and by two.

    python benchmarks/bench_refresh.py                  # 100k conversations, ~3 minutes
    python benchmarks/bench_refresh.py --size 20000 --out /tmp/refresh.json

Stores N pairs (as bench_store.py makes them: the cached generated corpus, evaluations of
a 500-conversation sample) into a fresh database `serviceqa_bench_<hex>` through the bulk
path (`load_s` includes its own refresh). Then, --repeats times
in turn for 1 and 2 workers, marks all those days stale again and times
`Store.refresh_rollups(workers=…)`: wall seconds, and the CPU seconds of the local server's
processes (psutil). The database is dropped at the end. Results go to
benchmarks/results/refresh.json; nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from serviceqa.store import Store
from serviceqa.store.engine import normalise_url
from serviceqa.store.schema_rollups import RollupGroupRow, RollupStaleDayRow

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_scoring import DEFAULT_CORPUS_DIR, ensure_corpus  # noqa: E402
from bench_store import DEFAULT_PG, TimedPairs, sample_evaluations, server_cpu_s  # noqa: E402

DEFAULT_OUT = HERE / "results" / "refresh.json"
WORKERS = (1, 2)


def _mark_stale(store: Store, days: list[str]) -> None:
    with store.engine.begin() as connection:
        connection.execute(RollupStaleDayRow.__table__.delete())
        connection.execute(insert(RollupStaleDayRow), [{"day": day} for day in days])


def measure(url: str, size: int, corpus: Path, repeats: int) -> dict[str, Any]:
    store = Store(url)
    store.upgrade()
    began = time.perf_counter()
    store.save_many(TimedPairs(size, sample_evaluations(), corpus), batch_size=1000, bulk=True)
    result: dict[str, Any] = {"conversations": size,
                              "load_s": round(time.perf_counter() - began, 1)}
    with store.engine.connect() as connection:  # every day the load is on
        days = sorted(connection.scalars(select(RollupGroupRow.day).distinct()))
    result["stale_days"] = len(days)
    for _ in range(repeats):
        for workers in WORKERS:
            _mark_stale(store, days)
            server_before, began = server_cpu_s(url), time.perf_counter()
            store.refresh_rollups(workers=workers)
            wall, server_after = time.perf_counter() - began, server_cpu_s(url)
            entry = result.setdefault(f"workers_{workers}", {"wall_s": [], "postgres_cpu_s": []})
            entry["wall_s"].append(round(wall, 2))
            if server_before is not None and server_after is not None:
                entry["postgres_cpu_s"].append(round(server_after - server_before, 2))
    store.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--pg-url", default=os.environ.get("SERVICEQA_BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    corpus, _ = ensure_corpus(args.size, 1, args.corpus_dir)
    url = make_url(normalise_url(args.pg_url))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"serviceqa_bench_{secrets.token_hex(4)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        result = measure(url.set(database=name).render_as_string(hide_password=False),
                         args.size, corpus, args.repeats)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
    report = {"measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "cpus": os.cpu_count(), "corpus": str(corpus), "postgresql": result}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
