"""Agreement statistics against hand-worked and published examples, and against sklearn
and the `krippendorff` package where they define a value."""

from __future__ import annotations

import math
import random

import pytest

from serviceqa.review.agreement import (NO_OVERLAP, NOT_TWO_RATERS, ONE_CATEGORY, OVERALL,
                                        by_criterion, cohen_kappa, group_agreement,
                                        krippendorff_alpha, pairwise_kappa, percent_agreement)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, values 1-5, missing ratings; nominal alpha = 0.743.
K = None
KRIPPENDORFF_2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, K, K, K],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, K, 3],
    "C": [K, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, K],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, K],
}


def _units(table: dict[str, list]) -> list[list]:
    return [list(column) for column in zip(*table.values())]


def test_krippendorff_worked_example_with_missing_data():
    assert krippendorff_alpha(_units(KRIPPENDORFF_2011)) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_example_through_group_agreement():
    units = {u: {r: KRIPPENDORFF_2011[r][u] for r in KRIPPENDORFF_2011} for u in range(12)}
    result = group_agreement(units)
    # unit 12 has one rating only, so 11 units are pairable; their rating pairs counted
    # by hand: 3+6+6+6+6+6+6+6+6+3+1 = 55
    assert (result.raters, result.units, result.pairs) == (4, 11, 55)
    assert result.alpha == pytest.approx(0.743, abs=5e-4)
    assert result.kappa is None and result.note == NOT_TWO_RATERS


def test_krippendorff_hand_computed_two_raters():
    # Units (a,a) (a,b) (b,b) (b,b): o_aa=2, o_ab=o_ba=1, o_bb=4; n_a=3, n_b=5, n=8.
    # alpha = 1 - (n-1) * 2 / (2 * 3 * 5) = 1 - 14/30 = 8/15
    units = [["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]]
    assert krippendorff_alpha(units) == pytest.approx(8 / 15)


def test_cohen_kappa_wikipedia_example():
    # 50 grant proposals: both yes 20, both no 15, A yes/B no 5, A no/B yes 10;
    # po = 0.7, pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4.
    a = ["yes"] * 20 + ["no"] * 15 + ["yes"] * 5 + ["no"] * 10
    b = ["yes"] * 20 + ["no"] * 15 + ["no"] * 5 + ["yes"] * 10
    assert percent_agreement(a, b) == pytest.approx(0.7)
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_cohen_kappa_hand_computed_three_categories_with_missing():
    # pairs kept: (pass,pass) (pass,fail) (fail,fail) (na,na) (fail,pass) (pass,pass)
    a = ["pass", "pass", "fail", "na", None, "fail", "pass"]
    b = ["pass", "fail", "fail", "na", "pass", "pass", "pass"]
    # po = 4/6; A: pass 3, fail 2, na 1; B: pass 3, fail 2, na 1; pe = (9+4+1)/36 = 14/36
    expected = (4 / 6 - 14 / 36) / (1 - 14 / 36)
    assert cohen_kappa(a, b) == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(12))
def test_cohen_kappa_matches_sklearn(seed):
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = random.Random(seed)
    n = rng.randint(5, 80)
    a = [rng.choice(["pass", "fail", "na"]) for _ in range(n)]
    b = [x if rng.random() < 0.6 else rng.choice(["pass", "fail", "na"]) for x in a]
    expected = sklearn_metrics.cohen_kappa_score(a, b)
    if math.isnan(expected):
        assert cohen_kappa(a, b) is None
    else:
        assert cohen_kappa(a, b) == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(12))
def test_alpha_matches_krippendorff_package(seed):
    krippendorff = pytest.importorskip("krippendorff")
    rng = random.Random(seed)
    raters, n_units = rng.randint(2, 5), rng.randint(4, 40)
    truth = [rng.choice([0, 1, 2]) for _ in range(n_units)]
    table = [[(t if rng.random() < 0.7 else rng.choice([0, 1, 2]))
              if rng.random() > 0.2 else None for t in truth] for _ in range(raters)]
    mine = krippendorff_alpha([list(column) for column in zip(*table)])
    reliability = [[math.nan if v is None else v for v in row] for row in table]
    try:
        theirs = krippendorff.alpha(reliability_data=reliability,
                                    level_of_measurement="nominal")
    except ValueError:  # the package refuses data with one value only
        assert mine is None
        return
    if math.isnan(theirs):
        assert mine is None
    else:
        assert mine == pytest.approx(theirs)


def test_krippendorff_package_on_the_published_example():
    krippendorff = pytest.importorskip("krippendorff")
    reliability = [[math.nan if v is None else v for v in row]
                   for row in KRIPPENDORFF_2011.values()]
    theirs = krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal")
    assert krippendorff_alpha(_units(KRIPPENDORFF_2011)) == pytest.approx(theirs)


def test_one_category_only_is_undefined_not_perfect():
    a = b = ["pass"] * 6
    assert percent_agreement(a, b) == 1.0
    assert cohen_kappa(a, b) is None
    assert krippendorff_alpha([["pass", "pass"]] * 6) is None
    result = group_agreement({u: {"r1": "pass", "r2": "pass"} for u in range(6)})
    assert (result.percent, result.kappa, result.alpha, result.note) == (
        1.0, None, None, ONE_CATEGORY)


def test_one_category_each_but_different_is_zero_kappa():
    # A always passes, B always fails: po = 0, pe = 0, kappa = 0; alpha is negative.
    assert cohen_kappa(["pass"] * 4, ["fail"] * 4) == 0.0
    assert krippendorff_alpha([["pass", "fail"]] * 4) == pytest.approx(1 - 7 * 8 / (2 * 16))


def test_no_overlap():
    assert percent_agreement(["pass", None], [None, "fail"]) is None
    assert cohen_kappa(["pass", None], [None, "fail"]) is None
    assert krippendorff_alpha([["pass", None], [None, "fail"], ["na"]]) is None
    result = group_agreement({1: {"r1": "pass"}, 2: {"r2": "fail"}})
    assert (result.units, result.percent, result.kappa, result.alpha, result.note) == (
        0, None, None, None, NO_OVERLAP)


def test_lists_of_different_length_are_refused():
    with pytest.raises(ValueError, match="differ in length"):
        cohen_kappa(["pass"], ["pass", "fail"])


def test_by_criterion_and_overall():
    rows = [
        ("c1", "greeting", "anna", "pass"), ("c1", "greeting", "bence", "pass"),
        ("c2", "greeting", "anna", "fail"), ("c2", "greeting", "bence", "pass"),
        ("c3", "greeting", "anna", "fail"), ("c3", "greeting", "bence", "fail"),
        ("c1", "closing", "anna", "pass"), ("c1", "closing", "bence", "pass"),
        ("c2", "closing", "anna", "pass"),  # bence did not rate it: not pairable
        ("c2", "closing", "anna", "pass"),  # a repeated rating replaces the first
    ]
    result = by_criterion(rows)
    assert set(result) == {"greeting", "closing", OVERALL}
    greeting = result["greeting"]
    assert (greeting.units, greeting.percent) == (3, pytest.approx(2 / 3))
    # anna: pass 1 fail 2; bence: pass 2 fail 1; po = 2/3, pe = (2 + 2)/9 = 4/9
    assert greeting.kappa == pytest.approx((2 / 3 - 4 / 9) / (1 - 4 / 9))
    assert result["closing"].note == ONE_CATEGORY and result["closing"].units == 1
    overall = result[OVERALL]
    assert (overall.units, overall.percent) == (4, pytest.approx(3 / 4))
    assert overall.as_dict()["units"] == 4


def test_group_percent_counts_pairs():
    # three raters on one unit: a, a, b -> pairs (a,a) (a,b) (a,b): 1/3 agree
    result = group_agreement({1: {"x": "a", "y": "a", "z": "b"}, 2: {"x": "a", "y": "a"}})
    assert result.percent == pytest.approx(2 / 4)
    assert result.pairs == 4


def test_pairwise_kappa():
    units = {1: {"x": "pass", "y": "pass", "z": "fail"}, 2: {"x": "fail", "y": "fail"},
             3: {"x": "pass", "z": "pass"}, 4: {"y": "na"}}
    kappas = pairwise_kappa(units)
    assert set(kappas) == {("x", "y"), ("x", "z"), ("y", "z")}
    assert kappas[("x", "y")] == pytest.approx(1.0)
    # x, z on units 1 and 3: po = 1/2; x pass 2, z pass 1 fail 1: pe = 2/4; kappa 0
    assert kappas[("x", "z")] == pytest.approx(0.0)
    # y, z on unit 1 only, pass against fail: po = 0, pe = 0
    assert kappas[("y", "z")] == pytest.approx(0.0)
