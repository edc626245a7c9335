from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2b_loyalty.domain.segmentation import (
    AccountFigures,
    Segment,
    SegmentOverride,
    SegmentRules,
    SegmentSource,
    assign_segment,
    segment_of,
    trailing_12_months,
)

D = Decimal
RULES = SegmentRules(
    vip_min_revenue_12m=D("100000.00"), vip_min_orders_12m=24, difficult_min_complaints=3
)


def test_vip_by_trailing_12_month_revenue_says_so():
    result = assign_segment(AccountFigures(revenue_12m=D("152000"), orders_12m=4), RULES)
    assert result.segment is Segment.VIP
    assert result.reason == "trailing 12-month revenue 152,000.00 ≥ VIP threshold 100,000.00"
    assert result.source is SegmentSource.RULE


def test_vip_by_order_count_alone():
    result = assign_segment(AccountFigures(revenue_12m=D("5000"), orders_12m=30), RULES)
    assert result.segment is Segment.VIP
    assert result.reason == "30 orders in 12 months ≥ VIP threshold 24"


def test_vip_threshold_is_inclusive():
    result = assign_segment(AccountFigures(revenue_12m=D("100000.00"), orders_12m=1), RULES)
    assert result.segment is Segment.VIP


def test_complaints_make_an_account_difficult_even_when_it_is_vip_sized():
    result = assign_segment(
        AccountFigures(revenue_12m=D("152000"), orders_12m=4, complaints_12m=5), RULES
    )
    assert result.segment is Segment.DIFFICULT
    assert result.reason.startswith("5 complaints in 12 months ≥ difficult threshold 3")
    assert "also meets the VIP rule" in result.reason


def test_manual_difficult_flag_makes_an_account_difficult():
    result = assign_segment(
        AccountFigures(revenue_12m=D("1000"), orders_12m=2, flagged_difficult=True), RULES
    )
    assert result.segment is Segment.DIFFICULT
    assert result.reason == "flagged difficult by hand"


def test_regular_buyer_below_thresholds_is_current():
    result = assign_segment(AccountFigures(revenue_12m=D("20000"), orders_12m=6), RULES)
    assert result.segment is Segment.CURRENT
    assert "6 orders and revenue 20,000.00" in result.reason


def test_account_without_orders_in_12_months_is_unsegmented():
    result = assign_segment(AccountFigures(revenue_12m=D("0"), orders_12m=0), RULES)
    assert result.segment is Segment.NONE


def test_switched_off_rules_never_fire():
    rules = SegmentRules()
    figures = AccountFigures(revenue_12m=D("10000000"), orders_12m=500, complaints_12m=50)
    assert assign_segment(figures, rules).segment is Segment.CURRENT


def test_manual_override_wins_and_says_what_the_rules_would_give():
    result = assign_segment(
        AccountFigures(revenue_12m=D("152000"), orders_12m=4),
        RULES,
        SegmentOverride(Segment.CURRENT, "merger under way", set_by="anna"),
    )
    assert result.segment is Segment.CURRENT
    assert result.source is SegmentSource.MANUAL_OVERRIDE
    assert result.rule_segment is Segment.VIP
    assert result.reason.startswith("manual override to current by anna: merger under way")
    assert "rules would give VIP" in result.reason


def test_override_needs_a_reason():
    with pytest.raises(ValueError, match="reason"):
        assign_segment(
            AccountFigures(revenue_12m=D("1"), orders_12m=1),
            RULES,
            SegmentOverride(Segment.VIP, "   "),
        )


def test_rules_refuse_meaningless_thresholds():
    with pytest.raises(ValueError):
        SegmentRules(vip_min_revenue_12m=D("-1"))
    with pytest.raises(ValueError):
        SegmentRules(vip_min_orders_12m=0)
    with pytest.raises(ValueError):
        SegmentRules(difficult_min_complaints=0)


def test_reason_formats_money_in_the_rules_currency():
    rules = SegmentRules(vip_min_revenue_12m=D("1000000"), currency="JPY")
    result = assign_segment(AccountFigures(revenue_12m=D("1500000"), orders_12m=1), rules)
    assert result.reason == "trailing 12-month revenue 1,500,000 ≥ VIP threshold 1,000,000"


def test_trailing_12_months_window_is_one_year_inclusive():
    assert trailing_12_months(date(2024, 6, 30)) == (date(2023, 7, 1), date(2024, 6, 30))
    assert trailing_12_months(date(2024, 2, 29)) == (date(2023, 3, 1), date(2024, 2, 29))


@settings(max_examples=300, deadline=None)
@given(
    revenue=st.decimals(-1000, 500_000, places=2),
    orders=st.integers(-2, 60),
    complaints=st.integers(-1, 8),
    flagged=st.booleans(),
    vip_revenue=st.none() | st.decimals(1, 300_000, places=2),
    vip_orders=st.none() | st.integers(1, 40),
    difficult=st.none() | st.integers(1, 6),
    current=st.integers(1, 5),
    override=st.none() | st.sampled_from(list(Segment)),
    reason=st.sampled_from(["merger under way", "  "]),
)
def test_segment_of_is_the_assignments_segment(
    revenue,
    orders,
    complaints,
    flagged,
    vip_revenue,
    vip_orders,
    difficult,
    current,
    override,
    reason,
):
    """The dashboard counts segments with ``segment_of`` and explains a few with
    ``assign_segment``: the same segment, and the same refusals, whatever the figures."""
    figures = AccountFigures(revenue, orders, complaints, flagged)
    rules = SegmentRules(vip_revenue, vip_orders, difficult, current)
    manual = None if override is None else SegmentOverride(override, reason)
    try:
        expected = assign_segment(figures, rules, manual).segment
    except ValueError as refused:
        with pytest.raises(ValueError, match=str(refused)):
            segment_of(figures, rules, manual)
    else:
        assert segment_of(figures, rules, manual) is expected
