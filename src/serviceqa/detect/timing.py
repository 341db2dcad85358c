"""Timings from message timestamps and call metadata. A missing timestamp or metadata field
gives None, which makes the criteria that need it N/A, never an error."""

from __future__ import annotations

from datetime import datetime

from ..model import Conversation
from .base import Context, Detector, Finding, whole_message


def _seconds(later: datetime, earlier: datetime) -> float | None:
    if (later.tzinfo is None) != (earlier.tzinfo is None):
        return None
    return (later - earlier).total_seconds()


def _responder_roles(conversation: Conversation) -> tuple[str, ...]:
    """Humans answer; a bot counts only where no human agent took part."""
    has_agent = any(m.role == "agent" for m in conversation.messages)
    return ("agent",) if has_agent else ("bot",)


class FirstResponseDetector(Detector):
    """Seconds from the customer's first message to the first agent reply after it.
    Evidence: both messages."""

    name = "first_response_s"
    kind = "metric"

    def detect(self, ctx: Context) -> Finding:
        messages = ctx.conversation.messages
        roles = _responder_roles(ctx.conversation)
        first = next((i for i, m in enumerate(messages) if m.role == "customer"), None)
        if first is None or messages[first].at is None:
            return Finding(self.name, False)
        reply = next((i for i in range(first + 1, len(messages))
                      if messages[i].role in roles and messages[i].at is not None), None)
        if reply is None:
            return Finding(self.name, False)
        value = _seconds(messages[reply].at, messages[first].at)  # type: ignore[arg-type]
        if value is None:
            return Finding(self.name, False)
        evidence = tuple(whole_message(ctx.analysis.messages[i], self.name) for i in (first, reply))
        return Finding(self.name, True, evidence, max(0.0, value))


class MaxReplyGapDetector(Detector):
    """The longest wait, in seconds, between a customer message and the next agent reply."""

    name = "max_reply_gap_s"
    kind = "metric"

    def detect(self, ctx: Context) -> Finding:
        roles = _responder_roles(ctx.conversation)
        waiting_since: tuple[int, datetime] | None = None
        worst: tuple[float, int, int] | None = None
        for i, message in enumerate(ctx.conversation.messages):
            if message.at is None:
                continue
            if message.role == "customer" and waiting_since is None:
                waiting_since = (i, message.at)
            elif message.role in roles and waiting_since is not None:
                gap = _seconds(message.at, waiting_since[1])
                if gap is not None and (worst is None or gap > worst[0]):
                    worst = (gap, waiting_since[0], i)
                waiting_since = None
        if worst is None:
            return Finding(self.name, False)
        evidence = tuple(whole_message(ctx.analysis.messages[i], self.name) for i in worst[1:])
        return Finding(self.name, True, evidence, max(0.0, worst[0]))


class DurationDetector(Detector):
    """Conversation length in seconds: `metadata.duration_s`, else first to last timestamp."""

    name = "duration_s"
    kind = "metric"

    def detect(self, ctx: Context) -> Finding:
        given = ctx.conversation.metadata.get("duration_s")
        if isinstance(given, (int, float)) and not isinstance(given, bool) and given >= 0:
            return Finding(self.name, True, (), float(given))
        stamps = [m.at for m in ctx.conversation.messages if m.at is not None]
        if len(stamps) < 2:
            return Finding(self.name, False)
        value = _seconds(stamps[-1], stamps[0])
        return Finding(self.name, value is not None, (), value)


class RingsDetector(Detector):
    """Rings before the call was answered, from `metadata.rings_before_answer`."""

    name = "rings_before_answer"
    kind = "metric"

    def detect(self, ctx: Context) -> Finding:
        rings = ctx.conversation.metadata.get("rings_before_answer")
        if isinstance(rings, bool) or not isinstance(rings, (int, float)) or rings < 0:
            return Finding(self.name, False)
        return Finding(self.name, True, (), float(rings))


DETECTORS = [FirstResponseDetector(), MaxReplyGapDetector(), DurationDetector(), RingsDetector()]
