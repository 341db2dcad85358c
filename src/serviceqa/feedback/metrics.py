"""CSAT, NPS and the 1-10 satisfaction scale, with the number of responses and an interval.

The standards: CSAT is the share of 4 and 5 stars; NPS is % promoters (9-10) minus %
detractors (0-6); a satisfaction score under 5 of 10 is an alarm. A figure from three
responses means little, so every figure carries its count and a 95% interval:
- CSAT, a proportion: the Wilson score interval, which stays inside [0, 100] and does not
  collapse to a point for one response or for 0% and 100%.
- NPS, a difference of two proportions of one sample: the adjusted Wald interval of Rocks
  (2016, "Interval estimation for the Net Promoter Score", The American Statistician 70:4),
  which adds 3/4 of a promoter and of a detractor and 3/2 of a passive before the usual
  normal interval; it behaves on small groups where the plain one says ±0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

Z95 = 1.959963984540054
CSAT_SATISFIED = 4       # 4 and 5 stars count as satisfied
NPS_PROMOTER = 9         # 9-10
NPS_DETRACTOR = 6        # 0-6
SATISFACTION_ALARM = 5   # under 5 of 10
ADJUST_EACH = 0.75       # Rocks' adjustment: 3/4 promoter, 3/4 detractor, 3/2 passive
ADJUST_TOTAL = 3.0


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class Csat:
    responses: int
    satisfied: int
    value: float | None        # percent, None without responses
    interval: Interval | None


@dataclass(frozen=True)
class Nps:
    responses: int
    promoters: int
    passives: int
    detractors: int
    value: float | None        # -100..100, None without responses
    interval: Interval | None


@dataclass(frozen=True)
class Satisfaction:
    responses: int
    mean: float | None
    alarms: int                # responses under SATISFACTION_ALARM


def csat(ratings: Iterable[int]) -> Csat:
    """CSAT of 1-5 star ratings; a rating outside 1-5 is a caller's bug, so it raises."""
    values = [_checked(r, 1, 5, "CSAT") for r in ratings]
    satisfied = sum(1 for r in values if r >= CSAT_SATISFIED)
    if not values:
        return Csat(0, 0, None, None)
    low, high = wilson(satisfied, len(values))
    return Csat(len(values), satisfied, round(100.0 * satisfied / len(values), 1),
                Interval(round(100.0 * low, 1), round(100.0 * high, 1)))


def nps(scores: Iterable[int]) -> Nps:
    """NPS of 0-10 answers to 'how likely are you to recommend us'."""
    values = [_checked(s, 0, 10, "NPS") for s in scores]
    promoters = sum(1 for s in values if s >= NPS_PROMOTER)
    detractors = sum(1 for s in values if s <= NPS_DETRACTOR)
    passives = len(values) - promoters - detractors
    if not values:
        return Nps(0, 0, 0, 0, None, None)
    value = 100.0 * (promoters - detractors) / len(values)
    low, high = adjusted_wald_nps(promoters, detractors, len(values))
    return Nps(len(values), promoters, passives, detractors, round(value, 1),
               Interval(round(100.0 * low, 1), round(100.0 * high, 1)))


def satisfaction(scores: Iterable[int]) -> Satisfaction:
    """Mean of 1-10 satisfaction scores and how many of them are alarms."""
    values = [_checked(s, 1, 10, "satisfaction") for s in scores]
    if not values:
        return Satisfaction(0, None, 0)
    return Satisfaction(len(values), round(sum(values) / len(values), 2),
                        sum(1 for s in values if s < SATISFACTION_ALARM))


def response_rate(responses: int, sent: int) -> float | None:
    """Percent of sent surveys answered; None when none were sent."""
    if responses < 0 or sent < 0 or responses > sent:
        raise ValueError(f"{responses} responses to {sent} surveys")
    return round(100.0 * responses / sent, 1) if sent else None


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion, as fractions."""
    if n <= 0:
        raise ValueError("an interval needs at least one observation")
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def adjusted_wald_nps(promoters: int, detractors: int, n: int,
                      z: float = Z95) -> tuple[float, float]:
    """Rocks' adjusted Wald interval of NPS, as fractions in [-1, 1]."""
    if n <= 0:
        raise ValueError("an interval needs at least one observation")
    total = n + ADJUST_TOTAL
    p_promoter = (promoters + ADJUST_EACH) / total
    p_detractor = (detractors + ADJUST_EACH) / total
    centre = p_promoter - p_detractor
    variance = p_promoter + p_detractor - centre * centre
    half = z * math.sqrt(variance / total)
    return max(-1.0, centre - half), min(1.0, centre + half)


def _checked(value: int, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}, got {value!r}")
    return value
