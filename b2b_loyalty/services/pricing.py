"""Quoting a client and saving a quote as an order, with every line explained.

A quote finds the schedule in force for the account and category, the volume
the account already bought in the schedule's period, prices the order with the
pure engine (``domain.price_breakdown``), then lets plugins add price
adjustments (tenure, ...) in stage order. Saving recomputes the quote inside
the transaction — never trusting numbers sent by the browser — and stores the
schedule version, prior volume and lines with the order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask import current_app

from b2b_loyalty.domain.discount_schedule import (
    Basis,
    DiscountSchedule,
    Mode,
    ScheduleValidationError,
    Scope,
)
from b2b_loyalty.domain.money import round_money
from b2b_loyalty.domain.price_breakdown import PriceBreakdown, price_breakdown
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Order, OrderPricing, ProductCategory, ScheduleVersion, User
from b2b_loyalty.plugin_api import PriceAdjustment, QuoteContext
from b2b_loyalty.plugin_host import plugin_host
from b2b_loyalty.queries import pricing as pricing_queries
from b2b_loyalty.services.errors import ValidationFailed
from b2b_loyalty.services.order_stats import refresh_order_stats
from b2b_loyalty.services.orders import check_order_size
from b2b_loyalty.services.permissions import require_account_editor
from b2b_loyalty.services.transaction import unit_of_work

# Used when no schedule applies: one tier at 0 %, so the quote still explains itself.
_LIST_PRICE_ONLY = DiscountSchedule(
    basis=Basis.QUANTITY, mode=Mode.INCREMENTAL, tiers=({"from": "0", "percent": "0"},)
)


@dataclass
class AppliedAdjustment:
    adjustment: PriceAdjustment
    amount: Decimal


@dataclass
class Quote:
    account_id: int
    category: ProductCategory
    on: date
    quantity: Decimal
    unit_price: Decimal
    schedule: ScheduleVersion | None
    schedule_source: str
    breakdown: PriceBreakdown
    adjustments: list[AppliedAdjustment] = field(default_factory=list)

    @property
    def discount_total(self) -> Decimal:
        return self.breakdown.discount_total + sum((a.amount for a in self.adjustments), Decimal(0))

    @property
    def net_total(self) -> Decimal:
        return self.breakdown.list_total - self.discount_total


def _adjustments(quote: Quote, currency: str) -> list[AppliedAdjustment]:
    context = QuoteContext(
        account_id=quote.account_id,
        category_id=quote.category.id,
        quantity=quote.quantity,
        list_total=quote.breakdown.list_total,
        volume_discount_percent=quote.breakdown.effective_percent,
        volume_discount_total=quote.breakdown.discount_total,
        currency=currency,
        as_of=quote.on,
    )
    applied = []
    remaining = quote.breakdown.net_total
    for adjustment in plugin_host().call_sorted(
        "price_adjustments", key=lambda a: a.stage, quote=context
    ):
        # A percent of the list price, never more than what is left to discount, and
        # a negative one (a cap taking back part of the volume discount) never
        # takes back more than was discounted.
        amount = max(
            min(
                round_money(quote.breakdown.list_total * adjustment.percent / 100, currency),
                remaining,
            ),
            remaining - quote.breakdown.list_total,
        )
        remaining -= amount
        applied.append(AppliedAdjustment(adjustment=adjustment, amount=amount))
    return applied


def quote(
    account: Account,
    category: ProductCategory,
    quantity: Decimal,
    unit_price: Decimal,
    on: date | None = None,
) -> Quote:
    """Price ``quantity`` × ``unit_price`` of ``category`` for ``account`` on ``on`` (today)."""
    on = on or date.today()
    currency = current_app.config["BASE_CURRENCY"]
    schedule, source = pricing_queries.applicable_schedule(account.id, category.id, on)
    value = schedule.as_value() if schedule is not None else _LIST_PRICE_ONLY
    prior = pricing_queries.prior_volume(account.id, category.id, value.basis, value.scope, on)
    try:
        if value.basis is Basis.QUANTITY:
            breakdown = price_breakdown(
                value, quantity=quantity, unit_price=unit_price, prior_volume=prior
            )
        else:
            breakdown = price_breakdown(value, amount=quantity * unit_price, prior_volume=prior)
    except ScheduleValidationError as exc:
        raise ValidationFailed("The quote has errors.", exc.field_errors) from None
    result = Quote(account.id, category, on, quantity, unit_price, schedule, source, breakdown)
    result.adjustments = _adjustments(result, currency)
    return result


def breakdown_record(q: Quote) -> dict[str, Any]:
    """The quote as plain JSON (Decimals as strings): stored with orders and sent by the API."""
    b = q.breakdown
    s = str
    return {
        "schedule": None
        if q.schedule is None
        else {
            "id": q.schedule.id,
            "name": q.schedule.family.name,
            "version": q.schedule.version,
            "basis": q.schedule.basis,
            "mode": q.schedule.mode,
            "scope": q.schedule.scope,
        },
        "schedule_source": q.schedule_source,
        "date": q.on.isoformat(),
        "category": q.category.name,
        "quantity": s(q.quantity),
        "unit_price": s(q.unit_price),
        "prior_volume": s(b.prior_volume),
        "lines": [
            {
                "from": s(line.from_),
                "to": None if line.to is None else s(line.to),
                "volume": s(line.volume),
                "percent": s(line.percent),
                "list": s(line.list),
                "discount": s(line.discount),
                "net": s(line.net),
            }
            for line in b.lines
        ],
        "list_total": s(b.list_total),
        "volume_discount_total": s(b.discount_total),
        "effective_percent": s(b.effective_percent),
        "next_tier": None
        if b.next_tier is None
        else {
            "volume_needed": s(b.next_tier.volume_needed),
            "percent": s(b.next_tier.percent),
            "from": s(b.next_tier.from_),
        },
        "adjustments": [
            {
                "stage": a.adjustment.stage,
                "key": a.adjustment.key,
                "label": a.adjustment.label,
                "percent": s(a.adjustment.percent),
                "amount": s(a.amount),
                "explanation": a.adjustment.explanation,
            }
            for a in q.adjustments
        ],
        "discount_total": s(q.discount_total),
        "net_total": s(q.net_total),
    }


def save_quote_as_order(
    actor: User,
    account: Account,
    category: ProductCategory,
    quantity: Decimal,
    unit_price: Decimal,
    on: date | None = None,
    unit_cost: Decimal | None = None,
) -> Order:
    """Price again inside the transaction and store the order with its pricing record.

    The account's pricing lock is taken before the prior volume is read and held
    until the order is committed, so orders saved at the same moment are priced
    one after the other, each on a prior volume that includes the ones before.
    """
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        pricing_queries.lock_account_for_pricing(account.id)
        q = quote(account, category, quantity, unit_price, on)
        check_order_size(q.breakdown.list_total)
        order = Order(
            account_id=account.id,
            order_date=q.on,
            category_id=category.id,
            quantity=quantity,
            unit_price=unit_price,
            list_amount=q.breakdown.list_total,
            discount_amount=q.discount_total,
            net_amount=q.net_total,
            unit_cost=unit_cost,
            currency=current_app.config["BASE_CURRENCY"],
        )
        order.pricing = OrderPricing(
            account_id=account.id,
            schedule_id=q.schedule.id if q.schedule else None,
            prior_volume=q.breakdown.prior_volume,
            breakdown=breakdown_record(q),
        )
        db.session.add(order)
        db.session.flush()
        refresh_order_stats([account.id])
    return order


__all__ = ["Quote", "Scope", "breakdown_record", "quote", "save_quote_as_order"]
