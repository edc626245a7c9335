"""Order measures: average order value, purchase frequency, cross-sell, growth.

Everything is computed from a flat list of :class:`OrderFact` — one row per
order and product category — that a service builds from its queries. Each
function takes the period it reports on and filters the facts itself, so the
result can say which period and which counts it stands on.

Counting orders: facts that share an ``order_id`` (per account) are one order,
since one order can span several categories; a fact without an ``order_id`` is
an order of its own.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from b2b_loyalty.domain.money import ZERO, round_money
from b2b_loyalty.domain.ratios import percent, ratio


@dataclass(frozen=True)
class OrderFact:
    """Net amount of one order in one product category.

    ``net_amount`` is after discounts, in the report's currency; ``gross_margin``
    is net amount minus cost, ``None`` where cost is unknown.
    """

    account_id: Hashable
    order_date: date
    category: str
    net_amount: Decimal
    gross_margin: Decimal | None = None
    order_id: Hashable | None = None


@dataclass(frozen=True)
class Period:
    """A reporting period; both ``start`` and ``end`` dates are included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


@dataclass(frozen=True)
class AverageOrderValue:
    period: Period
    value: Decimal | None  # money; None when there were no orders
    net_revenue: Decimal
    orders: int
    formula: str = "net revenue ÷ number of orders"


@dataclass(frozen=True)
class PurchaseFrequency:
    period: Period
    value: Decimal | None  # orders per client, 0.01
    orders: int
    clients: int
    formula: str = "number of orders ÷ number of clients"


@dataclass(frozen=True)
class CrossSellBreadth:
    account_id: Hashable
    period: Period
    value: int  # number of distinct categories bought
    categories: tuple[str, ...]  # sorted
    formula: str = "number of distinct product categories bought"


@dataclass(frozen=True)
class AverageCrossSellBreadth:
    period: Period
    value: Decimal | None  # categories per account, 0.01
    accounts: int
    category_purchases: int  # sum over accounts of distinct categories
    formula: str = "Σ distinct categories per account ÷ number of accounts"


@dataclass(frozen=True)
class RevenueGrowth:
    current_period: Period
    previous_period: Period
    value: Decimal | None  # percent, 0.01
    current_revenue: Decimal
    previous_revenue: Decimal
    note: str
    formula: str = "(current revenue − previous revenue) ÷ previous revenue × 100"


@dataclass(frozen=True)
class GrossMargin:
    period: Period
    value: Decimal  # sum of the known margins, money
    facts_counted: int
    facts_without_margin: int
    formula: str = "Σ gross margin of the order lines with a known margin"


def _in_period(facts: Iterable[OrderFact], period: Period) -> list[OrderFact]:
    return [f for f in facts if f.order_date in period]


def _order_keys(facts: Iterable[OrderFact]) -> set[tuple[object, ...]]:
    keys: set[tuple[object, ...]] = set()
    for index, fact in enumerate(facts):
        if fact.order_id is None:
            keys.add(("line", index))
        else:
            keys.add(("order", fact.account_id, fact.order_id))
    return keys


def net_revenue(facts: Iterable[OrderFact], period: Period) -> Decimal:
    """Σ net amount of the facts dated within ``period`` (money)."""
    return sum((f.net_amount for f in _in_period(facts, period)), ZERO)


def order_count(facts: Iterable[OrderFact], period: Period) -> int:
    """Number of distinct orders within ``period`` (see the module docstring)."""
    return len(_order_keys(_in_period(facts, period)))


def average_order_value(
    facts: Iterable[OrderFact], period: Period, currency: str = "EUR"
) -> AverageOrderValue:
    """Average order value (AOV) = ``net revenue ÷ number of orders`` in the period.

    Units: money of ``currency``, rounded with :func:`round_money`. ``None``
    when there were no orders in the period.
    """
    in_period = _in_period(facts, period)
    revenue = sum((f.net_amount for f in in_period), ZERO)
    orders = len(_order_keys(in_period))
    value = None if orders == 0 else round_money(revenue / orders, currency)
    return AverageOrderValue(period=period, value=value, net_revenue=revenue, orders=orders)


def purchase_frequency(
    facts: Iterable[OrderFact], period: Period, clients: AbstractSet[Hashable] | None = None
) -> PurchaseFrequency:
    """Purchase frequency = ``number of orders ÷ number of clients`` in the period.

    Units: orders per client per period, 0.01. By default the clients are those
    who ordered in the period; pass ``clients`` (e.g. a whole programme group)
    to spread the orders over a fixed base, so clients who bought nothing pull
    the figure down — that is the fair comparison between groups. Orders from
    accounts outside a given ``clients`` set are not counted.
    """
    in_period = _in_period(facts, period)
    if clients is not None:
        in_period = [f for f in in_period if f.account_id in clients]
        base = len(clients)
    else:
        base = len({f.account_id for f in in_period})
    orders = len(_order_keys(in_period))
    return PurchaseFrequency(period=period, value=ratio(orders, base), orders=orders, clients=base)


def cross_sell_breadth(
    facts: Iterable[OrderFact], period: Period, account_id: Hashable
) -> CrossSellBreadth:
    """Cross-sell breadth of one account = number of distinct categories bought in the period.

    Units: a count of categories. Lines with a zero or negative net amount
    (returns, credit notes) do not count as buying a category.
    """
    categories = sorted(
        {
            f.category
            for f in _in_period(facts, period)
            if f.account_id == account_id and f.net_amount > 0
        }
    )
    return CrossSellBreadth(
        account_id=account_id, period=period, value=len(categories), categories=tuple(categories)
    )


def cross_sell_breadth_by_account(
    facts: Iterable[OrderFact], period: Period
) -> dict[Hashable, CrossSellBreadth]:
    """:func:`cross_sell_breadth` for every account that bought in the period."""
    bought: dict[Hashable, set[str]] = {}
    for fact in _in_period(facts, period):
        if fact.net_amount > 0:
            bought.setdefault(fact.account_id, set()).add(fact.category)
    return {
        account: CrossSellBreadth(
            account_id=account,
            period=period,
            value=len(categories),
            categories=tuple(sorted(categories)),
        )
        for account, categories in bought.items()
    }


def average_cross_sell_breadth(
    facts: Iterable[OrderFact], period: Period, accounts: AbstractSet[Hashable] | None = None
) -> AverageCrossSellBreadth:
    """Average cross-sell breadth = ``Σ distinct categories per account ÷ number of accounts``.

    Units: categories per account, 0.01. Like :func:`purchase_frequency`, the
    accounts are those that bought unless a fixed group is given (accounts in
    the group that bought nothing count with 0 categories).
    """
    by_account = cross_sell_breadth_by_account(facts, period)
    if accounts is None:
        accounts = frozenset(by_account)
    total = sum(by_account[a].value for a in accounts if a in by_account)
    return AverageCrossSellBreadth(
        period=period,
        value=ratio(total, len(accounts)),
        accounts=len(accounts),
        category_purchases=total,
    )


def revenue_growth(facts: Iterable[OrderFact], current: Period, previous: Period) -> RevenueGrowth:
    """Revenue growth in percent (0.01) between two periods.

    Formula: ``(current net revenue − previous net revenue) ÷ previous net revenue × 100``.
    ``None`` when the previous revenue is 0 or negative (net of credit notes):
    growth from nothing, or from a loss, has no meaningful percentage.
    """
    facts = list(facts)
    now = net_revenue(facts, current)
    before = net_revenue(facts, previous)
    if before <= 0:
        value, note = None, f"previous period revenue is {before}; growth undefined"
    else:
        value, note = percent(now - before, before), ""
    return RevenueGrowth(
        current_period=current,
        previous_period=previous,
        value=value,
        current_revenue=now,
        previous_revenue=before,
        note=note,
    )


def gross_margin(facts: Iterable[OrderFact], period: Period) -> GrossMargin:
    """Gross margin in the period = Σ ``gross_margin`` of the lines where it is known (money).

    Lines without a margin are counted in ``facts_without_margin`` rather than
    treated as 0, so a reader can see how complete the figure is.
    """
    in_period = _in_period(facts, period)
    known = [f.gross_margin for f in in_period if f.gross_margin is not None]
    return GrossMargin(
        period=period,
        value=sum(known, ZERO),
        facts_counted=len(known),
        facts_without_margin=len(in_period) - len(known),
    )


def net_revenue_by_account(facts: Iterable[OrderFact], period: Period) -> dict[Hashable, Decimal]:
    """Σ net amount per account within ``period`` (money) — input for ABC analysis."""
    totals: dict[Hashable, Decimal] = {}
    for fact in _in_period(facts, period):
        totals[fact.account_id] = totals.get(fact.account_id, ZERO) + fact.net_amount
    return totals


def gross_margin_by_account(facts: Iterable[OrderFact], period: Period) -> dict[Hashable, Decimal]:
    """Σ known gross margin per account within ``period`` (money) — input for ABC by profit.

    Accounts whose lines all lack a margin are left out rather than shown as 0.
    """
    totals: dict[Hashable, Decimal] = {}
    for fact in _in_period(facts, period):
        if fact.gross_margin is not None:
            totals[fact.account_id] = totals.get(fact.account_id, ZERO) + fact.gross_margin
    return totals
