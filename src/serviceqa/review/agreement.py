"""How far raters agree: percent agreement, Cohen's kappa (two raters), Krippendorff's
alpha (nominal, any number of raters, missing ratings allowed).

Ratings are nominal categories such as "pass", "fail", "na"; `None` is a missing rating.
Agreement is only measured where there is something to compare, and a figure that cannot
be computed is `None`, never a made-up 0 or 1:

- no pairable ratings (no unit rated twice, no item both raters rated): every figure is
  None, `note` says "no overlap";
- one category only (everyone always said "pass"): percent agreement is 1.0, but kappa
  and alpha are None, `note` says "one category only". Chance agreement is then 1 and
  both statistics are 0/0. (sklearn's cohen_kappa_score returns nan here; the
  `krippendorff` package refuses the data.)
- Cohen's kappa is for exactly two raters: for a group it is None (see `pairwise_kappa`).

Percent agreement for a group is the share of agreeing pairs among all pairs of ratings
of the same unit by different raters (for two raters: the share of items they agree on).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

Rating = Hashable | None

NO_OVERLAP = "no overlap: nothing was rated by two raters"
ONE_CATEGORY = "one category only: chance agreement is 1, kappa and alpha are undefined"
NOT_TWO_RATERS = "kappa needs exactly two raters"
OVERALL = "overall"


@dataclass(frozen=True)
class Agreement:
    """Agreement over `units` units rated at least twice (`pairs` pairs of ratings)."""

    raters: int
    units: int
    pairs: int
    percent: float | None
    kappa: float | None
    alpha: float | None
    note: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"raters": self.raters, "units": self.units, "pairs": self.pairs,
                "percent": self.percent, "kappa": self.kappa, "alpha": self.alpha,
                "note": self.note}


def _paired(a: Sequence[Rating], b: Sequence[Rating]) -> list[tuple[Hashable, Hashable]]:
    if len(a) != len(b):
        raise ValueError(f"the two raters' lists differ in length: {len(a)} and {len(b)}")
    return [(x, y) for x, y in zip(a, b) if x is not None and y is not None]


def percent_agreement(a: Sequence[Rating], b: Sequence[Rating]) -> float | None:
    """Share of the items both rated on which they agree; None without such items."""
    pairs = _paired(a, b)
    if not pairs:
        return None
    return sum(x == y for x, y in pairs) / len(pairs)


def cohen_kappa(a: Sequence[Rating], b: Sequence[Rating]) -> float | None:
    """Cohen's kappa of two raters over the items both rated: (po - pe) / (1 - pe).
    None without common items, or when chance agreement pe is 1 (one category only)."""
    pairs = _paired(a, b)
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    first = Counter(x for x, _ in pairs)
    second = Counter(y for _, y in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def _coincidences(units: Iterable[Sequence[Rating]]) -> tuple[Counter, int, int]:
    """Krippendorff's coincidence matrix o[c, k] over the pairable values, the number of
    units rated at least twice and the number of ordered pairs of ratings in them."""
    matrix: Counter[tuple[Hashable, Hashable]] = Counter()
    used = pairs = 0
    for ratings in units:
        values = Counter(r for r in ratings if r is not None)
        m = sum(values.values())
        if m < 2:
            continue
        used += 1
        pairs += m * (m - 1)
        for c, n_c in values.items():
            for k, n_k in values.items():
                matrix[(c, k)] += (n_c * (n_c - 1) if c == k else n_c * n_k) / (m - 1)
    return matrix, used, pairs


def krippendorff_alpha(units: Iterable[Sequence[Rating]]) -> float | None:
    """Nominal alpha = 1 - Do / De over units (each a sequence of ratings, None missing).
    Units with fewer than two ratings are not pairable and left out. None when no unit is
    pairable or only one category is used (De = 0)."""
    matrix, _, _ = _coincidences(units)
    return _alpha(matrix)


def _alpha(matrix: Mapping[tuple[Hashable, Hashable], float]) -> float | None:
    totals: Counter[Hashable] = Counter()
    for (c, _), o in matrix.items():
        totals[c] += o
    n = sum(totals.values())
    if n <= 1:
        return None
    disagreeing = sum(o for (c, k), o in matrix.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * disagreeing / expected


def group_agreement(units: Mapping[Hashable, Mapping[Hashable, Rating]]) -> Agreement:
    """Agreement of a group: units -> {rater: rating}. Kappa only when exactly two raters
    rated anything; alpha and percent agreement for any number."""
    raters = sorted({r for ratings in units.values() for r, v in ratings.items()
                     if v is not None}, key=str)
    matrix, used, pairs = _coincidences(list(u.values()) for u in units.values())
    if not used:
        return Agreement(len(raters), 0, 0, None, None, None, NO_OVERLAP)
    percent = _pair_percent(units)
    alpha = _alpha(matrix)
    kappa: float | None = None
    note: str | None = None
    if len(raters) == 2:
        first, second = raters
        keys = list(units)
        kappa = cohen_kappa([units[u].get(first) for u in keys],
                            [units[u].get(second) for u in keys])
    else:
        note = NOT_TWO_RATERS
    if alpha is None:
        note = ONE_CATEGORY
    return Agreement(len(raters), used, pairs // 2, percent, kappa, alpha, note)


def _pair_percent(units: Mapping[Hashable, Mapping[Hashable, Rating]]) -> float | None:
    agree = count = 0
    for ratings in units.values():
        values = [v for v in ratings.values() if v is not None]
        for x, y in combinations(values, 2):
            count += 1
            agree += x == y
    return agree / count if count else None


def pairwise_kappa(units: Mapping[Hashable, Mapping[Hashable, Rating]]
                   ) -> dict[tuple[Hashable, Hashable], float | None]:
    """Cohen's kappa of every pair of raters over the units both rated (None as above)."""
    raters = sorted({r for ratings in units.values() for r in ratings}, key=str)
    keys = list(units)
    return {(a, b): cohen_kappa([units[u].get(a) for u in keys], [units[u].get(b) for u in keys])
            for a, b in combinations(raters, 2)}


def by_criterion(ratings: Iterable[tuple[Hashable, str, Hashable, Rating]]
                 ) -> dict[str, Agreement]:
    """Agreement per criterion and `overall` from (unit, criterion, rater, rating) rows,
    e.g. (conversation id, "greeting", reviewer id, "pass"). Overall pools every
    (unit, criterion) pair as one unit, so each criterion counts by its number of ratings.
    A rater's second rating of the same unit and criterion replaces the first."""
    per: dict[str, dict[Hashable, dict[Hashable, Rating]]] = defaultdict(lambda: defaultdict(dict))
    pooled: dict[Hashable, dict[Hashable, Rating]] = defaultdict(dict)
    for unit, criterion, rater, rating in ratings:
        per[criterion][unit][rater] = rating
        pooled[(unit, criterion)][rater] = rating
    out = {criterion: group_agreement(units) for criterion, units in sorted(per.items())}
    out[OVERALL] = group_agreement(pooled)
    return out
