"""Money: the one rounding rule of the whole product.

Amounts are ``Decimal`` everywhere (never float). A figure is rounded to the
currency's minor unit *once*, where it becomes a line the user sees (an order's
net amount, one line of a price breakdown), with ROUND_HALF_UP; totals are sums
of already-rounded lines, so a breakdown always adds up to its total to the cent.
Intermediate arithmetic keeps full Decimal precision.

Storage: ``Numeric`` columns. PostgreSQL keeps them exact; the embedded SQLite
keeps them as binary floats and SQLAlchemy turns them back into Decimals at the
column's scale, which is exact for amounts below about 10^13 — use PostgreSQL
for anything bigger, and never compare stored amounts for equality in SQL.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

# ISO 4217 minor units for the currencies that differ from the usual two.
_MINOR_UNITS: dict[str, int] = {
    "JPY": 0,
    "KRW": 0,
    "ISK": 0,
    "CLP": 0,
    "VND": 0,
    "BHD": 3,
    "KWD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
}

ZERO = Decimal("0")
# The largest amount or quantity accepted as input: products of two such values
# still fit in Decimal's default 28 significant digits after rounding to cents.
MAX_INPUT_NUMBER = Decimal(10) ** 12
TOO_LARGE = "is too large: keep it below 1,000,000,000,000"
# The one rounding mode for money. Hot loops that cannot afford a call per line
# (the pricing engine) import this constant rather than repeating the mode.
MONEY_ROUNDING = ROUND_HALF_UP


@lru_cache(maxsize=64)
def minor_unit_exponent(currency: str = "EUR") -> Decimal:
    """Quantum for ``currency``: ``Decimal('0.01')`` for EUR, ``Decimal('1')`` for JPY."""
    digits = _MINOR_UNITS.get(currency.upper(), 2)
    return Decimal(1).scaleb(-digits)


def round_money(amount: Decimal, currency: str = "EUR") -> Decimal:
    """Round ``amount`` to the minor unit of ``currency`` with ROUND_HALF_UP.

    >>> round_money(Decimal("2.345"))
    Decimal('2.35')
    """
    return amount.quantize(minor_unit_exponent(currency), rounding=MONEY_ROUNDING)


# The scale of the money columns (Numeric(16, 2)).
STORED_SCALE = Decimal("0.01")


def stored_amount(value: object) -> Decimal:
    """An amount read back from the database (a column or a SUM of one) as a Decimal
    at the columns' scale; ``None`` (an empty SUM) is 0.

    Not a rounding: stored amounts already have cents. SQLite's driver can hand back
    a binary float (see the module doc), whose ``str`` is the shortest decimal that
    round-trips, i.e. the cents that were stored.
    """
    if value is None:
        return ZERO
    if type(value) is not Decimal:
        value = Decimal(str(value))
    return value.quantize(STORED_SCALE)


def to_decimal(value: object) -> Decimal:
    """Parse a user-supplied number into a Decimal, refusing floats and junk.

    Floats are refused because their binary value is not the number the user
    typed (0.1 + 0.2 != 0.3); callers pass strings, ints or Decimals.
    Raises ``ValueError`` with a readable message.
    """
    if isinstance(value, bool | float):
        raise ValueError("expected a decimal number as text or integer, not a float")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
    else:
        raise ValueError(f"{value!r} is not a number")
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    if abs(result) >= MAX_INPUT_NUMBER:
        raise ValueError(TOO_LARGE)
    return result
