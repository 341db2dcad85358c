"""What every detector shares: the Finding it returns, the context it reads, the phrase
detector most of them are, and the registry that refuses duplicate or malformed names."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from ..lang.analysis import Analysis, MessageAnalysis
from ..lang.matcher import Hit
from ..model import Conversation, Evidence

Side = Literal["agent", "customer"]
Scope = Literal["all", "opening", "closing"]
Polarity = Literal["good", "bad", "neutral"]
OPENING_MESSAGES = 2
CLOSING_MESSAGES = 2


@dataclass(frozen=True, slots=True)
class Finding:
    """A detector's verdict. Flags are read as booleans in scorecards, metrics as numbers."""

    name: str
    found: bool
    evidence: tuple[Evidence, ...] = ()
    value: float | None = None
    missing: tuple[Evidence, ...] = ()  # where a good thing was expected but not found


@dataclass
class Context:
    """What detectors read. Messages and hits per side and scope are worked out once per
    conversation, as some forty detectors ask for them."""

    conversation: Conversation
    analysis: Analysis
    findings: dict[str, Finding] = field(default_factory=dict)
    _messages: dict[tuple[Side, Scope], list[MessageAnalysis]] = field(default_factory=dict)
    _hits: dict[tuple[Side, Scope], dict[str, list[tuple[MessageAnalysis, Hit]]]] = field(
        default_factory=dict)

    def messages(self, side: Side, scope: Scope = "all") -> list[MessageAnalysis]:
        """Messages of one side (a fresh list: callers may keep or change it)."""
        found = self._messages.get((side, scope))
        if found is None:
            found = self._messages[(side, scope)] = self._select(side, scope)
        return list(found)

    def _select(self, side: Side, scope: Scope) -> list[MessageAnalysis]:
        """Opening and closing are the human agent's when a human took part: a bot's
        welcome must not hide the agent's own greeting."""
        wanted = [m for m in self.analysis.messages if m.is_agent == (side == "agent")]
        if side == "customer":
            wanted = [m for m in wanted if m.role == "customer"]
        elif scope != "all" and any(m.role == "agent" for m in wanted):
            wanted = [m for m in wanted if m.role == "agent"]
        if scope == "opening":
            return wanted[:OPENING_MESSAGES]
        if scope == "closing":
            return wanted[-CLOSING_MESSAGES:]
        return wanted

    def hits(self, section: str, side: Side, scope: Scope = "all"
             ) -> list[tuple[MessageAnalysis, Hit]]:
        by_section = self._hits.get((side, scope))
        if by_section is None:
            by_section = self._hits[(side, scope)] = defaultdict(list)
            for message in self.messages(side, scope):
                for hit in message.hits:
                    by_section[hit.section].append((message, hit))
        return list(by_section.get(section, ()))

    def flag(self, name: str) -> bool:
        finding = self.findings.get(name)
        return bool(finding and finding.found)


def evidence_of(message: MessageAnalysis, start: int, end: int, detector: str) -> Evidence:
    return Evidence(message=message.index, start=start, end=end,
                    text=message.text[start:end], detector=detector)


def whole_message(message: MessageAnalysis, detector: str, missing: bool = False) -> Evidence:
    return Evidence(message=message.index, start=0, end=len(message.text), text=message.text,
                    missing=missing, detector=detector)


def merge_evidence(items: Iterable[Evidence]) -> tuple[Evidence, ...]:
    """Evidence in message order, without repeats or spans inside a longer span."""
    unique = {(e.message, e.start, e.end, e.missing): e for e in items}
    return tuple(unique[k] for k in _outermost(unique))


def hit_evidence(hits: Iterable[tuple[MessageAnalysis, Hit]], detector: str
                 ) -> tuple[Evidence, ...]:
    """merge_evidence of hits, building Evidence only for the spans that are kept."""
    unique = {(m.index, h.start, h.end, False): m for m, h in hits}
    return tuple(evidence_of(unique[k], k[1], k[2], detector) for k in _outermost(unique))


def _outermost(keys: Iterable[tuple[int, int, int, bool]]) -> list[tuple[int, int, int, bool]]:
    """(message, start, end, missing) in order, leaving out spans inside the one before."""
    kept: list[tuple[int, int, int, bool]] = []
    for key in sorted(keys, key=lambda k: (k[0], k[1], -k[2])):
        if kept and kept[-1][0] == key[0] and kept[-1][1] <= key[1] and key[2] <= kept[-1][2]:
            continue
        kept.append(key)
    return kept


class Detector:
    """Base of all detectors: `name` is what scorecards write, `polarity` says whether
    finding it is good (greeting), bad (rudeness) or neither (a customer type)."""

    name: ClassVar[str]
    side: ClassVar[Side] = "agent"
    polarity: ClassVar[Polarity] = "neutral"
    kind: ClassVar[Literal["flag", "metric"]] = "flag"
    reads: ClassVar[frozenset[str]] = frozenset()  # pack sections it looks at, on its side

    def sections(self) -> frozenset[str]:
        return self.reads

    def detect(self, ctx: Context) -> Finding:
        raise NotImplementedError


class PhraseDetector(Detector):
    """Found when the pack section `section` (default: the detector's name) matches in the
    messages of `side` within `scope`."""

    section: ClassVar[str | None] = None
    scope: ClassVar[Scope] = "all"

    @classmethod
    def section_name(cls) -> str:
        return cls.section or cls.name

    def sections(self) -> frozenset[str]:
        return self.reads | {self.section_name()}

    def detect(self, ctx: Context) -> Finding:
        evidence = hit_evidence(ctx.hits(self.section_name(), self.side, self.scope), self.name)
        missing: tuple[Evidence, ...] = ()
        if not evidence and self.polarity == "good" and self.scope != "all":
            scoped = ctx.messages(self.side, self.scope)
            if scoped:
                target = scoped[0] if self.scope == "opening" else scoped[-1]
                missing = (whole_message(target, self.name, missing=True),)
        return Finding(self.name, bool(evidence), evidence, float(len(evidence)), missing)


_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class Registry:
    """Detectors by name, in the order they run (derived detectors after their inputs)."""

    def __init__(self, detectors: Iterable[Detector]) -> None:
        self._detectors: dict[str, Detector] = {}
        self._sections: dict[str, frozenset[str]] | None = None
        for detector in detectors:
            self.add(detector)

    def add(self, detector: Detector) -> None:
        name = getattr(detector, "name", None)
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f"detector {type(detector).__name__} has a malformed name {name!r}")
        if name in self._detectors:
            raise ValueError(f"detector name '{name}' is registered twice")
        self._detectors[name] = detector
        self._sections = None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._detectors.values())

    def __contains__(self, name: object) -> bool:
        return name in self._detectors

    def names(self) -> tuple[str, ...]:
        return tuple(self._detectors)

    def get(self, name: str) -> Detector:
        return self._detectors[name]

    def sections_by_side(self) -> dict[str, frozenset[str]]:
        """The pack sections some detector reads, per side: a message is matched only
        against those of its own side (greetings are not looked for in customer messages)."""
        if self._sections is None:
            found: dict[str, set[str]] = {"agent": set(), "customer": set()}
            for detector in self._detectors.values():
                found[detector.side] |= detector.sections()
            self._sections = {side: frozenset(names) for side, names in found.items()}
        return self._sections

    def run(self, conversation: Conversation, analysis: Analysis) -> dict[str, Finding]:
        ctx = Context(conversation, analysis)
        for detector in self._detectors.values():
            ctx.findings[detector.name] = detector.detect(ctx)
        return ctx.findings
