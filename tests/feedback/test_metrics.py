"""Feedback figures against cases worked out by hand (formulas in feedback/metrics.py)."""

from __future__ import annotations

import pytest

from serviceqa.feedback.metrics import Interval, csat, nps, response_rate, satisfaction


def test_nps_of_ten_answers():
    # 9, 10, 10, 9, 9 promote; 7, 8, 8 are passive; 3, 6 detract: 50% - 20% = 30.
    # Adjusted Wald: n' = 13, p = 5.75/13 = .44231, d = 2.75/13 = .21154, centre .23077,
    # variance .44231 + .21154 - .23077² = .60059, half 1.96 * sqrt(.60059/13) = .42128.
    result = nps([9, 10, 10, 9, 9, 7, 8, 8, 3, 6])
    assert (result.promoters, result.passives, result.detractors) == (5, 3, 2)
    assert result.value == 30.0
    assert result.interval == Interval(-19.1, 65.2)


def test_nps_of_one_promoter_is_100_with_a_wide_interval():
    # n' = 4, p = .4375, d = .1875, centre .25, variance .5625, half 1.96 * .375 = .735.
    result = nps([10])
    assert result.value == 100.0
    assert result.interval == Interval(-48.5, 98.5)


def test_nps_interval_stays_within_its_scale():
    result = nps([0] * 3)
    assert result.value == -100.0
    assert result.interval is not None and result.interval.low == -100.0


def test_no_answers_give_no_figure():
    assert nps([]).value is None and nps([]).interval is None
    assert csat([]).value is None and csat([]).responses == 0
    assert satisfaction([]).mean is None


def test_csat_counts_four_and_five_stars():
    # 2 of 4 satisfied; Wilson at p = .5, n = 4: centre .5, half .35 -> 15% .. 85%.
    result = csat([5, 4, 3, 1])
    assert (result.responses, result.satisfied, result.value) == (4, 2, 50.0)
    assert result.interval == Interval(15.0, 85.0)


def test_csat_of_one_rating_is_not_certain():
    # Wilson at p = 1, n = 1: centre 2.92073/4.84146 = .60327, half .39673 -> 20.7% .. 100%.
    result = csat([5])
    assert result.value == 100.0
    assert result.interval == Interval(20.7, 100.0)


def test_satisfaction_mean_and_alarms_under_five():
    result = satisfaction([3, 7, 10, 4, 5])
    assert result.mean == 5.8
    assert result.alarms == 2   # 3 and 4; 5 is not under 5


@pytest.mark.parametrize("bad", [0, 6, 4.5, True, "5"])
def test_csat_rejects_what_is_not_a_star_rating(bad):
    with pytest.raises(ValueError, match="CSAT"):
        csat([5, bad])


@pytest.mark.parametrize("bad", [-1, 11, None])
def test_nps_rejects_what_is_not_0_to_10(bad):
    with pytest.raises(ValueError, match="NPS"):
        nps([bad])


def test_response_rate():
    assert response_rate(3, 12) == 25.0
    assert response_rate(0, 0) is None
    with pytest.raises(ValueError):
        response_rate(5, 4)
