"""Queries that position a quote: which schedule applies, and the volume already bought."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from b2b_loyalty.domain.discount_schedule import Basis, Scope
from b2b_loyalty.domain.schedule_workflow import IN_FORCE
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Order, ScheduleAssignment, ScheduleVersion


def applicable_schedule(
    account_id: int, category_id: int, on: date
) -> tuple[ScheduleVersion | None, str]:
    """The version in force on ``on`` for the account and category, and where it came from.

    An account-specific assignment overrides the category default. Returns
    (None, reason) when no schedule applies, so the quote can say so.
    """
    assignments = db.session.scalars(
        select(ScheduleAssignment).where(
            ScheduleAssignment.category_id == category_id,
            or_(
                ScheduleAssignment.account_id == account_id, ScheduleAssignment.account_id.is_(None)
            ),
        )
    ).all()
    if not assignments:
        return None, "no discount schedule is assigned to this category"
    assignment = min(assignments, key=lambda a: a.account_id is None)
    source = "account-specific schedule" if assignment.account_id else "category default schedule"
    version = db.session.scalar(
        select(ScheduleVersion)
        .where(
            ScheduleVersion.family_id == assignment.family_id,
            ScheduleVersion.status.in_([s.value for s in IN_FORCE]),
            ScheduleVersion.effective_from <= on,
            or_(ScheduleVersion.effective_to.is_(None), ScheduleVersion.effective_to >= on),
        )
        .options(selectinload(ScheduleVersion.tiers), selectinload(ScheduleVersion.family))
        .order_by(ScheduleVersion.version.desc())
        .limit(1)
    )
    if version is None:
        return None, f"the {source} has no approved version in force on {on.isoformat()}"
    return version, source


def period_start(scope: Scope, on: date) -> date | None:
    """First day counted for a cumulative schedule (None for a per-order one)."""
    if scope is Scope.CUMULATIVE_CALENDAR_YEAR:
        return date(on.year, 1, 1)
    if scope is Scope.CUMULATIVE_ROLLING_12_MONTHS:
        return on - timedelta(days=364)
    return None


def prior_volume(
    account_id: int, category_id: int, basis: Basis, scope: Scope, on: date
) -> Decimal:
    """Units (quantity basis) or list value (amount basis) of the account's orders in
    the category from the period's start up to and including ``on``; 0 per order."""
    start = period_start(scope, on)
    if start is None:
        return Decimal(0)
    measure = Order.quantity if basis is Basis.QUANTITY else Order.list_amount
    total = db.session.scalar(
        select(func.coalesce(func.sum(measure), 0)).where(
            Order.account_id == account_id,
            Order.category_id == category_id,
            Order.order_date >= start,
            Order.order_date <= on,
        )
    )
    return Decimal(str(total)).quantize(
        Decimal("0.001") if basis is Basis.QUANTITY else Decimal("0.01")
    )
