"""Tenure across renewals: gaps inside and beyond the grace, leap years, future contracts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugins.tenure_pricing.domain.calendar_months import (
    add_months,
    describe_months,
    full_months_between,
)
from plugins.tenure_pricing.domain.tenure import CoverPeriod, merge_periods, tenure_on

GRACE = 30


def yearly(start: date, years: int, gaps: tuple[int, ...] = ()) -> list[CoverPeriod]:
    """Consecutive one-year contracts from ``start``; ``gaps[i]`` days before contract i+1."""
    periods, begin = [], start
    for i in range(years):
        end = add_months(begin, 12) - timedelta(days=1)
        periods.append(CoverPeriod(begin, end))
        begin = end + timedelta(days=1 + (gaps[i] if i < len(gaps) else 0))
    return periods


def test_renewals_without_gaps_add_up_to_continuous_tenure():
    tenure = tenure_on(yearly(date(2022, 9, 1), 4), date(2025, 11, 1), GRACE)
    assert (tenure.since, tenure.months, tenure.years, tenure.days) == (date(2022, 9, 1), 38, 3, 0)
    assert tenure.covered
    assert tenure.reason == "3 years 2 months since 2022-09-01"


def test_gap_within_grace_is_bridged_and_named_in_the_reason():
    periods = yearly(date(2022, 9, 1), 4, gaps=(0, 12))
    tenure = tenure_on(periods, date(2025, 11, 1), GRACE)
    assert tenure.since == date(2022, 9, 1)
    assert tenure.months == 38
    assert [(g.days, g.first_day) for g in tenure.bridged_gaps] == [(12, date(2024, 9, 1))]
    assert tenure.reason == "3 years 2 months since 2022-09-01; gap of 12 days in 2024 within grace"


def test_gap_of_exactly_the_grace_is_still_bridged():
    periods = yearly(date(2022, 1, 1), 2, gaps=(30,))
    assert tenure_on(periods, date(2023, 6, 1), 30).since == date(2022, 1, 1)


def test_gap_beyond_grace_restarts_tenure_at_the_next_contract():
    periods = yearly(date(2020, 1, 1), 3, gaps=(31,))
    tenure = tenure_on(periods, date(2022, 6, 1), 30)
    restart = date(2021, 1, 1) + timedelta(days=31)
    assert tenure.since == restart
    assert tenure.restart is not None and tenure.restart.days == 31
    assert "restarted after a gap of 31 days in 2021 (grace 30 days)" in tenure.reason


def test_a_longer_grace_bridges_the_same_gap():
    periods = yearly(date(2020, 1, 1), 3, gaps=(45,))
    assert tenure_on(periods, date(2022, 6, 1), 30).since > date(2020, 1, 1)
    assert tenure_on(periods, date(2022, 6, 1), 60).since == date(2020, 1, 1)


def test_after_the_last_contract_tenure_lives_through_the_grace_then_ends():
    periods = [CoverPeriod(date(2023, 1, 1), date(2024, 12, 31))]
    inside = tenure_on(periods, date(2025, 1, 20), 30)
    assert inside.has_tenure and not inside.covered
    assert inside.days_uncovered == 20 and inside.grace_days_left == 10
    assert "no contract since 2025-01-01: 20 of 30 grace days used" in inside.reason
    beyond = tenure_on(periods, date(2025, 2, 15), 30)
    assert not beyond.has_tenure and beyond.months == 0 and beyond.total_days == 0
    assert beyond.reason == (
        "no tenure: the last contract ended on 2024-12-31, 46 days ago, beyond the 30-day grace"
    )


def test_a_contract_starting_tomorrow_gives_no_tenure_today():
    today = date(2026, 11, 26)
    periods = [CoverPeriod(today + timedelta(days=1), date(2027, 11, 26))]
    tenure = tenure_on(periods, today, GRACE)
    assert not tenure.has_tenure and tenure.months == 0
    assert tenure.next_start == date(2026, 11, 27)
    assert (
        tenure.reason == "no tenure: no signed contract yet; the next contract starts on 2026-11-27"
    )
    first_day = tenure_on(periods, today + timedelta(days=1), GRACE)
    assert first_day.has_tenure and first_day.reason == "0 days since 2026-11-27"


def test_leap_day_contract_completes_its_year_on_28_february():
    periods = [CoverPeriod(date(2024, 2, 29), date(2026, 2, 27))]
    assert tenure_on(periods, date(2025, 2, 27), GRACE).months == 11
    on_anniversary = tenure_on(periods, date(2025, 2, 28), GRACE)
    assert (on_anniversary.months, on_anniversary.days) == (12, 0)
    assert on_anniversary.reason == "1 year since 2024-02-29"


def test_tenure_over_a_leap_year_counts_calendar_days_too():
    periods = yearly(date(2023, 3, 1), 2)
    tenure = tenure_on(periods, date(2024, 3, 1), GRACE)
    assert (tenure.months, tenure.days, tenure.total_days) == (12, 0, 366)
    tenure = tenure_on(periods, date(2024, 2, 29), GRACE)
    assert (tenure.months, tenure.days) == (11, 28)


def test_overlapping_and_touching_contracts_merge():
    merged = merge_periods(
        [
            CoverPeriod(date(2024, 1, 1), date(2024, 6, 30)),
            CoverPeriod(date(2024, 7, 1), date(2024, 12, 31)),
            CoverPeriod(date(2024, 3, 1), date(2024, 4, 30)),
        ]
    )
    assert merged == [CoverPeriod(date(2024, 1, 1), date(2024, 12, 31))]


def test_no_contract_at_all():
    tenure = tenure_on([], date(2026, 1, 1), GRACE)
    assert not tenure.has_tenure and tenure.reason == "no tenure: no signed contract yet"


def test_a_contract_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="cannot end"):
        CoverPeriod(date(2024, 2, 1), date(2024, 1, 31))


@pytest.mark.parametrize(
    ("months", "text"),
    [
        (0, "0 months"),
        (1, "1 month"),
        (12, "1 year"),
        (13, "1 year 1 month"),
        (38, "3 years 2 months"),
    ],
)
def test_months_are_described_in_years_and_months(months, text):
    assert describe_months(months) == text


def test_adding_months_clips_to_the_end_of_the_month():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert full_months_between(date(2025, 1, 31), date(2025, 2, 28)) == 1


# --- invariants ------------------------------------------------------------------

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@st.composite
def histories(draw) -> list[CoverPeriod]:
    start = draw(days)
    periods = []
    for _ in range(draw(st.integers(1, 6))):
        length = draw(st.integers(0, 900))
        periods.append(CoverPeriod(start, start + timedelta(days=length)))
        start = start + timedelta(days=length + 1 + draw(st.integers(0, 90)))
    return periods


@given(histories(), days, st.integers(0, 120))
def test_tenure_is_never_negative(periods, on, grace):
    tenure = tenure_on(periods, on, grace)
    assert tenure.months >= 0 and tenure.days >= 0 and tenure.total_days >= 0
    if tenure.has_tenure:
        assert tenure.since <= on


@given(days, st.integers(0, 5000), st.integers(0, 5000), st.integers(0, 5000))
def test_without_gaps_tenure_grows_with_the_as_of_date(start, length, a, b):
    periods = [CoverPeriod(start, start + timedelta(days=length))]
    first, second = sorted(
        (start + timedelta(days=min(a, length)), start + timedelta(days=min(b, length)))
    )
    earlier, later = tenure_on(periods, first, 30), tenure_on(periods, second, 30)
    assert (earlier.months, earlier.total_days) <= (later.months, later.total_days)
    assert later.total_days == (second - start).days


@given(histories(), days)
def test_a_longer_grace_never_shortens_tenure(periods, on):
    assert tenure_on(periods, on, 10).total_days <= tenure_on(periods, on, 60).total_days


@given(days, st.integers(-600, 600))
def test_full_months_match_add_months(start, offset):
    end = start + timedelta(days=offset)
    months = full_months_between(start, end)
    assert months >= 0
    if end >= start:
        assert add_months(start, months) <= end < add_months(start, months + 1)
