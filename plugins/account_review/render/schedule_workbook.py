"""The discount schedule workbook for finance: Summary, Versions, Tiers, Approval trail and
Margin impact (every version at its reference volumes)."""

from __future__ import annotations

from flask_babel import gettext as _

from plugins.account_review.render.summary_sheet import SummarySheet
from plugins.account_review.render.xlsx import (
    DATETIME_FORMAT,
    Column,
    ReviewWorkbook,
    percent_fraction,
)
from plugins.account_review.services.schedule_report import ScheduleReport


def _schedules_summary(book: ReviewWorkbook, report: ScheduleReport) -> None:
    summary = SummarySheet(book, report.meta, (34, 14, 18, 18, 40, 14))
    summary.heading(_("Schedules"))
    summary.table(
        [
            Column(_("Schedule"), "text"),
            Column(_("Versions"), "integer"),
            Column(_("In force today"), "integer"),
            Column(_("Latest status"), "text"),
            Column(_("Description"), "text"),
        ],
        [
            (
                s.family.name,
                len(s.versions),
                s.in_force.version if s.in_force else None,
                s.versions[-1].status if s.versions else "",
                s.family.description,
            )
            for s in report.schedules
        ],
    )


def schedules_workbook(report: ScheduleReport, currency: str) -> bytes:
    book = ReviewWorkbook(currency)
    _schedules_summary(book, report)
    book.table_sheet(
        _("Versions"),
        [
            Column(_("Schedule"), "text"),
            Column(_("Version"), "integer"),
            Column(_("Status"), "text"),
            Column(_("In force today"), "text"),
            Column(_("Basis"), "text"),
            Column(_("Mode"), "text"),
            Column(_("Scope"), "text"),
            Column(_("Currency"), "text"),
            Column(_("Effective from"), "date"),
            Column(_("Effective to"), "date"),
            Column(_("Drafted by"), "text"),
            Column(_("Drafted at (UTC)"), "date", number_format=DATETIME_FORMAT),
            Column(_("Submitted at (UTC)"), "date", number_format=DATETIME_FORMAT),
            Column(_("Decided by"), "text"),
            Column(_("Decided at (UTC)"), "date", number_format=DATETIME_FORMAT),
            Column(_("Decision comment"), "text"),
            Column(_("Change note"), "text"),
        ],
        [
            (
                s.family.name,
                v.version,
                v.status,
                _("yes") if s.in_force is not None and s.in_force.id == v.id else _("no"),
                v.basis,
                v.mode,
                v.scope,
                v.currency,
                v.effective_from,
                v.effective_to,
                v.created_by.name if v.created_by else None,
                v.created_at,
                v.submitted_at,
                v.decided_by.name if v.decided_by else None,
                v.decided_at,
                v.decision_comment,
                v.change_note,
            )
            for s in report.schedules
            for v in s.versions
        ],
    )
    book.table_sheet(
        _("Tiers"),
        [
            Column(_("Schedule"), "text"),
            Column(_("Version"), "integer"),
            Column(_("Status"), "text"),
            Column(_("Tier"), "integer"),
            Column(_("From"), "number"),
            Column(_("Rate"), "percent"),
        ],
        [
            (s.family.name, v.version, v.status, i, t.from_value, percent_fraction(t.percent))
            for s in report.schedules
            for v in s.versions
            for i, t in enumerate(v.tiers, start=1)
        ],
    )
    book.table_sheet(
        _("Approval trail"),
        [
            Column(_("Schedule"), "text"),
            Column(_("When (UTC)"), "date", number_format=DATETIME_FORMAT),
            Column(_("Who"), "text"),
            Column(_("Record"), "text"),
            Column(_("Record id"), "integer"),
            Column(_("Action"), "text"),
            Column(_("Comment"), "text"),
        ],
        [
            (
                s.family.name,
                e.at,
                e.actor.name if e.actor else None,
                e.entity,
                e.entity_id,
                e.action,
                e.comment,
            )
            for s in report.schedules
            for e in s.trail
        ],
    )
    book.table_sheet(
        _("Margin impact"),
        [
            Column(_("Schedule"), "text"),
            Column(_("Version"), "integer"),
            Column(_("Status"), "text"),
            Column(_("Volume"), "number"),
            Column(_("List"), "money"),
            Column(_("Discount"), "money"),
            Column(_("Net"), "money"),
            Column(_("Effective rate"), "percent"),
            Column(_("Assumed gross margin"), "percent"),
            Column(_("Gross profit before"), "money"),
            Column(_("Gross profit after"), "money"),
            Column(_("Share of gross profit given away"), "percent"),
            Column(_("Volume uplift to break even"), "percent"),
        ],
        [
            (
                s.family.name,
                v.version,
                v.status,
                p.volume,
                p.breakdown.list_total,
                p.breakdown.discount_total,
                p.breakdown.net_total,
                percent_fraction(p.breakdown.effective_percent),
                percent_fraction(report.margin_percent),
                p.margin.gross_profit_before if p.margin else None,
                p.margin.gross_profit_after if p.margin else None,
                percent_fraction(p.margin.share_of_profit_given_away) if p.margin else None,
                percent_fraction(p.margin.required_volume_uplift) if p.margin else None,
            )
            for s in report.schedules
            for v in s.versions
            for p in s.points.get(v.id, [])
        ],
    )
    return book.save()
