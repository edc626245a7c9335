"""Tenure schedule lookup and stacking with the volume discount, with and without the cap."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugins.tenure_pricing.domain.tenure_schedule import (
    Stacking,
    TenureScheduleError,
    parse_tenure_schedule,
    pct,
    stack_discounts,
)

D = Decimal
ISSUE_TIERS = [
    {"from_months": 0, "percent": "0"},
    {"from_months": 12, "percent": "2"},
    {"from_months": 36, "percent": "4"},
    {"from_months": 60, "percent": "6"},
]


def schedule(**overrides):
    return parse_tenure_schedule(
        **{"tiers": ISSUE_TIERS, "stacking": "additive", "max_total_percent": "100", **overrides}
    )


@pytest.mark.parametrize(
    ("months", "percent"),
    [(0, 0), (11, 0), (12, 2), (35, 2), (36, 4), (38, 4), (59, 4), (60, 6), (240, 6)],
)
def test_schedule_finds_the_tier_of_a_tenure(months, percent):
    assert schedule().percent_for(months) == percent


def test_next_tier_is_the_next_different_rate():
    s = schedule()
    assert s.next_tier(13).from_months == 36
    assert s.next_tier(60) is None


def test_additive_adds_the_two_rates():
    result = stack_discounts(D(5), D(4), Stacking.ADDITIVE, D(100))
    assert result.total == 9 and result.extra == 4 and not result.capped
    assert result.explanation() == "Additive with volume 5 % = 9 %."


def test_compound_applies_one_after_the_other():
    result = stack_discounts(D(5), D(4), "compound", D(100))
    assert result.total == D("8.8") and result.extra == D("3.8")
    assert result.explanation() == "Compound with volume 5 %: 1 − 0.95 × 0.96 = 8.8 %."


def test_best_of_keeps_the_larger_discount():
    volume_wins = stack_discounts(D(5), D(4), Stacking.BEST_OF, D(100))
    assert volume_wins.total == 5 and volume_wins.extra == 0
    assert "volume applies" in volume_wins.explanation()
    tenure_wins = stack_discounts(D(2), D(6), Stacking.BEST_OF, D(100))
    assert tenure_wins.total == 6 and tenure_wins.extra == 4
    assert "tenure applies" in tenure_wins.explanation()


@pytest.mark.parametrize(
    ("rule", "uncapped"), [("additive", D(9)), ("compound", D("8.8")), ("best_of", D(5))]
)
def test_each_rule_is_capped_by_the_maximum_total(rule, uncapped):
    capped = stack_discounts(D(5), D(4), rule, D(7))
    assert capped.uncapped == uncapped
    assert capped.total == min(uncapped, D(7))
    assert capped.capped == (uncapped > 7)
    if capped.capped:
        assert capped.explanation().endswith("capped at 7 % (maximum total discount).")


def test_cap_below_the_volume_discount_alone_gives_a_negative_extra():
    result = stack_discounts(D(12), D(4), "additive", D(10))
    assert result.total == 10 and result.extra == -2 and result.capped


def test_explanation_names_the_tenure():
    result = stack_discounts(D(5), D(4), "additive", D(8))
    assert result.explanation("3 years 2 months since 2022-09-01") == (
        "Tenure 4 % for 3 years 2 months since 2022-09-01. "
        "Additive with volume 5 % = 9 %; capped at 8 % (maximum total discount)."
    )


def test_percents_print_without_trailing_zeros():
    assert (pct(D("8.8000")), pct(D("5.00")), pct(D("0.0")), pct(D("100"))) == (
        "8.8",
        "5",
        "0",
        "100",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"max_total_percent": "101"}, "max_total_percent"),
        ({"renewal_uplift_percent": "-1"}, "renewal_uplift_percent"),
        ({"stacking": "sum"}, "stacking"),
        ({"grace_days": "-3"}, "grace_days"),
        ({"tiers": [{"from_months": 0, "percent": "120"}]}, "tiers.0.percent"),
        ({"tiers": [{"from_months": 6, "percent": "1"}]}, "tiers.0.from_months"),
        (
            {"tiers": [{"from_months": 0, "percent": "0"}, {"from_months": 0, "percent": "1"}]},
            "tiers.1.from_months",
        ),
        ({"tiers": []}, "tiers"),
        ({"tiers": [{"from_months": 0, "percent": 2.5}]}, "tiers.0.percent"),
        ({"tiers": [{"from_months": 0, "percent": "1.00001"}]}, "tiers.0.percent"),
    ],
)
def test_bad_schedules_are_refused_with_the_field_named(overrides, field):
    with pytest.raises(TenureScheduleError) as caught:
        schedule(**overrides)
    assert field in caught.value.field_errors


def test_percent_over_100_has_a_clear_message():
    with pytest.raises(TenureScheduleError) as caught:
        schedule(max_total_percent="150")
    assert caught.value.field_errors["max_total_percent"] == ["A percent runs from 0 to 100."]


# --- invariants ------------------------------------------------------------------

percents = st.decimals(min_value=0, max_value=100, places=2)


@given(percents, percents, percents, st.sampled_from(list(Stacking)))
def test_stacked_total_never_exceeds_the_cap(volume, tenure, cap, rule):
    result = stack_discounts(volume, tenure, rule, cap)
    assert result.total <= cap
    assert result.total == min(result.uncapped, cap)
    assert result.volume + result.extra == result.total


@given(percents, percents)
def test_compound_is_never_more_than_additive(volume, tenure):
    compound = stack_discounts(volume, tenure, "compound", D(100)).uncapped
    additive = stack_discounts(volume, tenure, "additive", D(1000)).uncapped
    assert compound <= additive
    assert compound >= max(volume, tenure)


@given(percents, percents)
def test_best_of_is_at_least_each_part(volume, tenure):
    total = stack_discounts(volume, tenure, "best_of", D(100)).total
    assert total >= volume and total >= tenure and total in (volume, tenure)


@given(st.integers(0, 600), st.integers(0, 600))
def test_a_longer_tenure_never_earns_less_on_a_rising_schedule(a, b):
    s = schedule()
    low, high = sorted((a, b))
    assert s.percent_for(low) <= s.percent_for(high)


def test_plain_numbers_never_use_an_exponent():
    from plugins.tenure_pricing.domain.tenure_schedule import plain

    assert [str(plain(D(x))) for x in ("10.0000", "3.800000", "0.00", "-2.0")] == [
        "10",
        "3.8",
        "0",
        "-2",
    ]
