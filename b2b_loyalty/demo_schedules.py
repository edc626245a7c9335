"""Discount schedules for the demo: the DOMAIN.md reference examples, approved and assigned.

Built through the same models the services write, with the audit entries a real
approval would leave, so the finance pages have something to show.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from b2b_loyalty.domain.schedule_workflow import ScheduleStatus
from b2b_loyalty.extensions import db
from b2b_loyalty.models import (
    DiscountTier,
    ProductCategory,
    ScheduleAssignment,
    ScheduleFamily,
    ScheduleVersion,
    User,
)
from b2b_loyalty.services import audit
from b2b_loyalty.services.discount_schedules import snapshot

# (name, description, basis, mode, scope, tiers, category name, status)
DEMO_SCHEDULES = (
    (
        "Lamps — annual volume",
        "Packs per calendar year: the first 100 at list price, then 5 %, 10 % and 20 % off "
        "the packs inside each tier.",
        "quantity",
        "incremental",
        "cumulative_calendar_year",
        ((0, 0), (100, 5), (200, 10), (300, 20)),
        "Industrial lamps",
        ScheduleStatus.APPROVED,
    ),
    (
        "Safety equipment — order size",
        "One rate for the whole order once it reaches 10,000 or 20,000 of list value.",
        "amount",
        "all_units",
        "per_order",
        ((0, 0), (10000, 5), (20000, 10)),
        "Safety equipment",
        ScheduleStatus.APPROVED,
    ),
    (
        "Cable — rolling 12 months (proposal)",
        "Proposed: rewards steady buyers of cable over any 12 months.",
        "amount",
        "incremental",
        "cumulative_rolling_12_months",
        ((0, 0), (25000, 3), (60000, 6)),
        "Cable & wiring",
        ScheduleStatus.PENDING_APPROVAL,
    ),
)


def build_demo_schedules(drafter: User, approver: User, as_of: date) -> None:
    """Add the demo schedules (the caller commits). Categories missing from the demo are skipped."""
    categories = {c.name: c for c in db.session.scalars(select(ProductCategory))}
    now = datetime.now(UTC)
    for name, description, basis, mode, scope, tiers, category_name, status in DEMO_SCHEDULES:
        family = ScheduleFamily(name=name, description=description)
        version = ScheduleVersion(
            family=family,
            version=1,
            basis=basis,
            mode=mode,
            scope=scope,
            currency="EUR",
            status=ScheduleStatus.DRAFT.value,
            effective_from=date(as_of.year - 2, 1, 1),
            created_by_id=drafter.id,
            submitted_at=now,
            tiers=[
                DiscountTier(position=i, from_value=Decimal(start), percent=Decimal(rate))
                for i, (start, rate) in enumerate(tiers)
            ],
        )
        db.session.add(version)
        db.session.flush()
        audit.record(
            drafter,
            "discount_schedule",
            version.id,
            "created",
            after=snapshot(version),
            schedule_family_id=family.id,
        )
        version.status = ScheduleStatus.PENDING_APPROVAL.value
        audit.record(
            drafter,
            "discount_schedule",
            version.id,
            "submitted",
            after=snapshot(version),
            schedule_family_id=family.id,
        )
        if status is ScheduleStatus.APPROVED:
            version.status = status.value
            version.decided_by_id, version.decided_at = approver.id, now
            version.decision_comment = "Margin impact checked at the reference volumes."
            audit.record(
                approver,
                "discount_schedule",
                version.id,
                "approved",
                after=snapshot(version),
                schedule_family_id=family.id,
                comment=version.decision_comment,
            )
            category = categories.get(category_name)
            if category is not None:
                db.session.add(ScheduleAssignment(family_id=family.id, category_id=category.id))
