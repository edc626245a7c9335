from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_loyalty.domain.lifetime_value import (
    LifetimeValueStatus,
    average_margin,
    customer_lifetime_value,
    expected_periods_retained,
)

D = Decimal


def test_lifetime_value_is_margin_times_expected_periods_retained():
    clv = customer_lifetime_value(D("1000.00"), retention_rate=D("80"))
    # 1 ÷ (1 − 0.80) = 5 periods; 1000 × 5
    assert clv.expected_periods == D("5.00")
    assert clv.value == D("5000.00")
    assert clv.status is LifetimeValueStatus.OK
    assert (clv.average_margin_per_period, clv.retention_rate) == (D("1000.00"), D("80"))


def test_expected_periods_are_rounded_before_multiplying_so_the_figure_can_be_checked():
    clv = customer_lifetime_value(D("1200.00"), retention_rate=D("66.67"))
    # 1 ÷ 0.3333 = 3.0003 → 3.00 periods; 1200 × 3.00
    assert clv.expected_periods == D("3.00")
    assert clv.value == D("3600.00")


def test_zero_retention_means_one_period():
    assert expected_periods_retained(D(0)) == D("1.00")


def test_full_retention_has_no_lifetime_value_unless_capped():
    unbounded = customer_lifetime_value(D("1000.00"), retention_rate=D(100))
    assert unbounded.value is None
    assert unbounded.status is LifetimeValueStatus.UNBOUNDED
    capped = customer_lifetime_value(D("1000.00"), retention_rate=D(100), max_periods=10)
    assert capped.value == D("10000.00")
    assert capped.status is LifetimeValueStatus.CAPPED


def test_cap_bounds_very_high_retention():
    clv = customer_lifetime_value(D("100.00"), retention_rate=D(99), max_periods=20)
    assert expected_periods_retained(D(99)) == D("100.00")
    assert clv.expected_periods == D(20)
    assert clv.value == D("2000.00")


def test_missing_inputs_give_no_value():
    assert customer_lifetime_value(None, D(80)).status is LifetimeValueStatus.MISSING_MARGIN
    assert customer_lifetime_value(None, D(80)).value is None
    no_retention = customer_lifetime_value(D("1000.00"), None)
    assert no_retention.status is LifetimeValueStatus.MISSING_RETENTION
    assert no_retention.value is None


def test_retention_outside_0_to_100_is_refused():
    with pytest.raises(ValueError, match="between 0 and 100"):
        customer_lifetime_value(D("1000.00"), D("104"))
    with pytest.raises(ValueError, match="between 0 and 100"):
        customer_lifetime_value(D("1000.00"), D("-1"))
    with pytest.raises(ValueError, match="positive"):
        customer_lifetime_value(D("1000.00"), D("50"), max_periods=0)


def test_average_margin_skips_periods_without_a_margin():
    result = average_margin([D("900.00"), None, D("1100.00"), D("1000.00")])
    assert result.value == D("1000.00")
    assert (result.periods_counted, result.periods_without_margin) == (3, 1)
    assert result.total_margin == D("3000.00")
    assert average_margin([None]).value is None


@given(
    st.decimals(min_value=0, max_value=D("99.99"), places=2),
    st.decimals(min_value=0, max_value=D("99.99"), places=2),
)
def test_more_retention_never_means_fewer_expected_periods(low, high):
    low, high = sorted((low, high))
    assert D(1) <= expected_periods_retained(low) <= expected_periods_retained(high)
