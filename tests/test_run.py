"""The batch runner's process-wide settings for long runs."""

from __future__ import annotations

import gc

from serviceqa.model import Conversation
from serviceqa.run import YOUNG_COLLECTION_EVERY, ScorecardChooser, Scored, score_stream


def test_after_the_first_conversation_loaded_data_is_frozen_and_collections_are_rarer():
    conversation = Conversation.model_validate(
        {"id": "gc-1", "channel": "chat",
         "messages": [{"role": "customer", "text": "Dobrý den, kde je moje objednávka?"},
                      {"role": "agent", "text": "Dobrý den, hned to zjistím."}]})
    (result,) = score_stream([conversation], ScorecardChooser(None))
    assert isinstance(result, Scored)
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] >= YOUNG_COLLECTION_EVERY
