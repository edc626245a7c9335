"""The account review workbook: Summary (metadata, KPIs against the previous period, revenue,
share of wallet and tier progress with native charts), Orders, Discounts, then the sheets
the other plugins' review sections carry (Stakeholders, Engagement, Contracts).

Percent figures arrive in percent (as the API gives them) and are written as fractions
with a percent format; a change in percentage points stays a number, labelled "points".
"""

from __future__ import annotations

from flask_babel import gettext as _

from plugins.account_review.render.summary_sheet import SummarySheet
from plugins.account_review.render.xlsx import (
    MONTH_FORMAT,
    PERCENT_FORMAT,
    SUMMARY_WIDTHS,
    Column,
    ReviewWorkbook,
    percent_fraction,
)
from plugins.account_review.services.account_review import AccountReview


def _kpi_cell(kind: str, value):  # noqa: ANN001, ANN202
    if kind == "percent":
        return percent_fraction(value), "percent"
    return value, kind


def _change_cell(kpi):  # noqa: ANN001, ANN202
    if kpi.change is None:
        return None, "number"
    if kpi.change_unit == "points":
        return kpi.change, "number"  # percentage points
    return percent_fraction(kpi.change), "percent"


def _account_summary(book: ReviewWorkbook, review: AccountReview) -> None:
    summary = SummarySheet(book, review.meta, SUMMARY_WIDTHS)
    summary.heading(_("Executive summary"))
    summary.mixed_rows(
        [
            _("Indicator"),
            _("This period"),
            _("Previous period"),
            _("Change"),
            _("Change in"),
            _("Note"),
        ],
        [
            [
                (k.label, "text"),
                _kpi_cell(k.kind, k.current),
                _kpi_cell(k.kind, k.previous),
                _change_cell(k),
                (
                    _("points")
                    if k.change_unit == "points" and k.change is not None
                    else _("percent")
                    if k.change is not None
                    else "",
                    "text",
                ),
                (k.note, "text"),
            ]
            for k in review.kpis
        ],
    )
    summary.heading(
        {
            "month": _("Net revenue by month"),
            "quarter": _("Net revenue by quarter"),
            "year": _("Net revenue by year"),
        }[review.bucket]
    )
    first, last = summary.table(
        [
            Column(
                {"month": _("Month"), "quarter": _("Quarter"), "year": _("Year")}[review.bucket],
                "date",
                number_format=MONTH_FORMAT if review.bucket != "year" else "yyyy",
            ),
            Column(_("Net revenue"), "money"),
        ],
        [(b.start, b.revenue) for b in review.revenue_buckets],
    )
    summary.bar_chart(
        _("Net revenue"), 1, [2], first, last, "H2", y_format=book.money_format.split(";")[0]
    )
    summary.heading(_("Share of wallet"))
    share_first, share_last = summary.table(
        [
            Column(_("Period"), "text"),
            Column(_("Share of wallet"), "percent"),
            Column(_("Headroom"), "money"),
            Column(_("Wallet estimate"), "money"),
        ],
        [
            (p.label, percent_fraction(p.value), p.headroom, p.wallet_estimate)
            for p in review.share_trend
        ],
    )
    summary.line_chart(
        _("Share of wallet"), 1, 2, share_first, share_last, "H18", y_format=PERCENT_FORMAT
    )
    progress = review.orders.progress
    if progress:
        summary.heading(_("Progress through the volume tiers"))
        tier_first, tier_last = summary.table(
            [
                Column(_("Schedule"), "text"),
                Column(_("Volume counted"), "number"),
                Column(_("Next tier from"), "number"),
                Column(_("Tier rate reached"), "percent"),
                Column(_("Next rate"), "percent"),
                Column(_("Category"), "text"),
            ],
            [
                (
                    s.schedule,
                    s.progress.volume,
                    s.progress.next_from,
                    percent_fraction(s.progress.reached_percent),
                    percent_fraction(s.progress.next_percent),
                    s.category,
                )
                for s in progress
            ],
        )
        summary.bar_chart(
            _("Volume counted and the next tier"), 1, [2, 3], tier_first, tier_last, "H34"
        )


def _orders_sheet(book: ReviewWorkbook, review: AccountReview) -> None:
    columns = [
        Column(_("Date"), "date"),
        Column(_("Order id"), "integer"),
        Column(_("Reference"), "text"),
        Column(_("Category"), "text"),
        Column(_("Quantity"), "number"),
        Column(_("Unit price"), "money"),
        Column(_("List"), "money"),
        Column(_("Discount"), "money"),
        Column(_("Net"), "money"),
        Column(_("Discount share"), "percent"),
        Column(_("Unit cost"), "money"),
        Column(_("Schedule"), "text"),
        Column(_("Highest tier rate"), "percent"),
    ]
    book.table_sheet(
        _("Orders"),
        columns,
        [
            (
                o.order_date,
                o.order_id,
                o.external_ref,
                o.category,
                o.quantity,
                o.unit_price,
                o.list_amount,
                o.discount_amount,
                o.net_amount,
                o.discount_share,
                o.unit_cost,
                o.schedule or _("entered by hand"),
                percent_fraction(o.tier_percent),
            )
            for o in review.orders.orders
        ],
    )


def _discounts_sheet(book: ReviewWorkbook, review: AccountReview) -> None:
    od = review.orders
    columns = [
        Column(_("Schedule or adjustment"), "text"),
        Column(_("Basis"), "text"),
        Column(_("Tier from"), "number"),
        Column(_("Tier to (under)"), "number"),
        Column(_("Rate"), "percent"),
        Column(_("Volume"), "number"),
        Column(_("Orders"), "integer"),
        Column(_("List"), "money"),
        Column(_("Discount"), "money"),
        Column(_("Net"), "money"),
    ]
    rows = [
        (
            t.schedule,
            t.basis,
            t.tier_from,
            t.tier_to,
            percent_fraction(t.percent),
            t.volume,
            t.orders,
            t.list_amount,
            t.discount,
            t.net_amount,
        )
        for t in od.tiers
    ]
    rows += [
        (a.label, _("adjustment"), None, None, None, None, a.orders, None, a.amount, None)
        for a in od.adjustments
    ]
    if od.summary.by_hand:
        rows.append(
            (
                _("Discounts entered by hand"),
                "",
                None,
                None,
                None,
                None,
                None,
                None,
                od.summary.by_hand,
                None,
            )
        )
    book.table_sheet(_("Discounts"), columns, rows)


def _plugin_sheets(book: ReviewWorkbook, review: AccountReview) -> None:
    for section in review.sections:
        for sheet in section.sheets:
            book.table_sheet(
                sheet.title, [Column(c.header, c.kind) for c in sheet.columns], list(sheet.rows)
            )


def account_review_workbook(review: AccountReview) -> bytes:
    book = ReviewWorkbook(review.currency)
    _account_summary(book, review)
    _orders_sheet(book, review)
    _discounts_sheet(book, review)
    _plugin_sheets(book, review)
    return book.save()
