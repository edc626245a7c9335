from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_loyalty.domain.share_of_wallet import (
    WalletBasis,
    WalletStatus,
    category_share,
    share_of_wallet,
    share_of_wallet_trend,
    share_value,
)

D = Decimal
Q1 = date(2024, 1, 1)
Q2 = date(2024, 4, 1)
Q3 = date(2024, 7, 1)


def test_category_share_is_our_revenue_over_the_estimate():
    share = category_share("lamps", D("40000.00"), D("100000.00"))
    assert share.value == D("40.00")
    assert share.headroom == D("60000.00")
    assert share.status is WalletStatus.KNOWN
    assert share.estimate_exceeded is False


def test_missing_estimate_is_unknown_not_zero_percent():
    share = category_share("lamps", D("40000.00"), None)
    assert share.value is None
    assert share.headroom is None
    assert share.status is WalletStatus.UNKNOWN


def test_revenue_above_estimate_reports_over_100_percent_and_negative_headroom():
    share = category_share("lamps", D("120.00"), D("100.00"))
    assert share.value == D("120.00")
    assert share.headroom == D("-20.00")
    assert share.estimate_exceeded is True
    assert "revisit" in share.note


def test_zero_estimate_gives_no_share_but_shows_the_contradiction():
    share = category_share("lamps", D("10.00"), D("0"))
    assert share.value is None
    assert share.status is WalletStatus.UNKNOWN
    assert share.headroom == D("-10.00")
    assert share.estimate_exceeded is True


def test_negative_estimate_is_refused():
    with pytest.raises(ValueError, match="negative"):
        category_share("lamps", D("10.00"), D("-1"))


def test_account_total_sums_only_categories_with_an_estimate():
    result = share_of_wallet(
        account_id=7,
        period_start=Q1,
        revenue_by_category={"lamps": D("120.00"), "cables": D("50.00")},
        estimate_by_category={"lamps": D("100.00"), "tools": D("40.00")},
    )
    # (lamps 120 + tools 0) ÷ (100 + 40) = 85.714… %; cables has no estimate.
    assert result.value == D("85.71")
    assert result.our_revenue == D("120.00")
    assert result.wallet_estimate == D("140.00")
    assert result.headroom == D("20.00")
    assert result.revenue_without_estimate == D("50.00")
    assert result.basis is WalletBasis.SUM_OF_CATEGORY_ESTIMATES
    assert "cables" in result.note
    assert [c.category for c in result.categories] == ["cables", "lamps", "tools"]
    by_name = {c.category: c for c in result.categories}
    assert by_name["tools"].value == D("0.00")
    assert by_name["cables"].status is WalletStatus.UNKNOWN
    assert result.estimate_exceeded is False
    assert result.categories_exceeding_estimate == ("lamps",)


def test_all_category_estimate_takes_all_our_revenue():
    result = share_of_wallet(
        account_id=7,
        period_start=Q1,
        revenue_by_category={"lamps": D("120.00"), "cables": D("50.00")},
        estimate_by_category={"lamps": D("100.00")},
        all_category_estimate=D("200.00"),
    )
    assert result.value == D("85.00")
    assert result.our_revenue == D("170.00")
    assert result.headroom == D("30.00")
    assert result.revenue_without_estimate == D("0")
    assert result.basis is WalletBasis.ALL_CATEGORY_ESTIMATE


def test_account_without_any_estimate_is_unknown():
    result = share_of_wallet(7, Q1, {"lamps": D("120.00")})
    assert result.value is None
    assert result.status is WalletStatus.UNKNOWN
    assert result.basis is WalletBasis.NO_ESTIMATE
    assert result.wallet_estimate is None


def test_account_total_above_estimate_is_flagged():
    result = share_of_wallet(7, Q1, {"lamps": D("300.00")}, all_category_estimate=D("250.00"))
    assert result.value == D("120.00")
    assert result.headroom == D("-50.00")
    assert result.estimate_exceeded is True


def _known(period_start, revenue, estimate):
    return share_of_wallet(7, period_start, {"lamps": D(revenue)}, {"lamps": D(estimate)})


def test_trend_is_in_period_order_with_change_in_points():
    trend = share_of_wallet_trend(
        [_known(Q3, "45", "100"), _known(Q1, "30", "100"), _known(Q2, "40", "100")]
    )
    assert [p.result.period_start for p in trend.points] == [Q1, Q2, Q3]
    assert [p.change_points for p in trend.points] == [None, D("10.00"), D("5.00")]
    assert trend.change_points_first_to_last == D("15.00")


def test_trend_change_next_to_an_unknown_period_is_unknown():
    unknown = share_of_wallet(7, Q2, {"lamps": D("40")})
    trend = share_of_wallet_trend([_known(Q1, "30", "100"), unknown, _known(Q3, "45", "100")])
    assert [p.change_points for p in trend.points] == [None, None, None]
    assert trend.change_points_first_to_last == D("15.00")


def test_trend_refuses_mixed_accounts_and_repeated_periods():
    other = share_of_wallet(8, Q2, {"lamps": D("1")}, {"lamps": D("2")})
    with pytest.raises(ValueError, match="one account"):
        share_of_wallet_trend([_known(Q1, "1", "2"), other])
    with pytest.raises(ValueError, match="same period"):
        share_of_wallet_trend([_known(Q1, "1", "2"), _known(Q1, "1", "3")])


money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@given(revenue=money, estimate=st.one_of(st.none(), money))
def test_category_share_is_none_exactly_when_there_is_no_usable_estimate(revenue, estimate):
    share = category_share("x", revenue, estimate)
    assert (share.value is None) == (estimate is None or estimate == 0)
    if share.value is not None:
        assert share.value >= 0
        assert share.estimate_exceeded == (revenue > estimate)
        assert (share.value <= 100) or share.estimate_exceeded
        assert share.headroom == estimate - revenue


@given(
    revenue=st.dictionaries(st.sampled_from("abcd"), money, max_size=4),
    estimates=st.dictionaries(st.sampled_from("abcde"), money.filter(lambda m: m > 0), max_size=5),
)
def test_account_share_is_none_exactly_when_no_category_has_an_estimate(revenue, estimates):
    result = share_of_wallet(1, Q1, revenue, estimates)
    assert (result.value is None) == (not estimates)
    assert result.our_revenue + result.revenue_without_estimate == sum(revenue.values(), D(0))


@given(
    revenue=st.dictionaries(st.sampled_from("abcd"), money, max_size=4),
    estimates=st.dictionaries(st.sampled_from("abcde"), st.one_of(st.none(), money), max_size=5),
    all_categories=st.one_of(st.none(), money),
)
def test_share_value_is_the_value_of_the_full_computation(revenue, estimates, all_categories):
    """Lists use ``share_value`` and explain with ``share_of_wallet``: they must agree."""
    full = share_of_wallet(1, Q1, revenue, estimates, all_categories)
    assert share_value(revenue, estimates, all_categories) == full.value


def test_share_value_refuses_a_negative_estimate_like_the_full_computation():
    with pytest.raises(ValueError, match="negative"):
        share_value({"a": D(1)}, {"a": D(-1)})
