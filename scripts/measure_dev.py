"""Measure the sentiment, toxicity and politeness detectors on the shared, human-labelled
development sets (`shared/data/dev/`, outside this repository; nothing from them is copied
here). `python scripts/measure_dev.py [--dev ../shared/data/dev] [--out FILE]`.

Each row is wrapped as a one-message conversation: customer texts for sentiment and
toxicity, agent texts for politeness. Reported: balanced accuracy per set, and coverage
(share of rows where the detector said anything at all).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from serviceqa.detect.registry import default_registry  # noqa: E402
from serviceqa.score.evaluate import analyse_for_scoring  # noqa: E402
from serviceqa.model import Conversation  # noqa: E402

TOXIC_AT = 0.3
AGENT_BAD = ("rudeness", "dismissive", "insult", "profanity", "informal_address")


def rows(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def findings(text: str, role: str, language: str) -> dict:
    conversation = Conversation.model_validate(
        {"id": "dev", "language": language, "messages": [{"role": role, "text": text}]})
    return default_registry().run(conversation, analyse_for_scoring(conversation))


def balanced(pairs: list[tuple[bool, bool]]) -> dict[str, float | int]:
    """Balanced accuracy of predicted (second) against gold (first) booleans."""
    pos = [p for g, p in pairs if g]
    neg = [not p for g, p in pairs if not g]
    recall = sum(pos) / len(pos) if pos else 0.0
    specificity = sum(neg) / len(neg) if neg else 0.0
    return {"balanced_accuracy": round((recall + specificity) / 2, 3),
            "recall": round(recall, 3), "specificity": round(specificity, 3),
            "positives": len(pos), "negatives": len(neg)}


def sentiment_set(path: Path, language: str, polarity: Callable[[dict], str | None]) -> dict:
    pairs, said, total = [], 0, 0
    for row in rows(path):
        gold = polarity(row["label"])
        if gold not in ("negative", "positive"):
            continue
        value = findings(row["text"], "customer", language)["customer_sentiment"].value or 0.0
        total += 1
        said += value != 0.0
        if value != 0.0:
            pairs.append((gold == "negative", value < 0))
    return {**balanced(pairs), "coverage": round(said / total, 3) if total else 0.0,
            "note": "negative vs positive rows; rows where sentiment is 0 are not counted"}


def toxicity_set(path: Path, language: str, toxic: Callable[[dict], bool | None]) -> dict:
    pairs = []
    for row in rows(path):
        gold = toxic(row["label"])
        if gold is None:
            continue
        found = findings(row["text"], "customer", language)
        pairs.append((gold, (found["toxicity"].value or 0.0) >= TOXIC_AT or
                      found["rude_customer"].found))
    return balanced(pairs)


def politeness_set(path: Path) -> dict:
    pairs = []
    for row in rows(path):
        polite = row["label"].get("polite")
        if polite is None:
            continue
        found = findings(row["text"], "agent", "en")
        pairs.append((not polite, any(found[name].found for name in AGENT_BAD)))
    return {**balanced(pairs), "note": "impolite (bottom quartile) vs polite (top quartile) "
                                       "requests as agent messages; flagged = any rude detector"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dev", default=str(ROOT.parent / "shared" / "data" / "dev"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "dev_measurements.json"))
    args = parser.parse_args()
    dev = Path(args.dev)
    if not dev.is_dir():
        raise SystemExit(f"no development data at {dev}")
    result = {
        "kk_kazsandra_sentiment": sentiment_set(dev / "kk_kazsandra_sentiment.jsonl", "kk",
                                                lambda l: l.get("polarity")),
        "hu_husst_sentiment": sentiment_set(dev / "hu_husst_sentiment.jsonl", "hu",
                                            lambda l: l.get("sentiment")),
        "cs_facebook_sentiment": sentiment_set(dev / "cs_facebook_sentiment.jsonl", "cs",
                                               lambda l: l.get("sentiment")),
        "ru_detox_toxicity": toxicity_set(dev / "ru_detox_toxicity.jsonl", "ru",
                                          lambda l: bool(l["toxic"])),
        "en_davidson_offensive": toxicity_set(
            dev / "en_davidson_offensive.jsonl", "en",
            lambda l: {"offensive_language": True, "neither": False}.get(l.get("class"))),
        "en_stanford_politeness": politeness_set(dev / "en_stanford_politeness.jsonl"),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for name, numbers in result.items():
        print(f"{name:26} balanced accuracy {numbers['balanced_accuracy']:.3f}  "
              f"recall {numbers['recall']:.3f}  specificity {numbers['specificity']:.3f}"
              + (f"  coverage {numbers['coverage']:.3f}" if "coverage" in numbers else ""))


if __name__ == "__main__":
    main()
