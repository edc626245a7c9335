"""Membership-fee pricing: a prepaid fee that buys a discount for the contract term.

Think of the railway card: pay 220 once for 50 % off every ticket for a year.

Client's side — the break-even volume, where the discount saved equals the fee:

    units  = F ÷ (p × d)        (F fee, p list price per unit, d discount as a fraction)
    spend  = F ÷ d              (the same point as list value bought)

Reference: F = 220, p = 0.24, d = 50 % → 220 ÷ (0.24 × 0.5) = 1,833.33 units.

Seller's side — with gross margin m (fraction of list), discount d, fee F and
the client's list spend S without the card, the seller's gross profit is S·m
without the card and S'·(m − d) + F with it. The card pays for the seller only
if the client's spend rises to at least

    S' = (S·m − F) ÷ (m − d)

and never when m ≤ d (every unit sold with the card loses margin). When the fee
alone covers today's profit (S·m ≤ F) any spend pays: the threshold is 0.

Money is Decimal in the deployment currency; percents are in percent; results
are rounded once at the end (units to 0.01, money with ``round_money``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from b2b_loyalty.domain.money import round_money

HUNDRED = Decimal(100)
ZERO = Decimal(0)
UNITS_QUANTUM = Decimal("0.01")


def _rate(discount_percent: Decimal) -> Decimal:
    if not ZERO < discount_percent <= HUNDRED:
        raise ValueError("the discount must be above 0 % and at most 100 %")
    return discount_percent / HUNDRED


def break_even_volume(fee: Decimal, unit_list_price: Decimal, discount_percent: Decimal) -> Decimal:
    """Units to buy for the discount to repay the fee: F ÷ (p × d), rounded to 0.01 unit.

    >>> break_even_volume(Decimal(220), Decimal("0.24"), Decimal(50))
    Decimal('1833.33')
    """
    if fee < 0:
        raise ValueError("a fee cannot be negative")
    if unit_list_price <= 0:
        raise ValueError("the list price must be above 0")
    units = fee / (unit_list_price * _rate(discount_percent))
    return units.quantize(UNITS_QUANTUM, rounding=ROUND_HALF_UP)


def break_even_spend(fee: Decimal, discount_percent: Decimal, currency: str = "EUR") -> Decimal:
    """List value to buy for the discount to repay the fee: F ÷ d, rounded as money."""
    if fee < 0:
        raise ValueError("a fee cannot be negative")
    return round_money(fee / _rate(discount_percent), currency)


@dataclass(frozen=True, slots=True)
class SellerBreakEven:
    """When the card pays for the seller.

    ``required_spend``: the client's list spend S' from which the seller earns at
    least as much gross profit as without the card (None when it never pays);
    ``uplift_percent``: S' ÷ S − 1 in percent (None when S is 0 or it never pays).
    """

    spend_without: Decimal
    margin_percent: Decimal
    discount_percent: Decimal
    fee: Decimal
    required_spend: Decimal | None
    uplift_percent: Decimal | None

    @property
    def never_pays(self) -> bool:
        return self.required_spend is None


def seller_break_even(
    spend_without: Decimal,
    margin_percent: Decimal,
    discount_percent: Decimal,
    fee: Decimal,
    currency: str = "EUR",
) -> SellerBreakEven:
    """S' = (S·m − F) ÷ (m − d), at least 0; never pays when m ≤ d (see the module doc)."""
    if fee < 0 or spend_without < 0:
        raise ValueError("a fee or a spend cannot be negative")
    m = margin_percent / HUNDRED
    d = discount_percent / HUNDRED
    if m <= d:
        return SellerBreakEven(spend_without, margin_percent, discount_percent, fee, None, None)
    required = max((spend_without * m - fee) / (m - d), ZERO)
    uplift = (
        ((required / spend_without - 1) * HUNDRED).quantize(UNITS_QUANTUM, ROUND_HALF_UP)
        if spend_without > 0
        else None
    )
    return SellerBreakEven(
        spend_without,
        margin_percent,
        discount_percent,
        fee,
        round_money(required, currency),
        uplift,
    )
