"""One check of the evidence contract, used by every test that looks at evidence."""

from __future__ import annotations

from typing import Any

from serviceqa.model import Conversation, Evidence


def assert_evidence(evidence: Evidence | dict[str, Any], conversation: Conversation) -> None:
    item = evidence if isinstance(evidence, Evidence) else Evidence.model_validate(evidence)
    assert 0 <= item.message < len(conversation.messages), f"no message {item.message}"
    text = conversation.messages[item.message].text
    assert 0 <= item.start <= item.end <= len(text), f"span {item.start}:{item.end} out of range"
    assert text[item.start:item.end] == item.text, (
        f"evidence text {item.text!r} is not message {item.message}[{item.start}:{item.end}]"
        f" = {text[item.start:item.end]!r}")
