"""The orders and discounts of a review period: every order, the tier breakdown, and what
the discounts cost in margin.

Amounts are the orders' stored amounts (never recomputed); the tier breakdown
adds up the pricing records stored with each priced order (``OrderPricing``),
so it explains exactly the discount each order got. Orders entered by hand
carry their discount without tiers and are shown as such.

- discount given = Σ order discount (volume tiers + plugin adjustments + by hand);
- tier reached = the highest tier rate any order's volume reached in the period;
- margin given away = discount ÷ gross profit before discount × 100, over the
  orders whose unit cost is known (``domain.margin_impact``); gross profit
  before discount = list − quantity × unit cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from b2b_loyalty.domain.discount_schedule import Basis, Scope
from b2b_loyalty.domain.margin_impact import MarginImpact, margin_impact
from b2b_loyalty.domain.money import round_money
from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.models import Order
from b2b_loyalty.queries import pricing as pricing_queries
from plugins.account_review.domain.tier_progress import TierProgress, tier_progress

ZERO = Decimal(0)
# Shares of list (fractions) to 0.0001 %: exact enough, never a 28-digit Decimal.
SHARE_QUANTUM = Decimal("0.000001")


@dataclass(frozen=True)
class OrderLine:
    """One order as the review lists it; ``discount_share`` is a fraction of list."""

    order_id: int
    order_date: date
    external_ref: str | None
    category: str
    quantity: Decimal
    unit_price: Decimal
    list_amount: Decimal
    discount_amount: Decimal
    net_amount: Decimal
    unit_cost: Decimal | None
    discount_share: Decimal | None
    schedule: str  # "Lamps annual v2", or "" for an order entered by hand
    tier_percent: Decimal | None  # highest tier rate its volume reached


@dataclass
class TierRow:
    """One tier of one schedule version, summed over the period's orders."""

    schedule: str
    basis: str
    tier_from: Decimal
    tier_to: Decimal | None
    percent: Decimal
    volume: Decimal = ZERO
    list_amount: Decimal = ZERO
    discount: Decimal = ZERO
    net_amount: Decimal = ZERO
    orders: int = 0


@dataclass
class AdjustmentRow:
    """A price adjustment after the volume discount (tenure, ...), summed over orders."""

    label: str
    amount: Decimal = ZERO
    orders: int = 0


@dataclass(frozen=True)
class DiscountSummary:
    orders: int
    list_total: Decimal
    discount_total: Decimal
    net_total: Decimal
    volume_discount: Decimal
    adjustments: Decimal
    by_hand: Decimal
    highest_tier: Decimal | None  # percent
    highest_tier_schedule: str
    margin: MarginImpact | None  # over orders with a known unit cost
    cost_known_orders: int

    @property
    def discount_share(self) -> Decimal | None:
        """Discount ÷ list (fraction), None without list value."""
        return (self.discount_total / self.list_total) if self.list_total else None

    @property
    def margin_given_away(self) -> Decimal | None:
        """Share of gross profit given away by discounts, percent (0.01)."""
        return self.margin.share_of_profit_given_away if self.margin else None


@dataclass(frozen=True)
class ScheduleProgress:
    """Where the account stands in one schedule at the end of the period."""

    category: str
    schedule: str
    basis: str
    scope: str
    tiers: tuple[tuple[Decimal, Decimal], ...]
    progress: TierProgress
    counted_from: date | None  # first day counted (cumulative); None: the largest order


@dataclass
class OrdersAndDiscounts:
    orders: list[OrderLine]
    tiers: list[TierRow]
    adjustments: list[AdjustmentRow]
    summary: DiscountSummary
    previous_summary: DiscountSummary
    progress: list[ScheduleProgress] = field(default_factory=list)


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def _schedule_label(record: dict) -> str:
    schedule = record.get("schedule")
    return f"{schedule['name']} v{schedule['version']}" if schedule else ""


def _reached(record: dict) -> Decimal | None:
    rates = [_dec(line["percent"]) for line in record.get("lines", []) if _dec(line["volume"]) > 0]
    return max(rates) if rates else None


def order_line(order: Order) -> OrderLine:
    record = order.pricing.breakdown if order.pricing is not None else {}
    return OrderLine(
        order_id=order.id,
        order_date=order.order_date,
        external_ref=order.external_ref,
        category=order.category.name,
        quantity=order.quantity,
        unit_price=order.unit_price,
        list_amount=order.list_amount,
        discount_amount=order.discount_amount,
        net_amount=order.net_amount,
        unit_cost=order.unit_cost,
        discount_share=(order.discount_amount / order.list_amount).quantize(SHARE_QUANTUM)
        if order.list_amount
        else None,
        schedule=_schedule_label(record) if record.get("schedule") else "",
        tier_percent=_reached(record) if record.get("schedule") else None,
    )


def summarise(orders: Iterable[Order], currency: str) -> DiscountSummary:
    """Totals, discounts by origin, highest tier and margin given away of ``orders``."""
    orders = list(orders)
    volume = adjustments = by_hand = ZERO
    known_list = known_discount = known_cost = ZERO
    known = 0
    highest: tuple[Decimal, str] | None = None
    for order in orders:
        record = order.pricing.breakdown if order.pricing is not None else None
        if record and record.get("schedule"):
            volume += _dec(record["volume_discount_total"])
            adjustments += sum((_dec(a["amount"]) for a in record.get("adjustments", [])), ZERO)
            reached = _reached(record)
            if reached is not None and (highest is None or reached > highest[0]):
                highest = (reached, _schedule_label(record))
        elif record:
            adjustments += sum((_dec(a["amount"]) for a in record.get("adjustments", [])), ZERO)
        else:
            by_hand += order.discount_amount
        if order.unit_cost is not None:
            known += 1
            known_list += order.list_amount
            known_discount += order.discount_amount
            known_cost += order.quantity * order.unit_cost
    list_total = sum((o.list_amount for o in orders), ZERO)
    discount_total = sum((o.discount_amount for o in orders), ZERO)
    margin = (
        margin_impact(
            known_list,
            known_discount,
            unit_cost_total=round_money(known_cost, currency),
            currency=currency,
        )
        if known and known_list
        else None
    )
    return DiscountSummary(
        orders=len(orders),
        list_total=list_total,
        discount_total=discount_total,
        net_total=sum((o.net_amount for o in orders), ZERO),
        volume_discount=volume,
        adjustments=adjustments,
        by_hand=by_hand,
        highest_tier=highest[0] if highest else None,
        highest_tier_schedule=highest[1] if highest else "",
        margin=margin,
        cost_known_orders=known,
    )


def tier_breakdown(orders: Iterable[Order]) -> tuple[list[TierRow], list[AdjustmentRow]]:
    """Volume, list, discount and net per (schedule version, tier), and adjustments by label."""
    tiers: dict[tuple, TierRow] = {}
    adjustments: dict[str, AdjustmentRow] = {}
    for order in orders:
        record = order.pricing.breakdown if order.pricing is not None else None
        if not record:
            continue
        label = _schedule_label(record)
        if record.get("schedule"):
            basis = record["schedule"]["basis"]
            for line in record.get("lines", []):
                if _dec(line["volume"]) <= 0:
                    continue
                key = (label, line["from"], line["to"], line["percent"])
                row = tiers.get(key)
                if row is None:
                    row = tiers[key] = TierRow(
                        schedule=label,
                        basis=basis,
                        tier_from=_dec(line["from"]),
                        tier_to=None if line["to"] is None else _dec(line["to"]),
                        percent=_dec(line["percent"]),
                    )
                row.volume += _dec(line["volume"])
                row.list_amount += _dec(line["list"])
                row.discount += _dec(line["discount"])
                row.net_amount += _dec(line["net"])
                row.orders += 1
        for adjustment in record.get("adjustments", []):
            row = adjustments.setdefault(adjustment["label"], AdjustmentRow(adjustment["label"]))
            row.amount += _dec(adjustment["amount"])
            row.orders += 1
    ordered = sorted(tiers.values(), key=lambda r: (r.schedule, r.tier_from))
    return ordered, sorted(adjustments.values(), key=lambda r: r.label)


def schedule_progress(
    account_id: int, orders: list[Order], period: Period
) -> list[ScheduleProgress]:
    """For each category bought in the period: the schedule in force at its end and the
    volume that counts towards its tiers (the year or rolling 12 months to date for a
    cumulative schedule, the largest order for a per-order one). 3 statements a category."""
    categories = {o.category_id: o.category for o in orders}
    result = []
    for category_id, category in sorted(categories.items(), key=lambda c: c[1].name):
        version, _source = pricing_queries.applicable_schedule(account_id, category_id, period.end)
        if version is None:
            continue
        value = version.as_value()
        if value.scope is Scope.PER_ORDER:
            measure = (
                (lambda o: o.quantity)
                if value.basis is Basis.QUANTITY
                else (lambda o: o.list_amount)
            )
            volume = max((measure(o) for o in orders if o.category_id == category_id), default=ZERO)
            counted_from = None
        else:
            volume = pricing_queries.prior_volume(
                account_id, category_id, value.basis, value.scope, period.end
            )
            counted_from = pricing_queries.period_start(value.scope, period.end)
        tiers = tuple((t.from_value, t.percent) for t in version.tiers)
        result.append(
            ScheduleProgress(
                category=category.name,
                schedule=f"{version.family.name} v{version.version}",
                basis=value.basis.value,
                scope=value.scope.value,
                tiers=tiers,
                progress=tier_progress(tiers, volume),
                counted_from=counted_from,
            )
        )
    return result


def orders_and_discounts(
    account_id: int, orders: list[Order], period: Period, previous: Period, currency: str
) -> OrdersAndDiscounts:
    """``orders`` span [previous.start, period.end]; split, listed and summed here."""
    now = [o for o in orders if period.start <= o.order_date <= period.end]
    before = [o for o in orders if previous.start <= o.order_date <= previous.end]
    tiers, adjustments = tier_breakdown(now)
    return OrdersAndDiscounts(
        orders=[order_line(o) for o in now],
        tiers=tiers,
        adjustments=adjustments,
        summary=summarise(now, currency),
        previous_summary=summarise(before, currency),
        progress=schedule_progress(account_id, now, period),
    )
