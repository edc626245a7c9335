"""Discount schedules: construction, parsing of raw API input, and validation messages."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from b2b_loyalty.domain.discount_schedule import (
    Basis,
    DiscountSchedule,
    Mode,
    ScheduleValidationError,
    Scope,
    Tier,
    parse_schedule,
)

LAMP_TIERS = [
    {"from": "0", "percent": "0"},
    {"from": "100", "percent": "5"},
    {"from": "200", "percent": "10"},
    {"from": "300", "percent": "20"},
]


def errors_of(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ScheduleValidationError) as info:
        parse_schedule(**kwargs)
    return info.value.field_errors


def test_parse_schedule_reads_json_strings_into_decimals_and_enums():
    schedule = parse_schedule("quantity", "incremental", LAMP_TIERS, "cumulative_calendar_year")

    assert schedule.basis is Basis.QUANTITY
    assert schedule.mode is Mode.INCREMENTAL
    assert schedule.scope is Scope.CUMULATIVE_CALENDAR_YEAR
    assert schedule.currency == "EUR"
    assert schedule.tiers == (
        Tier(Decimal("0"), Decimal("0")),
        Tier(Decimal("100"), Decimal("5")),
        Tier(Decimal("200"), Decimal("10")),
        Tier(Decimal("300"), Decimal("20")),
    )


def test_parse_schedule_accepts_ints_and_normalises_case_and_currency():
    schedule = parse_schedule(
        " Amount ",
        "ALL_UNITS",
        [{"from": 0, "percent": 0}, {"from": 10000, "percent": 5}],
        currency="chf",
    )

    assert schedule.basis is Basis.AMOUNT
    assert schedule.mode is Mode.ALL_UNITS
    assert schedule.scope is Scope.PER_ORDER
    assert schedule.currency == "CHF"
    assert schedule.tiers[1] == Tier(Decimal("10000"), Decimal("5"))


def test_constructor_takes_enums_and_tier_objects_and_stores_a_tuple():
    schedule = DiscountSchedule(
        Basis.AMOUNT,
        Mode.ALL_UNITS,
        [Tier(Decimal(0), Decimal(0)), Tier(Decimal("10000"), Decimal("5"))],
    )

    assert isinstance(schedule.tiers, tuple)
    assert schedule == parse_schedule(
        "amount", "all_units", [{"from": "0", "percent": "0"}, {"from": "10000", "percent": "5"}]
    )


def test_schedule_is_immutable_and_hashable():
    schedule = parse_schedule("quantity", "incremental", LAMP_TIERS)

    with pytest.raises(dataclasses.FrozenInstanceError):
        schedule.mode = Mode.ALL_UNITS  # type: ignore[misc]
    assert hash(schedule) == hash(parse_schedule("quantity", "incremental", LAMP_TIERS))


def test_tier_index_at_puts_a_bound_in_the_tier_it_starts():
    schedule = parse_schedule("quantity", "incremental", LAMP_TIERS)

    assert schedule.tier_index_at(Decimal(0)) == 0
    assert schedule.tier_index_at(Decimal("99.99")) == 0
    assert schedule.tier_index_at(Decimal(100)) == 1
    assert schedule.tier_index_at(Decimal(299)) == 2
    assert schedule.tier_index_at(Decimal(10**9)) == 3


def test_only_per_order_scope_is_not_cumulative():
    assert not Scope.PER_ORDER.is_cumulative
    assert Scope.CUMULATIVE_CALENDAR_YEAR.is_cumulative
    assert Scope.CUMULATIVE_ROLLING_12_MONTHS.is_cumulative


def test_first_tier_not_at_zero_is_reported_on_its_from():
    errors = errors_of(basis="quantity", mode="incremental", tiers=[{"from": "10", "percent": "0"}])

    assert errors == {
        "tiers.0.from": ["the first tier must start at 0 so every volume has a rate (got 10)"]
    }


def test_tier_starts_that_do_not_strictly_increase_are_reported_per_tier():
    errors = errors_of(
        basis="quantity",
        mode="incremental",
        tiers=[
            {"from": "0", "percent": "0"},
            {"from": "100", "percent": "5"},
            {"from": "100", "percent": "6"},
            {"from": "50", "percent": "7"},
        ],
    )

    assert set(errors) == {"tiers.2.from", "tiers.3.from"}
    assert errors["tiers.2.from"] == [
        "must be greater than the previous tier's start (100); "
        "tier starts must strictly increase (got 100)"
    ]
    assert "previous tier's start (100)" in errors["tiers.3.from"][0]


@pytest.mark.parametrize("percent", ["-0.01", "100.01", "150"])
def test_percent_outside_0_to_100_is_refused(percent):
    errors = errors_of(
        basis="amount",
        mode="all_units",
        tiers=[{"from": "0", "percent": "0"}, {"from": "10", "percent": percent}],
    )

    assert errors == {"tiers.1.percent": [f"must be between 0 and 100 percent (got {percent})"]}


@pytest.mark.parametrize("percent", ["0", "100", "12.5"])
def test_percent_bounds_0_and_100_are_allowed(percent):
    schedule = parse_schedule("amount", "all_units", [{"from": "0", "percent": percent}])

    assert schedule.tiers[0].percent == Decimal(percent)


def test_unknown_basis_mode_and_scope_name_the_allowed_values():
    errors = errors_of(basis="weight", mode="stepped", tiers=LAMP_TIERS, scope="forever")

    assert errors == {
        "basis": ["unknown basis 'weight'; expected one of: quantity, amount"],
        "mode": ["unknown mode 'stepped'; expected one of: incremental, all_units"],
        "scope": [
            "unknown scope 'forever'; expected one of: per_order, "
            "cumulative_calendar_year, cumulative_rolling_12_months"
        ],
    }


@pytest.mark.parametrize("tiers", [[], ()])
def test_missing_tiers_are_refused(tiers):
    assert errors_of(basis="quantity", mode="incremental", tiers=tiers) == {
        "tiers": ["at least one tier is required"]
    }


def test_tiers_that_are_not_a_list_are_refused():
    assert errors_of(basis="quantity", mode="incremental", tiers=None) == {
        "tiers": ["must be a list of tiers, each with 'from' and 'percent'"]
    }


def test_tier_fields_missing_or_not_numbers_are_reported_by_path():
    errors = errors_of(
        basis="quantity",
        mode="incremental",
        tiers=[{"from": "0", "percent": "0"}, {"from": "abc"}, "5%", {"from": 0.5, "percent": 1}],
    )

    assert errors == {
        "tiers.1.from": ["'abc' is not a number"],
        "tiers.1.percent": ["is required: the discount in percent (0-100)"],
        "tiers.2": ["each tier must be an object with 'from' and 'percent'"],
        "tiers.3.from": ["expected a decimal number as text or integer, not a float"],
    }


def test_every_problem_is_collected_before_raising_once():
    errors = errors_of(
        basis="volume",
        mode="incremental",
        tiers=[{"from": "5", "percent": "120"}, {"percent": "5"}, {"from": "3", "percent": "-1"}],
        currency="EURO",
    )

    assert set(errors) == {
        "basis",
        "currency",
        "tiers.0.from",
        "tiers.0.percent",
        "tiers.1.from",
        "tiers.2.percent",
    }


def test_validation_error_is_a_value_error_with_a_readable_summary():
    with pytest.raises(ValueError) as info:
        parse_schedule("quantity", "incremental", [{"from": "1", "percent": "0"}])

    assert str(info.value) == (
        "tiers.0.from: the first tier must start at 0 so every volume has a rate (got 1)"
    )


def test_constructor_validates_like_parse_schedule():
    with pytest.raises(ScheduleValidationError) as info:
        DiscountSchedule(Basis.QUANTITY, Mode.INCREMENTAL, [Tier(Decimal(0), Decimal(101))])

    assert info.value.field_errors == {
        "tiers.0.percent": ["must be between 0 and 100 percent (got 101)"]
    }
