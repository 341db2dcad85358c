"""Survey results by group: CSAT, NPS (with intervals and counts), the 1-10 scale, the
response rate and the QA score, per agent, team, channel, language, day, week or month;
and QA score against CSAT, so a lead sees whether the scorecard measures what customers
feel.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any, Literal

from . import metrics
from .comments import top_themes
from .repository import ResponseFact

By = Literal["agent", "team", "channel", "language", "day", "week", "month", "all"]
BY_VALUES: tuple[str, ...] = ("agent", "team", "channel", "language", "day", "week", "month",
                              "all")
MIN_CORRELATION_PAIRS = 3


def period_key(when: datetime, by: str) -> str:
    """UTC day `YYYY-MM-DD`, week by its Monday, or month `YYYY-MM`."""
    if by == "day":
        return when.date().isoformat()
    if by == "week":
        return (when.date() - timedelta(days=when.weekday())).isoformat()
    return f"{when.year:04d}-{when.month:02d}"


def _response_key(by: str) -> Callable[[ResponseFact], str | None]:
    if by in ("day", "week", "month"):
        return lambda f: period_key(f.submitted_at, by)
    if by == "all":
        return lambda f: None
    column = "agent_id" if by == "agent" else by
    return lambda f: getattr(f, column)


def _link_key(by: str) -> Callable[[tuple[Any, ...]], str | None]:
    if by in ("day", "week", "month"):
        return lambda link: period_key(link[4], by)
    if by == "all":
        return lambda link: None
    index = {"agent": 0, "team": 1, "channel": 2, "language": 3}[by]
    return lambda link: link[index]


def figures(facts: Sequence[ResponseFact], sent: int, answered: int) -> dict[str, Any]:
    """One group's figures; every figure with its number of responses."""
    scores = [f.score for f in facts if f.score is not None]
    return {
        "responses": len(facts),
        "csat": asdict(metrics.csat(f.csat for f in facts if f.csat is not None)),
        "nps": asdict(metrics.nps(f.nps for f in facts if f.nps is not None)),
        "satisfaction": asdict(metrics.satisfaction(
            f.satisfaction for f in facts if f.satisfaction is not None)),
        "links_sent": sent, "links_answered": answered,
        "response_rate": metrics.response_rate(answered, sent),
        "qa_score": round(sum(scores) / len(scores), 1) if scores else None,
        "themes": top_themes(f.analysis for f in facts),
    }


def grouped(facts: Sequence[ResponseFact], links: Sequence[tuple[Any, ...]],
            by: str) -> list[dict[str, Any]]:
    """Groups in key order (None, a conversation without that value, last)."""
    by_key: dict[str | None, list[ResponseFact]] = defaultdict(list)
    key = _response_key(by)
    for fact in facts:
        by_key[key(fact)].append(fact)
    sent: dict[str | None, list[bool]] = defaultdict(list)
    link_key = _link_key(by)
    for link in links:
        sent[link_key(link)].append(link[5])
    names = {f.agent_id: f.agent_name for f in facts} if by == "agent" else {}
    keys = sorted(set(by_key) | set(sent), key=lambda k: (k is None, k or ""))
    rows = []
    for k in keys:
        row = {"key": k, **figures(by_key.get(k, []), len(sent.get(k, [])),
                                   sum(sent.get(k, [])))}
        if by == "agent":
            row["agent_name"] = names.get(k)
        rows.append(row)
    return rows


def pearson(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Pearson's r; None with fewer than 3 pairs or when either side does not vary."""
    points = list(pairs)
    n = len(points)
    if n < MIN_CORRELATION_PAIRS:
        return None
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxy = sum((x - mx) * (y - my) for x, y in points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    syy = sum((y - my) ** 2 for _, y in points)
    if sxx == 0 or syy == 0:
        return None
    return round(sxy / math.sqrt(sxx * syy), 3)


def qa_against_csat(facts: Sequence[ResponseFact]) -> dict[str, Any]:
    """Per response (QA score, CSAT): Pearson's r, the mean QA score at each star, and the
    same per agent (mean score against CSAT %), for the chart."""
    pairs = [(f.score, float(f.csat)) for f in facts if f.score is not None and f.csat]
    by_star: dict[int, list[float]] = defaultdict(list)
    for score, star in pairs:
        by_star[int(star)].append(score)
    agents: dict[str, list[ResponseFact]] = defaultdict(list)
    for fact in facts:
        if fact.agent_id and fact.score is not None and fact.csat:
            agents[fact.agent_id].append(fact)
    per_agent = []
    for agent_id, own in sorted(agents.items()):
        figure = metrics.csat(f.csat for f in own if f.csat)
        per_agent.append({"agent_id": agent_id, "agent_name": own[0].agent_name,
                          "responses": len(own), "csat": figure.value,
                          "qa_score": round(sum(f.score or 0 for f in own) / len(own), 1)})
    return {"pairs": len(pairs), "pearson_r": pearson(pairs),
            "points": [{"qa_score": s, "csat": int(c)} for s, c in pairs],
            "mean_qa_score_by_csat": {str(star): round(sum(v) / len(v), 1)
                                      for star, v in sorted(by_star.items())},
            "agents": per_agent,
            "agents_pearson_r": pearson((a["qa_score"], a["csat"]) for a in per_agent
                                        if a["csat"] is not None)}


def themes_by_period(facts: Sequence[ResponseFact], by: str = "week",
                     limit: int = 5) -> list[dict[str, Any]]:
    """The most frequent complaint themes of each period, newest period first."""
    periods: dict[str, list[ResponseFact]] = defaultdict(list)
    for fact in facts:
        periods[period_key(fact.submitted_at, by)].append(fact)
    return [{"period": p, "responses": len(items),
             "complaints": sum(1 for f in items if f.analysis.get("complaint")),
             "themes": [{"theme": t, "count": n}
                        for t, n in top_themes((f.analysis for f in items), limit)]}
            for p, items in sorted(periods.items(), reverse=True)]
