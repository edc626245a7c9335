"""The portfolio review workbook: Summary (metadata, portfolio KPIs, the Pareto chart of the
largest accounts), Accounts (every account, ranked, with its KPIs), Managers (totals)."""

from __future__ import annotations

from flask_babel import gettext as _

from plugins.account_review.render.summary_sheet import SummarySheet
from plugins.account_review.render.xlsx import (
    SUMMARY_WIDTHS,
    Column,
    ReviewWorkbook,
    percent_fraction,
)
from plugins.account_review.services.portfolio_review import PortfolioReview

ACCOUNT_COLUMNS = (
    ("rank", "integer"),
    ("account_id", "integer"),
    ("account", "text"),
    ("manager", "text"),
    ("region", "text"),
    ("industry", "text"),
    ("revenue", "money"),
    ("revenue_previous", "money"),
    ("growth", "percent"),
    ("orders", "integer"),
    ("average_order_value", "money"),
    ("gross_margin", "money"),
    ("share_of_wallet", "percent"),
    ("share_change_points", "number"),
    ("headroom", "money"),
    ("segment", "text"),
    ("abc_class", "text"),
    ("lifecycle", "text"),
    ("alerts", "integer"),
    ("cumulative_share", "percent"),
)


def account_columns() -> list[Column]:
    headers = {
        "rank": _("Rank"),
        "account_id": _("Account id"),
        "account": _("Account"),
        "manager": _("Account manager"),
        "region": _("Region"),
        "industry": _("Industry"),
        "revenue": _("Net revenue"),
        "revenue_previous": _("Previous period"),
        "growth": _("Change"),
        "orders": _("Orders"),
        "average_order_value": _("Average order"),
        "gross_margin": _("Gross margin"),
        "share_of_wallet": _("Share of wallet"),
        "share_change_points": _("Share change (points)"),
        "headroom": _("Headroom"),
        "segment": _("Segment"),
        "abc_class": _("ABC class"),
        "lifecycle": _("Lifecycle stage"),
        "alerts": _("Alerts"),
        "cumulative_share": _("Cumulative share of revenue"),
    }
    return [Column(headers[key], kind) for key, kind in ACCOUNT_COLUMNS]


def account_rows(review: PortfolioReview) -> list[tuple]:
    """One row per ranked account, in ACCOUNT_COLUMNS order (percents as fractions)."""
    rows = []
    for r in review.ranked:
        a = r.item
        rows.append(
            (
                r.rank,
                a.account_id,
                a.name,
                a.owner_name,
                a.region,
                a.industry,
                a.revenue,
                a.revenue_previous,
                percent_fraction(a.growth),
                a.orders,
                a.average_order_value,
                a.gross_margin,
                percent_fraction(a.share_value),
                a.share_change_points,
                a.share.headroom,
                a.segment_value.value,
                a.abc.value,
                a.lifecycle_stage.value,
                len(a.alerts),
                r.cumulative_share,
            )
        )
    return rows


def _portfolio_summary(book: ReviewWorkbook, review: PortfolioReview) -> None:
    p = review.report
    summary = SummarySheet(book, review.meta, SUMMARY_WIDTHS)
    summary.heading(_("Portfolio"))
    summary.mixed_rows(
        [_("Indicator"), _("This period"), _("Previous period")],
        [
            [(_("Net revenue"), "text"), (p.revenue, "money"), (p.revenue_previous, "money")],
            [
                (_("Change in net revenue"), "text"),
                (percent_fraction(p.growth), "percent"),
                (None, "text"),
            ],
            [(_("Accounts"), "text"), (len(p.accounts), "integer"), (None, "text")],
            [(_("Orders"), "text"), (p.orders, "integer"), (None, "text")],
            [(_("Average order value"), "text"), (p.average_order_value, "money"), (None, "text")],
            [
                (_("Retention (CRR)"), "text"),
                (percent_fraction(p.retention.value), "percent"),
                (None, "text"),
            ],
            [(_("Churn"), "text"), (percent_fraction(p.churn.value), "percent"), (None, "text")],
            [
                (_("Net revenue retention"), "text"),
                (percent_fraction(p.net_revenue_retention.value), "percent"),
                (None, "text"),
            ],
            [
                (_("Accounts making 80 % of revenue"), "text"),
                (percent_fraction(p.pareto.share_of_accounts_in_a), "percent"),
                (None, "text"),
            ],
            [(_("Alerts"), "text"), (review.alerts, "integer"), (None, "text")],
        ],
    )
    summary.heading(_("Pareto: the largest accounts"))
    first, last = summary.table(
        [
            Column(_("Account"), "text"),
            Column(_("Net revenue"), "money"),
            Column(_("Cumulative share"), "percent"),
        ],
        [(r.item.name, r.revenue, r.cumulative_share) for r in review.pareto],
    )
    summary.bar_chart(
        _("Revenue by account, largest first, with the cumulative share"),
        1,
        [2],
        first,
        last,
        "H2",
        y_format=book.money_format.split(";")[0],
        line_col=3,
        width=24,
    )


def _managers_sheet(book: ReviewWorkbook, review: PortfolioReview) -> None:
    book.table_sheet(
        _("Managers"),
        [
            Column(_("Account manager"), "text"),
            Column(_("Accounts"), "integer"),
            Column(_("Net revenue"), "money"),
            Column(_("Previous period"), "money"),
            Column(_("Change"), "percent"),
            Column(_("A accounts"), "integer"),
            Column(_("Needing attention"), "integer"),
        ],
        [
            (
                m.owner_name,
                m.accounts,
                m.revenue,
                m.revenue_previous,
                percent_fraction(m.growth),
                m.a_accounts,
                m.needing_attention,
            )
            for m in review.managers
        ],
    )


def portfolio_workbook(review: PortfolioReview) -> bytes:
    book = ReviewWorkbook(review.currency)
    _portfolio_summary(book, review)
    book.table_sheet(_("Accounts"), account_columns(), account_rows(review))
    _managers_sheet(book, review)
    return book.save()
