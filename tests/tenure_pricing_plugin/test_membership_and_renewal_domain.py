"""Membership-fee break-even (client and seller), renewal price and step-up, renewal outlook."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugins.tenure_pricing.domain.contracts import (
    ContractTerms,
    OtherContract,
    completed_terms,
    contract_errors,
    end_from_term,
    term_from_dates,
)
from plugins.tenure_pricing.domain.membership import (
    break_even_spend,
    break_even_volume,
    seller_break_even,
)
from plugins.tenure_pricing.domain.renewal import renewal_price, renewal_term, tenure_step_up
from plugins.tenure_pricing.domain.renewal_risk import RenewalSituation, renewal_outlook
from plugins.tenure_pricing.domain.tenure_schedule import parse_tenure_schedule

D = Decimal


def test_break_even_reference_railway_card():
    """220 fee, 50 % off a 0.24 per-unit price: 220 ÷ (0.24 × 0.5) = 1,833.33 units."""
    assert break_even_volume(D(220), D("0.24"), D(50)) == D("1833.33")
    assert break_even_spend(D(220), D(50)) == D("440.00")


@pytest.mark.parametrize(
    ("fee", "price", "percent"), [(D(-1), D(1), D(10)), (D(1), D(0), D(10)), (D(1), D(1), D(0))]
)
def test_break_even_refuses_meaningless_inputs(fee, price, percent):
    with pytest.raises(ValueError):
        break_even_volume(fee, price, percent)


def test_seller_side_needs_spend_to_rise():
    # S = 10,000, m = 30 %, d = 10 %, F = 500: (3,000 − 500) ÷ 0.2 = 12,500 (+25 %).
    result = seller_break_even(D(10000), D(30), D(10), D(500))
    assert result.required_spend == D("12500.00") and result.uplift_percent == D("25.00")
    assert not result.never_pays


def test_seller_side_never_pays_when_the_discount_is_not_below_the_margin():
    assert seller_break_even(D(10000), D(30), D(30), D(500)).never_pays
    assert seller_break_even(D(10000), D(20), D(50), D(500)).required_spend is None


def test_seller_side_pays_at_any_spend_when_the_fee_covers_todays_profit():
    result = seller_break_even(D(1000), D(30), D(10), D(400))
    assert result.required_spend == 0


@given(
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.decimals(min_value=1, max_value=90, places=1),
    st.decimals(min_value=0, max_value=10**4, places=2),
)
def test_at_the_seller_break_even_the_profit_is_at_least_the_old_one(spend, margin, fee):
    discount = margin / 2
    result = seller_break_even(spend, margin, discount, fee)
    s_new = result.required_spend
    m, d = margin / 100, discount / 100
    assert s_new * (m - d) + fee >= spend * m - D("0.01")


def test_renewal_price_applies_the_uplift():
    price = renewal_price(D("100000.00"), D(3), D("110000"))
    assert price.new == D("103000.00") and not price.capped_by_list and price.change == 3000


def test_renewal_price_never_goes_above_the_list_price():
    price = renewal_price(D("100000.00"), D(5), D("102000"))
    assert price.uplifted == D("105000.00")
    assert price.new == D("102000.00") and price.capped_by_list


def test_renewal_price_without_a_list_value_is_not_capped():
    price = renewal_price(D(1000), D(10), None)
    assert price.new == D("1100.00") and not price.capped_by_list


@given(
    st.decimals(min_value=0, max_value=10**7, places=2),
    st.decimals(min_value=0, max_value=50, places=2),
    st.decimals(min_value=0, max_value=10**7, places=2),
)
def test_renewal_price_is_min_of_uplift_and_list(old, uplift, list_value):
    price = renewal_price(old, uplift, list_value)
    assert price.new <= list_value and price.new <= price.uplifted
    assert price.new == min(price.uplifted, list_value)


def test_renewal_term_follows_the_contract():
    assert renewal_term(date(2026, 12, 31), 12) == (date(2027, 1, 1), date(2027, 12, 31))


def test_step_up_lists_the_thresholds_the_next_term_crosses():
    schedule = parse_tenure_schedule(
        tiers=[
            {"from_months": 0, "percent": "0"},
            {"from_months": 12, "percent": "2"},
            {"from_months": 36, "percent": "4"},
            {"from_months": 60, "percent": "6"},
        ],
        stacking="additive",
        max_total_percent="10",
    )
    # Under contract since 2024-03-01; renewing 2026-12-31 for 12 months.
    step = tenure_step_up(
        schedule, date(2024, 3, 1), date(2026, 11, 26), date(2027, 1, 1), date(2027, 12, 31)
    )
    assert step.percent_now == 2 and step.percent_at_start == 2
    assert [(s.on, s.percent) for s in step.steps] == [(date(2027, 3, 1), D(4))]
    assert step.percent_at_end == 4 and step.gain_points == 2


def test_contract_rules_catch_every_bad_input():
    terms = ContractTerms(
        number="C-1",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 4, 30),
        term_months=None,
        status="active",
        annual_value=D(-1),
        membership_fee=D(-5),
        membership_discount_percent=D(120),
    )
    errors = contract_errors(completed_terms(terms), [])
    assert errors["end_date"] == ["The contract cannot end before it starts."]
    assert errors["annual_value"] == ["The annual value cannot be negative."]
    assert errors["membership_fee"] == ["A fee cannot be negative."]
    assert errors["membership_discount_percent"] == ["A percent runs from 0 to 100."]


def test_overlap_only_counts_between_active_contracts():
    terms = completed_terms(ContractTerms("C-2", date(2026, 6, 1), None, 12, "active", D(0)))
    active = OtherContract("C-1", date(2026, 1, 1), date(2026, 12, 31), "active")
    expired = OtherContract("C-0", date(2026, 1, 1), date(2026, 12, 31), "expired")
    assert "Overlaps the active contract C-1" in contract_errors(terms, [active])["start_date"][0]
    assert contract_errors(terms, [expired]) == {}


def test_end_and_term_derive_from_each_other():
    assert end_from_term(date(2026, 1, 1), 12) == date(2026, 12, 31)
    assert term_from_dates(date(2026, 1, 1), date(2026, 12, 31)) == 12
    terms = completed_terms(ContractTerms("C", date(2024, 2, 29), None, 12, "active", D(0)))
    assert terms.end_date == date(2025, 2, 27)


def test_renewal_outlook_scores():
    safe = renewal_outlook(RenewalSituation(days_left=400))
    assert safe.score == 100
    late = renewal_outlook(RenewalSituation(days_left=45))
    assert late.score == 25 and late.explanation == "Ends in 45 days, no renewal drafted"
    auto = renewal_outlook(RenewalSituation(days_left=45, auto_renew=True))
    assert auto.score == 80
    signed = renewal_outlook(RenewalSituation(days_left=5, renewal_signed=True))
    assert signed.score == 100
    lapsed = renewal_outlook(RenewalSituation(days_left=None, lapsed=True))
    assert lapsed.score == 0
    with_spend = renewal_outlook(
        RenewalSituation(days_left=400, spend_12m=D(50000), annual_value=D(100000))
    )
    assert with_spend.score == 85  # 0.7 × 100 + 0.3 × 50
    assert "bought 50 % of the annual commitment" in with_spend.explanation


@given(
    st.one_of(st.none(), st.integers(-100, 2000)),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=10**7, places=2)),
    st.decimals(min_value=0, max_value=10**7, places=2),
)
def test_renewal_outlook_stays_between_0_and_100(days, auto, signed, drafted, spend, value):
    outlook = renewal_outlook(
        RenewalSituation(
            days_left=days,
            auto_renew=auto,
            renewal_signed=signed,
            renewal_drafted=drafted,
            spend_12m=spend,
            annual_value=value,
        )
    )
    assert 0 <= outlook.score <= 100 and outlook.explanation
