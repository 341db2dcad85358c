"""Agreement of automatic verdicts with the demo authors' labels, per language and criterion.

`python scripts/measure_demo.py [--out benchmarks/results/demo_agreement.json]`
The authors labelled each demo conversation as written (`demo/corpus/<lang>.expected.yaml`);
this counts how often the scorer agrees, and also checks customer types and threats.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from serviceqa.demo import CORPUS, corpus_files  # noqa: E402
from serviceqa.ingest import read_file  # noqa: E402
from serviceqa.model import Conversation  # noqa: E402
from serviceqa.score.evaluate import score_conversation  # noqa: E402


def measure() -> dict[str, dict[str, dict[str, int]]]:
    tally: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(
        lambda: {"agree": 0, "total": 0}))
    for source in corpus_files():
        labels = yaml.safe_load((CORPUS / f"{source.stem}.expected.yaml").read_text("utf-8"))
        for conversation in read_file(source):
            if not isinstance(conversation, Conversation):
                continue
            label = labels[conversation.id]
            evaluation = score_conversation(conversation)
            got = {c.id: c.result for c in evaluation.criteria}
            checks = {k: (v, got[k]) for k, v in label["criteria"].items() if k in got}
            checks["threat"] = (label["threat"], evaluation.customer.threat)
            for kind in ("clueless", "know_it_all", "rude", "offended", "chatty", "claim_seeker"):
                checks[f"type:{kind}"] = (kind in label["customer_types"],
                                          kind in evaluation.customer.types)
            checks["callback"] = (bool(label.get("customer_very_dissatisfied")),
                                  any(a.kind == "callback" for a in evaluation.alerts))
            for name, (want, have) in checks.items():
                cell = tally[source.stem][name]
                cell["total"] += 1
                cell["agree"] += int(want == have)
    return {lang: dict(rows) for lang, rows in tally.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "demo_agreement.json"))
    args = parser.parse_args()
    result = measure()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", "utf-8")
    names = sorted({n for rows in result.values() for n in rows})
    print("check".ljust(24) + "".join(lang.rjust(8) for lang in sorted(result)))
    for name in names:
        cells = [result[lang].get(name) for lang in sorted(result)]
        print(name.ljust(24) + "".join(
            (f"{c['agree']}/{c['total']}" if c else "-").rjust(8) for c in cells))


if __name__ == "__main__":
    main()
