"""Assignment queues: the rules pick conversations for human review, each goes to the
reviewer with the fewest open assignments under their quota, due after the rule's days.

Deterministic: the same stored data, rules and seed give the same assignments. The random
sample ranks each agent's week of conversations by sha256(seed:id) and takes the first
`percent`, so it does not depend on the order rows come back in.

Uncertainty (the `uncertain` rule), from what an evaluation carries, in [0, 1]:
- margin: 1 - |score - pass_score| / margin_points, at least 0 (a score near the pass
  threshold could fall either side with one verdict changed);
- thin evidence: the share of applicable weight whose pass rests on a single evidence
  span shorter than `short_evidence_chars` (a lone "Hi" or "ок" could be anything);
- the larger of the two; a conversation with no applicable criterion (score None) is 1.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from serviceqa.errors import NotFound, ScorecardError
from serviceqa.review.reviews import LEADS, now
from serviceqa.review.rules import (AlertRule, RandomRule, ReviewRules, ScoreBelowRule,
                                    UncertainRule)
from serviceqa.review.store import latest_final_reviews
from serviceqa.store.accounts import User
from serviceqa.store.schema import AlertRow, ConversationRow, EvaluationRow, UserRow
from serviceqa.store.schema_review import AssignmentRow, ReviewRow
from serviceqa.workspace import Workspace

DEFAULT_PASS_SCORE = 80.0


@dataclass(frozen=True)
class Candidate:
    id: str
    agent_id: str | None
    started_at: datetime | None
    score: float | None
    pass_score: float
    alerts: frozenset[str]
    criteria: tuple[dict[str, Any], ...]

    @property
    def week(self) -> str:
        if self.started_at is None:
            return "none"
        year, week, _ = self.started_at.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Pick:
    conversation_id: str
    rule: str
    reason: str
    due_days: float


def uncertainty(candidate: Candidate, rule: UncertainRule) -> float:
    if candidate.score is None:
        return 1.0
    margin = max(0.0, 1.0 - abs(candidate.score - candidate.pass_score) / rule.margin_points)
    applicable = [c for c in candidate.criteria if c.get("result") != "na"]
    total = sum(float(c.get("weight", 1.0)) for c in applicable)
    thin = sum(float(c.get("weight", 1.0)) for c in applicable
               if _thin(c, rule.short_evidence_chars))
    return round(max(margin, thin / total if total else 0.0), 4)


def _thin(criterion: dict[str, Any], short: int) -> bool:
    """A pass that rests on one short span (a lone "Hi", "ок"). A verdict without
    evidence is not thin: "no rudeness found" has nothing to point at by nature."""
    found = [e for e in criterion.get("evidence", []) if not e.get("missing")]
    return criterion.get("result") == "pass" and len(found) == 1 \
        and len(found[0].get("text", "")) < short


def _rank(seed: int, conversation_id: str) -> str:
    return hashlib.sha256(f"{seed}:{conversation_id}".encode()).hexdigest()


def pick(candidates: list[Candidate], rules: ReviewRules) -> list[Pick]:
    """What the rules choose, in rule order; each conversation once (its first rule)."""
    chosen: dict[str, Pick] = {}
    for rule in rules.rules:
        due = rule.due_days or rules.due_days
        for cid, reason in _apply(rule, candidates, rules.seed):
            chosen.setdefault(cid, Pick(cid, rule.id, reason, due))
    return list(chosen.values())


def _apply(rule: Any, candidates: list[Candidate], seed: int) -> list[tuple[str, str]]:
    if isinstance(rule, AlertRule):
        wanted = set(rule.alert_kinds)
        return [(c.id, "alert: " + ", ".join(sorted(c.alerts & wanted)))
                for c in candidates if c.alerts & wanted]
    if isinstance(rule, ScoreBelowRule):
        return [(c.id, f"score {c.score:g} < {rule.below:g}")
                for c in candidates if c.score is not None and c.score < rule.below]
    if isinstance(rule, UncertainRule):
        return _uncertain(rule, candidates)
    assert isinstance(rule, RandomRule)
    return _random(rule, candidates, seed)


def _uncertain(rule: UncertainRule, candidates: list[Candidate]) -> list[tuple[str, str]]:
    weeks: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for c in candidates:
        value = uncertainty(c, rule)
        if value >= rule.min_uncertainty:
            weeks[c.week].append((value, c.id))
    out = []
    for week in sorted(weeks):
        ranked = sorted(weeks[week], key=lambda pair: (-pair[0], pair[1]))[:rule.per_week]
        out += [(cid, f"uncertainty {value:.2f}") for value, cid in ranked]
    return out


def _random(rule: RandomRule, candidates: list[Candidate], seed: int) -> list[tuple[str, str]]:
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in candidates:
        groups[(c.agent_id or "", c.week)].append(c.id)
    out = []
    for (agent, week), ids in sorted(groups.items()):
        take = min(len(ids), max(rule.min_per_agent, math.ceil(rule.percent * len(ids) / 100)))
        ranked = sorted(ids, key=lambda cid: _rank(seed, cid))[:take]
        out += [(cid, f"random {rule.percent:g}% of {agent or '?'} in {week}")
                for cid in sorted(ranked)]
    return out


class Queues:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.engine = ws.store.engine

    def assign(self, rules: ReviewRules, since: datetime | None = None,
               until: datetime | None = None, at: datetime | None = None) -> dict[str, Any]:
        """Queue what the rules pick among the conversations started in [since, until)
        (all when not given), skipping those queued or reviewed already; then hand open,
        unassigned work to reviewers with room under their quota."""
        at = at or now()
        with self.engine.begin() as connection:
            candidates = self._candidates(connection, since, until)
            taken = set(connection.scalars(select(AssignmentRow.conversation_id)))
            reviewed = set(connection.scalars(select(ReviewRow.conversation_id).where(
                ReviewRow.id.in_(latest_final_reviews()))))
            new = [p for p in pick(candidates, rules)
                   if p.conversation_id not in taken | reviewed]
            if new:
                connection.execute(insert(AssignmentRow), [
                    {"conversation_id": p.conversation_id, "reviewer_id": None, "rule": p.rule,
                     "reason": p.reason, "status": "open", "created_at": at,
                     "due_at": at + timedelta(days=p.due_days)} for p in new])
            handed = self._hand_out(connection, rules)
        by_rule = Counter(p.rule for p in new)
        return {"created": len(new), "assigned": handed, "by_rule": dict(sorted(by_rule.items())),
                "unassigned": self._unassigned()}

    def _candidates(self, connection: Connection, since: datetime | None,
                    until: datetime | None) -> list[Candidate]:
        query = (select(ConversationRow.id, ConversationRow.agent_id, ConversationRow.started_at,
                        EvaluationRow.score, EvaluationRow.scorecard, EvaluationRow.data)
                 .join(EvaluationRow, EvaluationRow.conversation_id == ConversationRow.id)
                 .order_by(ConversationRow.id))
        if since is not None:
            query = query.where(ConversationRow.started_at >= since)
        if until is not None:
            query = query.where(ConversationRow.started_at < until)
        rows = connection.execute(query).all()
        alerts: dict[str, set[str]] = defaultdict(set)
        for cid, kind in connection.execute(select(AlertRow.conversation_id, AlertRow.kind)):
            alerts[cid].add(kind)
        pass_scores: dict[str, float] = {}
        return [Candidate(r.id, r.agent_id, r.started_at, r.score,
                          self._pass_score(r.scorecard, pass_scores),
                          frozenset(alerts.get(r.id, ())),
                          tuple(r.data.get("criteria", []))) for r in rows]

    def _pass_score(self, name: str, cache: dict[str, float]) -> float:
        if name not in cache:
            try:
                cache[name] = self.ws.scorecard(name).pass_score
            except (NotFound, ScorecardError):  # deleted or broken since: the default
                cache[name] = DEFAULT_PASS_SCORE
        return cache[name]

    @staticmethod
    def _hand_out(connection: Connection, rules: ReviewRules) -> int:
        """Open unassigned work, earliest due first, to the least loaded reviewer with
        room (ties by name)."""
        reviewers = connection.execute(select(UserRow.id, UserRow.name).where(
            UserRow.role.in_(rules.reviewer_roles)).order_by(UserRow.name)).all()
        load = dict(connection.execute(select(AssignmentRow.reviewer_id, func.count())
                                       .where(AssignmentRow.status == "open",
                                              AssignmentRow.reviewer_id.is_not(None))
                                       .group_by(AssignmentRow.reviewer_id)).all())
        waiting = connection.execute(select(AssignmentRow.id).where(
            AssignmentRow.status == "open", AssignmentRow.reviewer_id.is_(None))
            .order_by(AssignmentRow.due_at, AssignmentRow.conversation_id)).scalars().all()
        handed = 0
        for assignment_id in waiting:
            room = [(load.get(r.id, 0), r.name, r.id) for r in reviewers
                    if load.get(r.id, 0) < rules.quota(r.name)]
            if not room:
                break
            _, _, reviewer_id = min(room)
            connection.execute(update(AssignmentRow).where(AssignmentRow.id == assignment_id)
                               .values(reviewer_id=reviewer_id))
            load[reviewer_id] = load.get(reviewer_id, 0) + 1
            handed += 1
        return handed

    def _unassigned(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(AssignmentRow).where(
                AssignmentRow.status == "open", AssignmentRow.reviewer_id.is_(None))) or 0)

    def queue(self, user: User, everyone: bool = False, status: str | None = "open",
              at: datetime | None = None) -> list[dict[str, Any]]:
        """The caller's assignments (a lead or admin may ask for everyone's)."""
        at = at or now()
        query = (select(AssignmentRow, UserRow.name.label("reviewer_name"),
                        ConversationRow.agent_id, ConversationRow.language, EvaluationRow.score)
                 .join(ConversationRow, ConversationRow.id == AssignmentRow.conversation_id)
                 .outerjoin(EvaluationRow, EvaluationRow.conversation_id
                            == AssignmentRow.conversation_id)
                 .outerjoin(UserRow, UserRow.id == AssignmentRow.reviewer_id)
                 .order_by(AssignmentRow.due_at, AssignmentRow.conversation_id))
        if status is not None:
            query = query.where(AssignmentRow.status == status)
        if not (everyone and user.role in LEADS):
            query = query.where(AssignmentRow.reviewer_id == user.id)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [{"id": a.id, "conversation_id": a.conversation_id, "reviewer": a.reviewer_name,
                 "rule": a.rule, "reason": a.reason, "status": a.status, "due_at": a.due_at,
                 "overdue": a.status == "open" and a.due_at < at.astimezone(timezone.utc),
                 "review_id": a.review_id, "agent_id": a.agent_id, "language": a.language,
                 "score": a.score}
                for a in rows]

