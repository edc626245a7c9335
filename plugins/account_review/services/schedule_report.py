"""The discount schedule report for finance: every schedule, its versions and tiers, the
approval trail, and what each version gives away at reference volumes.

The margin-impact table uses the finance overview's own rule
(``services.finance_overview``): each tier threshold and twice the last one,
quantity schedules at a nominal unit price, ``domain.margin_impact`` for the
share of gross profit given away at an assumed gross margin. The version in
force today comes straight from ``schedule_cost_table``, so the report equals
the finance overview page; other versions (drafts, pending, retired) are
priced the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from b2b_loyalty.domain.discount_schedule import ScheduleValidationError
from b2b_loyalty.models import AuditEntry, ScheduleFamily, ScheduleVersion
from b2b_loyalty.services.finance_overview import (
    ReferencePoint,
    priced_reference_points,
    schedule_cost_table,
    version_in_force,
)
from plugins.account_review import queries
from plugins.account_review.services.export_meta import ExportMeta, make_meta

DEFAULT_MARGIN_PERCENT = Decimal(30)


@dataclass
class ScheduleEntry:
    family: ScheduleFamily
    versions: list[ScheduleVersion]
    in_force: ScheduleVersion | None
    trail: list[AuditEntry]
    points: dict[int, list[ReferencePoint]] = field(default_factory=dict)  # by version id


@dataclass
class ScheduleReport:
    meta: ExportMeta
    margin_percent: Decimal
    today: date
    schedules: list[ScheduleEntry]

    @property
    def versions(self) -> list[ScheduleVersion]:
        return [v for s in self.schedules for v in s.versions]


def reference_points(version: ScheduleVersion, margin_percent: Decimal) -> list[ReferencePoint]:
    """List, discount and margin given away of ``version`` at its reference volumes (none
    for a version whose tiers do not validate, e.g. an unfinished draft)."""
    try:
        value = version.as_value()
    except ScheduleValidationError:
        return []
    return priced_reference_points(version, value, margin_percent)


def build_schedule_report(
    margin_percent: Decimal, user: Any, *, today: date | None = None
) -> ScheduleReport:
    """Every schedule with versions, tiers, trail and margin impact (5 statements in all)."""
    today = today or date.today()
    families = queries.schedule_families()
    trails = queries.audit_trail([f.id for f in families])
    in_force_points = {
        row.version.id: row.points
        for row in schedule_cost_table(families, margin_percent=margin_percent, today=today)
    }
    schedules = []
    for family in families:
        entry = ScheduleEntry(
            family=family,
            versions=list(family.versions),
            in_force=version_in_force(family, today),
            trail=trails.get(family.id, []),
        )
        for version in family.versions:
            entry.points[version.id] = in_force_points.get(version.id) or reference_points(
                version, margin_percent
            )
        schedules.append(entry)
    meta = make_meta(
        _("Discount schedules"),
        user,
        [
            (_("Assumed gross margin"), f"{margin_percent} %"),
            (_("In force on"), today.isoformat()),
            (_("Schedules"), str(len(schedules))),
        ],
    )
    return ScheduleReport(meta, margin_percent, today, schedules)
