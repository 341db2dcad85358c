"""Learning from reviews on the demo corpus: training time, agreement with the reviewer
before and after (cross-validated), and what a learned model costs at scoring time.

    taskset -c 0 python benchmarks/bench_learn.py
    python benchmarks/bench_learn.py --repeats 3 --out /tmp/learn.json

1. Ingest the 77 demo conversations into a fresh SQLite store and store one submitted
   review per conversation with the verdicts of benchmarks/data/demo_reviews.yaml
   (written by hand; see its header), every criterion it lists.
2. `learn_from_store` (what `serviceqa learn` runs), timed: cross-validation per
   criterion and the final fit. The report gives accuracy and Cohen's kappa of the rules
   and of the learned verdicts against the reviewer, per criterion and per language.
   The same for a few regularisation strengths (`--cs`), each a training of its own.
3. Score the 77 conversations `--repeats` times with the rules alone and with a model
   (analysis included, as ingest does): conversations per second each way. The model is
   the stored one, or, when cross-validation kept none (the rules already agree with the
   reviewer), one fitted on all the reviews anyway, as it costs the same to apply.

Writes benchmarks/results/learn.json. Nothing asserts; timings are one run each.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import yaml
from sqlalchemy import insert

from serviceqa.demo import CORPUS
from serviceqa.ingest import read_paths
from serviceqa.model import Conversation
from serviceqa.review.learn import LearnSettings, build_examples, fit
from serviceqa.review.learn_model import LearnedModel
from serviceqa.review.learn_store import (conversation_lookup, scorecard_lookup,
                                          learn_from_store, load_model, stored_verdicts)
from serviceqa.run import ScorecardChooser, Scored, score_stream
from serviceqa.store import Store
from serviceqa.store.schema_review import ReviewRow, ReviewVerdictRow
from serviceqa.workspace import Workspace

HERE = Path(__file__).resolve().parent
REVIEWS = HERE / "data" / "demo_reviews.yaml"


def _corpus() -> list[Conversation]:
    return [c for c in read_paths([CORPUS]) if isinstance(c, Conversation)]


def _store_reviews(store: Store, verdicts: dict[str, dict[str, str]]) -> int:
    now = datetime.now(timezone.utc)
    count = 0
    with store.engine.begin() as connection:
        for conversation_id, items in sorted(verdicts.items()):
            review_id = connection.execute(insert(ReviewRow).values(
                conversation_id=conversation_id, reviewer_id=None, scorecard="chat",
                kind="review", status="submitted", score=None, passed=None, auto_score=None,
                calibration_session_id=None, created_at=now, submitted_at=now)
                .returning(ReviewRow.id)).scalar_one()
            connection.execute(insert(ReviewVerdictRow), [
                {"review_id": review_id, "criterion_id": k, "result": v, "auto_result": None,
                 "comment": None} for k, v in items.items()])
            count += len(items)
    return count


def _rate(conversations: list[Conversation], repeats: int, model: object) -> float:
    chooser = ScorecardChooser(None)
    list(score_stream(conversations, chooser, refiner=model))  # warm the packs and caches
    started = time.perf_counter()
    for _ in range(repeats):
        scored = [s for s in score_stream(conversations, chooser, refiner=model)
                  if isinstance(s, Scored)]
    elapsed = time.perf_counter() - started
    return len(scored) * repeats / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--min-reviews", type=int, default=30)
    parser.add_argument("--cs", type=float, nargs="*", default=[0.1, 10.0])
    parser.add_argument("--out", type=Path, default=HERE / "results" / "learn.json")
    args = parser.parse_args()
    conversations = _corpus()
    verdicts = yaml.safe_load(REVIEWS.read_text(encoding="utf-8"))["verdicts"]
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(f"sqlite:///{scratch}/learn.db")
        store.upgrade()
        Workspace(store).ingest([c.model_dump(mode="json") for c in conversations])
        reviewed = _store_reviews(store, verdicts)
        started = time.perf_counter()
        training, version = learn_from_store(store, LearnSettings(min_reviews=args.min_reviews))
        train_s = time.perf_counter() - started
        model = load_model(store)
        sweep = {}
        for c in args.cs:
            other, _ = learn_from_store(store, LearnSettings(min_reviews=args.min_reviews, c=c))
            sweep[str(c)] = {k: {"status": v["status"], "agreement": (v.get("agreement") or {})
                                 .get("all")} for k, v in other.criteria.items()}
        forced = model is None
        if forced:
            examples, _ = build_examples(stored_verdicts(store), conversation_lookup(store),
                                         scorecard_lookup(store))
            criteria = sorted({e.criterion for e in examples})
            model = LearnedModel(0, {c: fit(c, [e for e in examples if e.criterion == c
                                                and e.decidable], 1.0) for c in criteria})
        store.close()
    without = _rate(conversations, args.repeats, None)
    with_model = _rate(conversations, args.repeats, model) if model else None
    result = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0], "machine": platform.machine(),
        "conversations": len(conversations), "reviewed_verdicts": reviewed,
        "train_s": round(train_s, 3), "model_version": version,
        "trained": [] if forced else sorted(model.criteria),
        "overhead_model": "fitted on all reviews, not kept by cross-validation" if forced
                          else "the stored model",
        "weights": {c: len(m.weights) for c, m in model.criteria.items()} if model else {},
        "scoring_conv_per_s": {"rules": round(without, 1),
                               "with_model": round(with_model, 1) if with_model else None},
        "overhead_pct": round(100 * (without / with_model - 1), 1) if with_model else None,
        "criteria": training.criteria,
        "c_sweep": sweep,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    for criterion, row in training.criteria.items():
        figures = (row.get("agreement") or {}).get("all")
        line = f"{criterion}: {row['status'] or ''} {row['reason'] or ''}"
        if figures:
            line += (f" accuracy {figures['before']['accuracy']:.3f} -> "
                     f"{figures['after']['accuracy']:.3f}, kappa {figures['before']['kappa']}"
                     f" -> {figures['after']['kappa']}")
        print(line)
    print(f"train {train_s:.2f} s; scoring {without:.1f} conv/s rules, "
          f"{with_model or 0:.1f} with the model; written to {args.out}")


if __name__ == "__main__":
    main()
