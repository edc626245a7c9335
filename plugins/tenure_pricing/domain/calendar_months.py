"""Calendar arithmetic in whole months, the unit contracts and tenure are stated in.

Adding months keeps the day of the month and clips it to the month's last day:
31 January + 1 month = 28 (or 29) February; 29 February 2024 + 12 months =
28 February 2025. A month is *full* when its anniversary day has been reached,
so a contract signed on 29 February completes its first year on 28 February of a
common year (the clipped anniversary).
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (negative goes back), day clipped."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def full_months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``: the largest n with add_months(start, n) ≤ end.

    0 when ``end`` is before ``start``. Monotone: a later ``end`` never gives fewer months.
    """
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def describe_months(months: int) -> str:
    """``38`` → ``"3 years 2 months"``; ``12`` → ``"1 year"``; ``0`` → ``"0 months"``."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest or not years:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)
