"""What a discount costs in gross profit, for Finance to see next to a schedule.

A discount comes off the margin, not off revenue: 5 % off a 9,000 sale that
earns 2,700 gross profit gives away 450, i.e. 16.67 % of that profit. And to
earn the same gross profit at the discounted price, volume must grow by
``m / (m − d) − 1`` (``m`` margin, ``d`` discount, both fractions of the list
price): at a 45 % margin a 10 % discount needs 28.57 % more volume.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from b2b_loyalty.domain.discount_schedule import ScheduleValidationError
from b2b_loyalty.domain.money import ZERO, round_money, to_decimal
from b2b_loyalty.domain.ratios import quantize_percent

_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class MarginImpact:
    """Gross profit before and after a discount, and what the discount costs.

    Money fields are in the currency of the inputs. Percent fields are in
    percent, rounded to 0.01 (ROUND_HALF_UP):

    * ``margin_percent`` — gross profit before ÷ list × 100 (None when list is 0);
    * ``discount_percent`` — discount ÷ list × 100 (None when list is 0);
    * ``share_of_profit_given_away`` — discount ÷ gross profit before × 100
      (None when gross profit before ≤ 0: there is no profit to give away);
    * ``required_volume_uplift`` — extra volume needed to keep the same gross
      profit, ``m / (m − d) − 1`` in percent (None when the discount eats the
      whole margin: no volume makes up for it).
    """

    list_total: Decimal
    discount_total: Decimal
    net_total: Decimal
    cost_total: Decimal
    gross_profit_before: Decimal
    gross_profit_after: Decimal
    discount_given_away: Decimal
    margin_percent: Decimal | None
    discount_percent: Decimal | None
    share_of_profit_given_away: Decimal | None
    required_volume_uplift: Decimal | None


def required_volume_uplift(
    margin_percent: Decimal | int | str, discount_percent: Decimal | int | str
) -> Decimal | None:
    """Volume growth (percent) that keeps gross profit unchanged after a discount.

    With margin ``m`` and discount ``d`` as fractions of the list price, profit
    per unit falls from ``m`` to ``m − d``, so volume must grow by
    ``m / (m − d) − 1``; returned in percent, rounded to 0.01 (ROUND_HALF_UP).
    ``None`` when ``m ≤ d``: each unit then earns nothing or loses money, and no
    volume restores the profit.

    >>> required_volume_uplift(45, 10)
    Decimal('28.57')
    """
    margin = to_decimal(margin_percent)
    discount = to_decimal(discount_percent)
    if margin <= discount:
        return None
    # m/(m−d) − 1 = d/(m−d); the percent scaling cancels, so percents go in as-is.
    return quantize_percent(discount * _HUNDRED / (margin - discount))


def margin_impact(
    list_total: Decimal | int | str,
    discount_total: Decimal | int | str,
    *,
    unit_cost_total: Decimal | int | str | None = None,
    margin_percent: Decimal | int | str | None = None,
    currency: str = "EUR",
) -> MarginImpact:
    """Gross profit before/after a discount of ``discount_total`` on ``list_total``.

    Give the cost either directly (``unit_cost_total``: the total cost of the
    goods, money) or as the margin on list price (``margin_percent``, percent:
    cost = list × (1 − margin ÷ 100), rounded with ``round_money``).
    Gross profit before = list − cost; after = (list − discount) − cost.
    Raises ``ScheduleValidationError`` when inputs are missing, negative, or
    the discount exceeds the list value.
    """
    errors: dict[str, list[str]] = {}
    list_value = _number(list_total, "list_total", errors)
    discount = _number(discount_total, "discount_total", errors)
    if (unit_cost_total is None) == (margin_percent is None):
        errors.setdefault("unit_cost_total", []).append(
            "give either unit_cost_total or margin_percent (exactly one)"
        )
        cost = None
    elif unit_cost_total is not None:
        cost = _number(unit_cost_total, "unit_cost_total", errors)
    else:
        margin = _number(margin_percent, "margin_percent", errors)
        if margin is not None and margin > _HUNDRED:
            errors.setdefault("margin_percent", []).append(
                f"must be at most 100 percent (got {margin})"
            )
        cost = None
        if list_value is not None and margin is not None and margin <= _HUNDRED:
            cost = round_money(list_value * (_HUNDRED - margin) / _HUNDRED, currency)
    if list_value is not None and discount is not None and discount > list_value:
        errors.setdefault("discount_total", []).append(
            f"must not exceed the list total ({list_value}); got {discount}"
        )
    if errors:
        raise ScheduleValidationError(errors)
    assert list_value is not None and discount is not None and cost is not None

    profit_before = list_value - cost
    profit_after = list_value - discount - cost
    if list_value:
        margin_pct = quantize_percent(profit_before * _HUNDRED / list_value)
        discount_pct = quantize_percent(discount * _HUNDRED / list_value)
        # m/(m−d) is scale-free, so the exact money amounts stand in for the
        # percents: no rounded percent feeds another figure.
        uplift = required_volume_uplift(profit_before, discount)
    else:
        margin_pct = discount_pct = uplift = None
    share = quantize_percent(discount * _HUNDRED / profit_before) if profit_before > ZERO else None
    return MarginImpact(
        list_total=list_value,
        discount_total=discount,
        net_total=list_value - discount,
        cost_total=cost,
        gross_profit_before=profit_before,
        gross_profit_after=profit_after,
        discount_given_away=discount,
        margin_percent=margin_pct,
        discount_percent=discount_pct,
        share_of_profit_given_away=share,
        required_volume_uplift=uplift,
    )


def _number(value: object, path: str, errors: dict[str, list[str]]) -> Decimal | None:
    """Parse a non-negative number, recording a readable error under ``path``."""
    try:
        result = to_decimal(value)
    except ValueError as exc:
        errors.setdefault(path, []).append(str(exc))
        return None
    if result < ZERO:
        errors.setdefault(path, []).append(f"must not be negative (got {result})")
        return None
    return result
