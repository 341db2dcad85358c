"""Follow-up rules (data/rules.yaml): which response or conversation makes which task.

- callback, on a response: CSAT 3 or less, satisfaction under 5 of 10, or an NPS detractor.
- answer, on a conversation: the agent handed over or promised to find out and come back,
  as the detectors `escalation` and `find_out_promise` see it (lang packs, all languages).
- incident, on a conversation: the evaluation raised a `safety` alert.
The task's source id is the response id or the conversation id; with the trigger it is
unique in the database, so each trigger makes exactly one task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..detect.registry import default_registry
from ..errors import ScorecardError
from ..detect.base import Context
from ..lang.analysis import analyse, warm_up
from .metrics import NPS_DETRACTOR
from ..model import Conversation, Evaluation
from .surveys import DATA

PROMISE_DETECTORS = ("find_out_promise", "escalation")
CLOSING_AGENT_MESSAGES = 2


class When(BaseModel):
    model_config = ConfigDict(extra="forbid")
    csat_at_most: int | None = None
    satisfaction_below: int | None = None
    nps_detractor: bool = False
    promised_answer: bool = False
    alert: str | None = None


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    trigger: str
    source: Literal["response", "conversation"]
    when: When
    task: Literal["callback", "answer", "incident"]
    due_in_hours: float = Field(gt=0)
    assign_to: Literal["agent", "lead", "reviewer"]


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    due_soon_hours: float = Field(24, gt=0)
    rules: list[Rule]


def load_rules(path: Path | None = None) -> Rules:
    """The rules file; a bad one names the file and the key."""
    path = path or DATA / "rules.yaml"
    try:
        return Rules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ScorecardError(first["msg"], path=str(path),
                             key=".".join(str(p) for p in first["loc"])) from exc


@lru_cache(maxsize=1)
def bundled_rules() -> Rules:
    return load_rules()


def response_reasons(when: When, csat: int | None, nps: int | None,
                     satisfaction: int | None) -> list[str]:
    """Why a response calls for this rule's task (empty: it does not)."""
    reasons = []
    if when.csat_at_most is not None and csat is not None and csat <= when.csat_at_most:
        reasons.append(f"CSAT {csat} of 5")
    if when.satisfaction_below is not None and satisfaction is not None \
            and satisfaction < when.satisfaction_below:
        reasons.append(f"satisfaction {satisfaction} of 10")
    if when.nps_detractor and nps is not None and nps <= NPS_DETRACTOR:
        reasons.append(f"NPS detractor ({nps} of 10)")
    return reasons


def _promise_sections() -> dict[str, frozenset[str]]:
    registry = default_registry()
    return {"agent": frozenset(s for name in PROMISE_DETECTORS
                               for s in registry.get(name).sections())}


def warm_up_promises() -> None:
    """Compile the two sections in every language pack once, before the first request."""
    warm_up(_promise_sections())


def promised_answer(conversation: Conversation) -> list[str]:
    """The agent's words that hand over or promise to come back with an answer, when the
    conversation ends on them: in one of the agent's last two messages. ("Let me check"
    followed by the answer in the same chat owes nothing.) Only those messages are
    analysed, only for the sections of the detectors `escalation` and `find_out_promise`,
    and only those two detectors run: this runs on every conversation stored."""
    closing = [m for m in conversation.messages if m.is_agent][-CLOSING_AGENT_MESSAGES:]
    if not closing:
        return []
    tail = conversation.model_copy(update={"messages": closing})
    registry = default_registry()
    context = Context(tail, analyse(tail, _promise_sections()))
    return [e.text for name in PROMISE_DETECTORS
            for e in registry.get(name).detect(context).evidence]


def conversation_reasons(when: When, conversation: Conversation,
                         evaluation: Evaluation | None) -> list[str]:
    reasons = []
    if when.alert and evaluation is not None:
        reasons += [f"{a.kind} alert: {a.reason}" for a in evaluation.alerts
                    if a.kind == when.alert]
    if when.promised_answer:
        reasons += [f"the agent said: “{text}”" for text in promised_answer(conversation)]
    return reasons


def due_from(start: datetime | None, rule: Rule, now: datetime) -> datetime:
    """Due `due_in_hours` after the conversation (or now, when it has no time)."""
    return (start or now) + timedelta(hours=rule.due_in_hours)


@dataclass(frozen=True)
class Owner:
    """Whose conversation a task is about: what the board filters and scopes by."""

    conversation_id: str
    agent_id: str | None
    team: str | None

    @classmethod
    def of(cls, conversation: Conversation) -> "Owner":
        agent = conversation.agent
        return cls(conversation.id, agent.id if agent else None, agent.team if agent else None)


def task_values(rule: Rule, source_id: str, owner: Owner, reasons: list[str],
                due_at: datetime, assignee: str | None) -> dict[str, Any]:
    return {"trigger_kind": rule.trigger, "source_id": source_id, "kind": rule.task,
            "conversation_id": owner.conversation_id, "agent_id": owner.agent_id,
            "team": owner.team,
            "assignee": assignee, "assignee_role": rule.assign_to,
            "reason": "; ".join(reasons), "due_at": due_at}
