"""Case files: `tests/cases/criteria/<criterion>/<lang>.yaml` hold `pass:` and `fail:`
conversations for a default-scorecard criterion; `tests/cases/detectors/<detector>/<lang>.yaml`
hold `found:` and `not_found:` conversations (sentiment: `positive:` / `negative:`).

A case is compact:
    - name: what it shows
      channel: chat            # optional; picks the default scorecard (phone -> phone)
      metadata: {rings_before_answer: 2}   # optional
      messages:
        - agent: "Добрый день!"
        - customer: "здрасте"
          at: "2026-11-02T10:00:00Z"       # optional timestamp
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from serviceqa.model import Conversation

CASES = Path(__file__).parent / "cases"
ROLES = ("agent", "customer", "bot", "system")


def to_conversation(case: dict[str, Any], case_id: str) -> Conversation:
    messages = []
    for item in case["messages"]:
        role = next(r for r in ROLES if r in item)
        message = {"role": role, "text": item[role]}
        if "at" in item:
            message["at"] = item["at"]
        messages.append(message)
    return Conversation.model_validate({
        "id": case_id, "channel": case.get("channel", "chat"),
        "agent": case.get("agent"), "metadata": case.get("metadata", {}),
        "messages": messages})


def load_cases(kind: str) -> list[tuple[str, str, str, str, dict[str, Any]]]:
    """(target, language, expectation, name, case) for every case of `kind`."""
    out = []
    for path in sorted((CASES / kind).glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for expectation, cases in data.items():
            for n, case in enumerate(cases or []):
                name = case.get("name", f"#{n}")
                out.append((path.parent.name, path.stem, expectation, name, case))
    return out
