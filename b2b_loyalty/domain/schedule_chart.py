"""Points for the schedule editor's charts: net price per unit and total net against volume."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from b2b_loyalty.domain.discount_schedule import Basis, DiscountSchedule
from b2b_loyalty.domain.price_breakdown import price_breakdown

SAMPLES = 80


@dataclass(frozen=True)
class PriceCurve:
    """``unit_points``: (volume, average net per unit); ``total_points``: (volume, total net).

    For an amount-based schedule a "unit" is 1.00 of list value, so the unit
    curve reads as "net paid per 1.00 of list price".
    """

    unit_points: tuple[tuple[Decimal, Decimal], ...]
    total_points: tuple[tuple[Decimal, Decimal], ...]


def _volumes(schedule: DiscountSchedule, up_to: Decimal, step: Decimal) -> list[Decimal]:
    """Evenly spaced volumes plus each threshold and one step below it, so that jumps
    and cliffs at the thresholds show instead of falling between samples."""
    volumes = {(up_to * i / SAMPLES).quantize(step) for i in range(1, SAMPLES + 1)}
    for tier in schedule.tiers:
        if 0 < tier.from_ <= up_to:
            volumes.add(tier.from_.quantize(step))
            if tier.from_ - step > 0:
                volumes.add((tier.from_ - step).quantize(step))
    return sorted(v for v in volumes if v > 0)


def net_price_curve(
    schedule: DiscountSchedule, *, unit_price: Decimal | None, up_to: Decimal
) -> PriceCurve:
    """Price the schedule (per order, no prior volume) at sampled volumes up to ``up_to``.

    Quantity basis needs ``unit_price`` (money per unit) and samples whole units;
    amount basis samples money to the cent.
    """
    quantity_basis = schedule.basis is Basis.QUANTITY
    step = Decimal(1) if quantity_basis else Decimal("0.01")
    unit_points = []
    total_points = []
    for volume in _volumes(schedule, max(up_to, step), step):
        if quantity_basis:
            result = price_breakdown(schedule, quantity=volume, unit_price=unit_price)
        else:
            result = price_breakdown(schedule, amount=volume)
        unit_points.append((volume, (result.net_total / volume).quantize(Decimal("0.0001"))))
        total_points.append((volume, result.net_total))
    return PriceCurve(tuple(unit_points), tuple(total_points))
