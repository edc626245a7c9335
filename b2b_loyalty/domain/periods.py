"""Reporting periods from what a user types: ``2025``, ``2025-Q2``, ``2025-03`` or from/to."""

from __future__ import annotations

import re
from datetime import date, timedelta

from b2b_loyalty.domain.order_metrics import Period

DAYS_PER_YEAR = 365


# Periods far from today are typing mistakes, and the year-before windows of
# the metrics must stay inside the calendar.
FIRST_YEAR, LAST_YEAR = 1901, 2998


def _check_range(period: Period) -> Period:
    if period.start.year < FIRST_YEAR or period.end.year > LAST_YEAR:
        raise ValueError(f"periods must lie between {FIRST_YEAR} and {LAST_YEAR}")
    return period


def parse_period(
    text: str | None = None, start: str | None = None, end: str | None = None, *, today: date
) -> Period:
    """A Period from ``text`` (year, quarter or month) or an ISO ``start``/``end`` pair.

    Nothing given: the trailing 12 months ending ``today``. Raises ValueError
    with a readable message for anything else.
    """
    if start or end:
        if not (start and end):
            raise ValueError("give both from and to dates")
        try:
            period = Period(date.fromisoformat(start), date.fromisoformat(end))
        except ValueError as exc:
            raise ValueError(f"dates must look like 2025-01-31 ({exc})") from None
        return _check_range(period)
    if not text:
        return Period(today - timedelta(days=DAYS_PER_YEAR - 1), today)
    text = text.strip()
    if m := re.fullmatch(r"(\d{4})", text):
        year = int(m.group(1))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"periods must lie between {FIRST_YEAR} and {LAST_YEAR}")
        return Period(date(year, 1, 1), date(year, 12, 31))
    if m := re.fullmatch(r"(\d{4})-?Q([1-4])", text, re.IGNORECASE):
        year, quarter = int(m.group(1)), int(m.group(2))
        first = date(year, 3 * quarter - 2, 1)
        return _check_range(Period(first, month_end(date(year, 3 * quarter, 1))))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"no month {month}")
        return _check_range(Period(date(year, month, 1), month_end(date(year, month, 1))))
    raise ValueError(f"{text!r} is not a period: use 2025, 2025-Q2, 2025-03 or from/to dates")


def month_end(first: date) -> date:
    """The last day of the month of ``first`` (any day of the month works)."""
    next_month = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return next_month - timedelta(days=1)


def previous_period(period: Period) -> Period:
    """The period of the same length that ends the day before ``period`` starts.

    A calendar year, quarter or month maps onto the previous one exactly.
    """
    if period.start.day == 1 and period.end == month_end(period.end.replace(day=1)):
        months = (
            (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
        )
        index = period.start.year * 12 + period.start.month - 1 - months
        start = date(index // 12, index % 12 + 1, 1)
        return Period(start, period.start - timedelta(days=1))
    length = (period.end - period.start).days + 1
    return Period(period.start - timedelta(days=length), period.start - timedelta(days=1))


def length_in_days(period: Period) -> int:
    return (period.end - period.start).days + 1
