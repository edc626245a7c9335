from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_loyalty.domain.health_score import (
    Grade,
    GradedMeasure,
    Thresholds,
    Trend,
    grade_value,
    health_score,
)

D = Decimal


def test_grading_is_linear_and_clamped_both_ways():
    growth = Thresholds(poor=D(-20), good=D(10))
    assert grade_value(D(-20), growth) == 0 and grade_value(D(10), growth) == 100
    assert grade_value(D(-5), growth) == D("50.0")
    assert grade_value(D(-80), growth) == 0 and grade_value(D(40), growth) == 100
    lateness = Thresholds(poor=D(2), good=D(1))  # cycles since last order: higher is worse
    assert grade_value(D("1.5"), lateness) == D("50.0") and grade_value(D(3), lateness) == 0


def test_weighted_average_grade_and_trend():
    measures = [
        GradedMeasure("revenue_trend", "Revenue trend", D(80), D(2), "+4 %"),
        GradedMeasure("recency", "Order recency", D(20), D(1), "1.8 cycles"),
        GradedMeasure("share_trend", "Share of wallet trend", None, D(1), "no estimate"),
    ]
    result = health_score(measures, previous=D(70))
    assert result.score == D("60.0")  # (80×2 + 20×1) ÷ 3; the measure without data is not counted
    assert result.grade is Grade.AMBER and result.trend is Trend.DOWN
    assert health_score(measures).trend is Trend.NEW


def test_no_data_gives_no_score():
    result = health_score([GradedMeasure("x", "X", None, D(1), "no data")])
    assert result.score is None and result.grade is None


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        health_score([GradedMeasure("x", "X", D(120), D(1), "")])
    with pytest.raises(ValueError):
        Thresholds(D(1), D(1))


@given(
    st.lists(
        st.tuples(st.decimals(0, 100, places=1), st.decimals(0, 5, places=1)),
        min_size=1,
        max_size=6,
    )
)
def test_score_stays_within_the_measures(pairs):
    measures = [GradedMeasure(f"m{i}", "m", s, w, "") for i, (s, w) in enumerate(pairs)]
    result = health_score(measures)
    counted = [s for s, w in pairs if w > 0]
    if not counted:
        assert result.score is None
    else:
        assert min(counted) - D("0.1") <= result.score <= max(counted) + D("0.1")


@given(
    value=st.decimals(-10_000, 10_000, places=3),
    poor=st.decimals(-500, 500, places=2),
    good=st.decimals(-500, 500, places=2),
)
def test_grading_is_the_clamped_linear_formula(value, poor, good):
    """``grade_value`` decides the clamps before it divides: the result must be the
    formula's, (value − poor) ÷ (good − poor) × 100 to 0.1, clamped, either way round."""
    if poor == good:
        return
    fraction = (value - poor) / (good - poor)
    expected = min(max(fraction * 100, D(0)), D(100)).quantize(D("0.1"), ROUND_HALF_UP)
    assert grade_value(value, Thresholds(poor, good)) == expected
