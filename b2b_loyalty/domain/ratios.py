"""Percentages: the one rounding rule for every ratio a report shows.

A percentage is a ``Decimal`` quantized to 0.01 with ROUND_HALF_UP, computed
from the exact numerator and denominator (never from already-rounded shares),
so the same counts always give the same figure wherever it is shown. A ratio
whose denominator is zero has no value: it is ``None``, never 0 % and never a
division error, because "no clients at the start" is not "0 % retention".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PERCENT_QUANTUM = Decimal("0.01")
HUNDRED = Decimal(100)


def quantize_percent(value: Decimal) -> Decimal:
    """Round a percentage (or percentage points) to 0.01 with ROUND_HALF_UP."""
    return value.quantize(PERCENT_QUANTUM, rounding=ROUND_HALF_UP)


def percent(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """``numerator ÷ denominator × 100`` in percent, rounded to 0.01 (ROUND_HALF_UP).

    Units: the result is in percent (``Decimal('25.00')`` means 25 %).
    Returns ``None`` when ``denominator`` is 0: the ratio is undefined.

    >>> percent(1, 3)
    Decimal('33.33')
    >>> percent(5, 0) is None
    True
    """
    if not denominator:
        return None
    # int × Decimal is exact; Decimal(x) only for two ints (int ÷ int would be a float).
    if type(numerator) is int and type(denominator) is int:
        numerator = Decimal(numerator)
    return (numerator * HUNDRED / denominator).quantize(PERCENT_QUANTUM, rounding=ROUND_HALF_UP)


def ratio(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """``numerator ÷ denominator`` as a plain ratio (not ×100), rounded like a
    percentage: to 0.01 with ROUND_HALF_UP. ``None`` when ``denominator`` is 0.

    For figures such as orders per buying client or days since the last order in
    purchase cycles.

    >>> ratio(13, 8)
    Decimal('1.63')
    """
    if not denominator:
        return None
    if type(numerator) is int and type(denominator) is int:
        numerator = Decimal(numerator)
    return (numerator / denominator).quantize(PERCENT_QUANTUM, rounding=ROUND_HALF_UP)


def change_in_points(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """``current − previous`` for two percentages, in percentage points (0.01).

    ``None`` when either side is unknown: a change from or to "unknown" is not 0.
    """
    if current is None or previous is None:
        return None
    return quantize_percent(current - previous)
