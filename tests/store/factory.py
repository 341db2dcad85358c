"""Conversations and evaluations built directly with pydantic (no scoring code involved)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from serviceqa.model import Conversation, Evaluation

STARTED = datetime(2026, 11, 2, 10, 15, tzinfo=timezone.utc)


def conversation(cid: str, agent: str | None = "a-1", *, text: str = "Hello",
                 team: str = "Almaty", **extra: Any) -> Conversation:
    data: dict[str, Any] = {
        "id": cid, "channel": "chat", "started_at": STARTED.isoformat(),
        "customer": {"id": f"u-{cid}"},
        "messages": [{"role": "agent", "text": text, "at": STARTED.isoformat()},
                     {"role": "customer", "text": "Thanks"}],
    }
    if agent is not None:
        data["agent"] = {"id": agent, "name": f"Agent {agent}", "team": team}
    return Conversation.model_validate({**data, **extra})


def evaluation(cid: str, score: float | None = 80.0, passed: bool = True, *,
               criteria: dict[str, str] | None = None, alerts: Sequence[str] = (),
               types: Sequence[str] = (), **extra: Any) -> Evaluation:
    criteria = {"greeting": "pass"} if criteria is None else criteria
    return Evaluation.model_validate({
        "conversation_id": cid, "scorecard": "chat", "language": "ru",
        "score": score, "passed": passed,
        "criteria": [{"id": k, "result": v, "weight": 1.0,
                      "evidence": [{"message": 0, "start": 0, "end": 5, "text": "Hello"}]}
                     for k, v in criteria.items()],
        "customer": {"sentiment": -0.2, "types": list(types)},
        "alerts": [{"kind": k, "reason": f"{k} for {cid}"} for k in alerts],
        **extra,
    })
