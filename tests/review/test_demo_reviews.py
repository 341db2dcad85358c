"""The hand-written demo reviews that bench_learn.py measures against: every verdict names
a demo conversation and a criterion of its scorecard, so none is dropped as unknown."""

from pathlib import Path

import yaml

from serviceqa.demo import CORPUS
from serviceqa.ingest import read_paths
from serviceqa.model import Conversation
from serviceqa.run import ScorecardChooser

REVIEWS = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "demo_reviews.yaml"


def test_demo_reviews_cover_the_corpus_with_real_criteria():
    verdicts = yaml.safe_load(REVIEWS.read_text(encoding="utf-8"))["verdicts"]
    conversations = {c.id: c for c in read_paths([CORPUS]) if isinstance(c, Conversation)}
    assert set(verdicts) == set(conversations)
    chooser = ScorecardChooser(None)
    for conversation_id, items in verdicts.items():
        card = chooser.for_conversation(conversations[conversation_id])
        ids = {criterion.id for criterion in card.criteria}
        assert set(items) <= ids, (conversation_id, set(items) - ids)
        assert set(items.values()) <= {"pass", "fail", "na"}, conversation_id
        assert {"greeting", "closing", "self_introduction", "politeness", "no_rudeness",
                "empathy", "next_steps"} <= set(items), conversation_id
