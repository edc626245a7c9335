"""The stateless calculator behind ``POST /api/v1/pricing/preview`` and the schedule editor.

Takes raw input (JSON or form values), validates all of it at once with the
pricing engine's own rules, and returns the breakdown, margin impact and price
cliffs as plain JSON values (Decimals as strings).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from b2b_loyalty.domain.discount_schedule import (
    Basis,
    DiscountSchedule,
    ScheduleValidationError,
    parse_schedule,
)
from b2b_loyalty.domain.margin_impact import MarginImpact, margin_impact
from b2b_loyalty.domain.money import to_decimal
from b2b_loyalty.domain.price_breakdown import PriceBreakdown, price_breakdown
from b2b_loyalty.domain.price_cliffs import PriceCliff, find_price_cliffs
from b2b_loyalty.services.errors import ValidationFailed

KNOWN_FIELDS = frozenset(
    {
        "basis",
        "mode",
        "scope",
        "tiers",
        "quantity",
        "amount",
        "unit_price",
        "prior_volume",
        "unit_cost",
        "margin_percent",
        "currency",
    }
)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def breakdown_json(b: PriceBreakdown) -> dict[str, Any]:
    return {
        "basis": b.basis.value,
        "mode": b.mode.value,
        "prior_volume": _s(b.prior_volume),
        "volume": _s(b.volume),
        "list_total": _s(b.list_total),
        "discount_total": _s(b.discount_total),
        "net_total": _s(b.net_total),
        "effective_percent": _s(b.effective_percent),
        "lines": [
            {
                "from": _s(x.from_),
                "to": _s(x.to),
                "volume": _s(x.volume),
                "percent": _s(x.percent),
                "list": _s(x.list),
                "discount": _s(x.discount),
                "net": _s(x.net),
            }
            for x in b.lines
        ],
        "next_tier": None
        if b.next_tier is None
        else {
            "volume_needed": _s(b.next_tier.volume_needed),
            "percent": _s(b.next_tier.percent),
            "from": _s(b.next_tier.from_),
        },
    }


def margin_json(m: MarginImpact | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "cost_total": _s(m.cost_total),
        "gross_profit_before": _s(m.gross_profit_before),
        "gross_profit_after": _s(m.gross_profit_after),
        "discount_given_away": _s(m.discount_given_away),
        "margin_percent": _s(m.margin_percent),
        "discount_percent": _s(m.discount_percent),
        "share_of_profit_given_away": _s(m.share_of_profit_given_away),
        "required_volume_uplift": _s(m.required_volume_uplift),
    }


def cliff_json(c: PriceCliff) -> dict[str, Any]:
    return {
        "threshold": _s(c.threshold),
        "percent_before": _s(c.percent_before),
        "percent_at": _s(c.percent_at),
        "cliff_starts_at": _s(c.cliff_starts_at),
        "total_at_threshold": _s(c.total_at_threshold),
    }


def _required_number(
    body: dict[str, Any], key: str, errors: dict[str, list[str]]
) -> Decimal | None:
    try:
        value = to_decimal(body[key])
    except ValueError as exc:
        errors.setdefault(key, []).append(str(exc))
        return None
    if value < 0:
        errors.setdefault(key, []).append("must not be negative")
        return None
    return value


def preview(body: dict[str, Any], *, currency: str) -> dict[str, Any]:
    """Validate ``body`` and price it; ValidationFailed lists every field at fault."""
    errors: dict[str, list[str]] = {}
    for key in sorted(set(body) - KNOWN_FIELDS):
        errors[key] = ["Unknown field."]
    schedule: DiscountSchedule | None = None
    try:
        schedule = parse_schedule(
            basis=body.get("basis"),
            mode=body.get("mode"),
            tiers=body.get("tiers"),
            scope=body.get("scope")
            or (
                "cumulative_calendar_year"
                if body.get("prior_volume") not in (None, "", 0, "0")
                else "per_order"
            ),
            currency=body.get("currency") or currency,
        )
    except ScheduleValidationError as exc:
        errors.update(exc.field_errors)
    numbers = {}
    for key in ("quantity", "amount", "unit_price", "prior_volume", "unit_cost", "margin_percent"):
        if body.get(key) is not None:
            numbers[key] = _required_number(body, key, errors)
    if schedule is not None and schedule.basis is Basis.QUANTITY:
        if "quantity" not in body:
            errors.setdefault("quantity", []).append("is required for a quantity-based schedule")
        if "unit_price" not in body:
            errors.setdefault("unit_price", []).append("is required for a quantity-based schedule")
    elif schedule is not None and "amount" not in body and "quantity" not in body:
        errors.setdefault("amount", []).append("is required for an amount-based schedule")
    if errors:
        raise ValidationFailed("The request has invalid fields.", errors)
    assert schedule is not None
    try:
        result = price_breakdown(
            schedule,
            quantity=numbers.get("quantity"),
            amount=numbers.get("amount"),
            unit_price=numbers.get("unit_price"),
            prior_volume=numbers.get("prior_volume") or Decimal(0),
        )
        margin = None
        if numbers.get("unit_cost") is not None and numbers.get("quantity") is not None:
            margin = margin_impact(
                result.list_total,
                result.discount_total,
                unit_cost_total=numbers["unit_cost"] * numbers["quantity"],
                currency=schedule.currency,
            )
        elif numbers.get("margin_percent") is not None:
            margin = margin_impact(
                result.list_total,
                result.discount_total,
                margin_percent=numbers["margin_percent"],
                currency=schedule.currency,
            )
        cliffs = (
            find_price_cliffs(schedule, unit_price=numbers.get("unit_price"))
            if (schedule.basis is Basis.AMOUNT or numbers.get("unit_price"))
            else []
        )
    except ScheduleValidationError as exc:
        raise ValidationFailed("The request has invalid fields.", exc.field_errors) from None
    return {
        **breakdown_json(result),
        "margin": margin_json(margin),
        "cliffs": [cliff_json(c) for c in cliffs],
    }
