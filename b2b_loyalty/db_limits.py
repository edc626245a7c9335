"""Bounds of what the database columns can hold, checked before a query sees a value.

Ids are 32-bit integers on PostgreSQL; an id beyond that is not "no such
record" to the database but an error, so it must be refused (404 or a field
error) before any query. Money columns hold 16 digits.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_DB_ID = 2**31 - 1
# The largest amount or quantity a user may enter is the pricing engine's bound,
# ``domain.money.MAX_INPUT_NUMBER`` (a trillion).
# Money columns are Numeric(16, 2).
MAX_MONEY = 10**14


def db_int(value: Any) -> int | None:
    """An id from a query string: an int within the database's range, else None."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_DB_ID else None


def is_db_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_DB_ID


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` in URLs: at most 10 digits, so a longer number simply matches no
    route (404) instead of overflowing a 64-bit integer deeper down. Ids between
    2**31 and 10**10 reach the lookups, which refuse them (``is_db_id``)."""

    regex = r"\d{1,10}"
