"""What each active schedule gives away at reference volumes, for finance's overview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from b2b_loyalty.domain.discount_schedule import Basis, DiscountSchedule
from b2b_loyalty.domain.margin_impact import MarginImpact, margin_impact
from b2b_loyalty.domain.price_breakdown import PriceBreakdown, price_breakdown
from b2b_loyalty.domain.schedule_workflow import IN_FORCE
from b2b_loyalty.models import ScheduleFamily, ScheduleVersion

# Reference volumes are expressed per schedule: each tier threshold and twice the
# last one, so every rate is shown where it starts to bite. Quantity schedules are
# priced at a nominal 100.00 per unit (the discount share does not depend on it).
NOMINAL_UNIT_PRICE = Decimal("100.00")


@dataclass(frozen=True)
class ReferencePoint:
    volume: Decimal
    breakdown: PriceBreakdown
    margin: MarginImpact | None


@dataclass(frozen=True)
class ScheduleCostRow:
    version: ScheduleVersion
    points: list[ReferencePoint]


def version_in_force(family: ScheduleFamily, today: date) -> ScheduleVersion | None:
    for version in reversed(family.versions):
        if (
            version.status in {s.value for s in IN_FORCE}
            and version.effective_from <= today
            and (version.effective_to is None or version.effective_to >= today)
        ):
            return version
    return None


def reference_volumes(version: ScheduleVersion) -> list[Decimal]:
    bounds = [t.from_value for t in version.tiers if t.from_value > 0]
    if not bounds:
        return [Decimal(100)]
    return [*bounds, bounds[-1] * 2]


def priced_reference_points(
    version: ScheduleVersion, value: DiscountSchedule, margin_percent: Decimal
) -> list[ReferencePoint]:
    """List, discount and margin given away of ``version`` (parsed as ``value``) at each
    reference volume, with ``margin_percent`` as the gross margin on list price."""
    points = []
    for volume in reference_volumes(version):
        if value.basis is Basis.QUANTITY:
            result = price_breakdown(value, quantity=volume, unit_price=NOMINAL_UNIT_PRICE)
        else:
            result = price_breakdown(value, amount=volume)
        margin = (
            margin_impact(
                result.list_total,
                result.discount_total,
                margin_percent=margin_percent,
                currency=value.currency,
            )
            if result.list_total
            else None
        )
        points.append(ReferencePoint(volume, result, margin))
    return points


def schedule_cost_table(
    families: list[ScheduleFamily], *, margin_percent: Decimal, today: date
) -> list[ScheduleCostRow]:
    """For every schedule in force today: list, discount and margin given away at each
    reference volume, with ``margin_percent`` as the gross margin on list price."""
    rows = []
    for family in families:
        version = version_in_force(family, today)
        if version is None:
            continue
        points = priced_reference_points(version, version.as_value(), margin_percent)
        rows.append(ScheduleCostRow(version, points))
    return rows
