"""Follow-up rules (data/rules.yaml): which response or conversation makes which task.

- callback, on a response: CSAT 3 or less, satisfaction under 5 of 10, or an NPS detractor.
- answer, on a conversation: the agent handed over or promised to find out and come back,
  as the detectors `escalation` and `find_out_promise` see it (lang packs, all languages).
- incident, on a conversation: the evaluation raised a `safety` alert.
The task's source id is the response id or the conversation id; with the trigger it is
unique in the database, so each trigger makes exactly one task.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..detect.registry import default_registry
from ..errors import ScorecardError
from ..lang.analysis import analyse
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


def promised_answer(conversation: Conversation) -> list[str]:
    """The agent's words that hand over or promise to come back with an answer, when the
    conversation ends on them: in one of the agent's last two messages. ("Let me check"
    followed by the answer in the same chat owes nothing.) The detectors `escalation` and
    `find_out_promise` read the language packs; only their sections are matched here."""
    registry = default_registry()
    sections = frozenset(s for name in PROMISE_DETECTORS
                         for s in registry.get(name).sections())
    analysis = analyse(conversation, {"agent": sections})
    agent_messages = [m.index for m in analysis.messages if m.is_agent]
    closing = set(agent_messages[-CLOSING_AGENT_MESSAGES:])
    findings = registry.run(conversation, analysis)
    return [e.text for name in PROMISE_DETECTORS for e in findings[name].evidence
            if e.message in closing]


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


def task_values(rule: Rule, source_id: str, conversation: Conversation, reasons: list[str],
                due_at: datetime, assignee: str | None) -> dict[str, Any]:
    return {"trigger_kind": rule.trigger, "source_id": source_id, "kind": rule.task,
            "conversation_id": conversation.id,
            "agent_id": conversation.agent.id if conversation.agent else None,
            "team": conversation.agent.team if conversation.agent else None,
            "assignee": assignee, "assignee_role": rule.assign_to,
            "reason": "; ".join(reasons), "due_at": due_at}
