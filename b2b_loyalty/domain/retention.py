"""Keeping clients: retention rate, churn, net revenue retention, repeat purchases.

DOMAIN.md: retention rate (CRR) = (clients at period end − new clients in the
period) ÷ clients at period start × 100; churn rate = clients lost ÷ clients at
start. The functions take plain sets of client ids and maps of revenue, so a
service can fill them from whatever queries it likes, and every result carries
the counts it was computed from. Percentages are 0.01, ``None`` when the
denominator is 0 (see :mod:`b2b_loyalty.domain.ratios`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal

from b2b_loyalty.domain.money import ZERO
from b2b_loyalty.domain.ratios import percent


@dataclass(frozen=True)
class RetentionRate:
    """CRR with its inputs.

    ``retained_clients`` is the numerator: clients at end that are not new.
    ``new_clients`` counts every new client of the period; only those still
    present at the end are subtracted (``new_clients_lost_in_period`` were never
    in the end count, see :func:`retention_rate`). ``returning_clients`` are in
    the end count but neither new nor present at the start (reactivated); the
    formula counts them as retained, which is the only way CRR exceeds 100 %.
    """

    value: Decimal | None
    clients_at_start: int
    clients_at_end: int
    new_clients: int
    retained_clients: int
    new_clients_lost_in_period: int
    returning_clients: int
    formula: str = "(clients at end − new clients) ÷ clients at start × 100"


@dataclass(frozen=True)
class ChurnRate:
    """Churn with its inputs; ``lost_not_at_start`` were ignored (see :func:`churn_rate`)."""

    value: Decimal | None
    clients_at_start: int
    clients_lost: int
    lost_not_at_start: int
    formula: str = "clients lost ÷ clients at start × 100"


@dataclass(frozen=True)
class NetRevenueRetention:
    """NRR with its inputs; ``clients_counted`` had positive revenue last period."""

    value: Decimal | None
    clients_counted: int
    revenue_last_period: Decimal
    revenue_this_period: Decimal
    clients_still_buying: int
    formula: str = (
        "revenue this period from clients active last period ÷ their revenue last period × 100"
    )


@dataclass(frozen=True)
class RepeatPurchaseRate:
    value: Decimal | None
    clients_with_orders: int
    clients_with_repeat_orders: int
    formula: str = "clients with ≥ 2 orders ÷ clients with ≥ 1 order × 100"


def retention_rate(
    clients_at_start: AbstractSet[Hashable],
    clients_at_end: AbstractSet[Hashable],
    new_clients: AbstractSet[Hashable],
) -> RetentionRate:
    """Customer retention rate (CRR) in percent (0.01).

    Formula: ``(clients at end − new clients in the period) ÷ clients at start × 100``.

    Taken on sets, ``clients at end − new clients`` is the set difference: a
    new client who already left before the end was never in the end count, so
    subtracting them again would wrongly charge a loss to the starting base.
    When every new client is still there at the end this equals the count
    formula exactly. ``None`` when there were no clients at the start.
    Raises ``ValueError`` if a client is both at the start and new.
    """
    both = clients_at_start & new_clients
    if both:
        raise ValueError(
            f"{len(both)} client(s) are both present at the period start and new in the period: "
            f"{sorted(map(str, both))[:5]}"
        )
    retained = clients_at_end - new_clients
    return RetentionRate(
        value=percent(len(retained), len(clients_at_start)),
        clients_at_start=len(clients_at_start),
        clients_at_end=len(clients_at_end),
        new_clients=len(new_clients),
        retained_clients=len(retained),
        new_clients_lost_in_period=len(new_clients - clients_at_end),
        returning_clients=len(retained - clients_at_start),
    )


def churn_rate(
    clients_at_start: AbstractSet[Hashable], clients_lost: AbstractSet[Hashable]
) -> ChurnRate:
    """Churn rate in percent (0.01): ``clients lost ÷ clients at start × 100``.

    Only losses among the clients present at the start are counted: a client
    won and lost within the same period was never in the denominator, so
    counting them could push churn above 100 %. They are reported as
    ``lost_not_at_start``. ``None`` when there were no clients at the start.
    """
    lost = clients_lost & clients_at_start
    return ChurnRate(
        value=percent(len(lost), len(clients_at_start)),
        clients_at_start=len(clients_at_start),
        clients_lost=len(lost),
        lost_not_at_start=len(clients_lost - clients_at_start),
    )


def lost_clients(
    clients_at_start: AbstractSet[Hashable], clients_at_end: AbstractSet[Hashable]
) -> frozenset[Hashable]:
    """Clients present at the start and gone at the end (``start − end``)."""
    return frozenset(clients_at_start - clients_at_end)


def net_revenue_retention(
    revenue_last_period: Mapping[Hashable, Decimal],
    revenue_this_period: Mapping[Hashable, Decimal],
) -> NetRevenueRetention:
    """Net revenue retention (NRR) in percent (0.01).

    Formula: ``revenue this period from clients active last period ÷ their
    revenue last period × 100``. A client is *active last period* when their
    net revenue then was above 0; new clients' revenue this period is left
    out, so NRR measures growth and loss within the existing base (it exceeds
    100 % when that base buys more). Money amounts are net revenue in one
    currency. ``None`` when no client had revenue last period.
    """
    active = {client for client, amount in revenue_last_period.items() if amount > 0}
    before = sum((revenue_last_period[c] for c in active), ZERO)
    now = sum((revenue_this_period.get(c, ZERO) for c in active), ZERO)
    still_buying = sum(1 for c in active if revenue_this_period.get(c, ZERO) > 0)
    return NetRevenueRetention(
        value=percent(now, before),
        clients_counted=len(active),
        revenue_last_period=before,
        revenue_this_period=now,
        clients_still_buying=still_buying,
    )


def repeat_purchase_rate(order_counts: Mapping[Hashable, int]) -> RepeatPurchaseRate:
    """Repeat purchase rate in percent (0.01).

    Formula: ``clients with ≥ 2 orders ÷ clients with ≥ 1 order × 100``, from
    each client's order count in the period (clients with 0 orders may be in
    the map; they are in neither count). ``None`` when nobody ordered.
    Raises ``ValueError`` on a negative count.
    """
    negative = [c for c, n in order_counts.items() if n < 0]
    if negative:
        raise ValueError(
            f"order counts cannot be negative (clients {sorted(map(str, negative))[:5]})"
        )
    buyers = sum(1 for n in order_counts.values() if n >= 1)
    repeaters = sum(1 for n in order_counts.values() if n >= 2)
    return RepeatPurchaseRate(
        value=percent(repeaters, buyers),
        clients_with_orders=buyers,
        clients_with_repeat_orders=repeaters,
    )
