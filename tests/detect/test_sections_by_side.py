"""Each message is matched only against the sections its side's detectors read. If a
detector read a section it does not declare, its verdicts would change: this checks they
do not, on every demo and case conversation."""

from __future__ import annotations

import pytest

from serviceqa.demo import corpus_files
from serviceqa.detect.registry import default_registry
from serviceqa.ingest import read_paths
from serviceqa.lang.analysis import analyse
from serviceqa.model import Conversation
from serviceqa.output import evaluation_dict
from serviceqa.score.evaluate import analyse_for_scoring, evaluate
from serviceqa.score.scorecard import default_for_channel, load_scorecard

from ..cases import load_cases, to_conversation


def _conversations() -> list[Conversation]:
    found = [c for c in read_paths(corpus_files()) if isinstance(c, Conversation)]
    for kind in ("criteria", "detectors"):
        found += [to_conversation(case, f"{kind}-{n}")
                  for n, (*_, case) in enumerate(load_cases(kind))]
    return found


def test_each_side_reads_its_own_sections():
    sides = default_registry().sections_by_side()
    assert {"greeting", "closing", "time_frame"} <= sides["agent"]
    assert {"threat", "sentiment.positive"} <= sides["customer"] - sides["agent"]
    assert {"insult", "profanity", "rudeness"} <= sides["agent"] & sides["customer"]


def test_scoring_by_side_gives_the_same_evaluations_as_matching_everything():
    conversations = _conversations()
    assert len(conversations) > 1000
    for conversation in conversations:
        card = load_scorecard(default_for_channel(conversation.channel))
        everything = evaluation_dict(evaluate(conversation, analyse(conversation), card), True)
        by_side = evaluation_dict(evaluate(conversation, analyse_for_scoring(conversation),
                                           card), True)
        assert by_side == everything, conversation.id


@pytest.mark.parametrize("role", ["system"])
def test_system_messages_are_not_matched(role):
    conversation = Conversation.model_validate(
        {"id": "s", "messages": [{"role": role, "text": "Здравствуйте! Вы идиот."},
                                 {"role": "customer", "text": "Вы идиот."}]})
    analysis = analyse_for_scoring(conversation)
    assert analysis.messages[0].hits == () and analysis.messages[1].hits
