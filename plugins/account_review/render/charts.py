"""The printed reviews' charts: the core's inline SVG charts fed from the gathered reviews."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup

from b2b_loyalty.charts import Series, bar_chart, line_chart
from b2b_loyalty.i18n import money, number
from plugins.account_review.services.account_review import AccountReview
from plugins.account_review.services.orders_discounts import ScheduleProgress
from plugins.account_review.services.portfolio_review import PortfolioReview

WIDE = (680, 250)
HALF = (430, 260)


def _svg(markup: str) -> Markup:
    return Markup(markup)  # noqa: S704 - the core's charts escape every piece of text


def revenue_chart(review: AccountReview) -> Markup:
    title = {
        "month": _("Net revenue by month"),
        "quarter": _("Net revenue by quarter"),
        "year": _("Net revenue by year"),
    }[review.bucket]
    return _svg(
        bar_chart(
            [(b.label, b.revenue) for b in review.revenue_buckets],
            title=title,
            y_format=money,
            width=WIDE[0],
            height=WIDE[1],
            no_data_text=_("No orders in the period"),
        )
    )


def share_chart(review: AccountReview) -> Markup:
    known = [(i, p) for i, p in enumerate(review.share_trend) if p.value is not None]
    labels = [p.label for p in review.share_trend]
    return _svg(
        line_chart(
            [Series(_("Share of wallet (%)"), [(Decimal(i), p.value) for i, p in known])],
            title=_("Share of wallet, three periods"),
            x_format=lambda v: labels[int(v)] if v == int(v) and 0 <= int(v) < len(labels) else "",
            y_format=lambda v: f"{number(v)} %",
            width=HALF[0],
            height=HALF[1],
            no_data_text=_("No wallet estimate"),
        )
    )


def tier_chart(progress: ScheduleProgress) -> Markup:
    """The schedule's rates as a step line over volume, with the volume counted marked."""
    tiers = sorted(progress.tiers)
    volume = progress.progress.volume
    last = max([volume] + [t[0] for t in tiers]) * Decimal("1.25") or Decimal(1)
    points = [(t[0], t[1]) for t in tiers] + [(last, tiers[-1][1])] if tiers else []
    fmt = money if progress.basis == "amount" else number
    return _svg(
        line_chart(
            [Series(_("Discount rate (%)"), points)],
            title=f"{progress.category}: {progress.schedule}",
            step=True,
            markers=[(volume, _("counted: %(v)s", v=fmt(volume)))],
            x_format=fmt,
            y_format=lambda v: f"{number(v)} %",
            width=HALF[0],
            height=HALF[1],
        )
    )


def account_charts(review: AccountReview) -> dict:
    return {
        "revenue": revenue_chart(review),
        "share": share_chart(review),
        "tiers": [tier_chart(p) for p in review.orders.progress if p.tiers],
    }


def pareto_chart(review: PortfolioReview) -> Markup:
    top = review.pareto
    if not top:
        return Markup("")
    return _svg(
        bar_chart(
            [(r.item.name, r.revenue) for r in top],
            cumulative_line=True,
            cumulative_label=_("Cumulative share"),
            title=_("Revenue by account, largest first, with the cumulative share"),
            y_format=money,
            highlight={i for i, r in enumerate(top) if r.item.abc.value == "A"},
            width=WIDE[0],
            height=300,
        )
    )


def manager_chart(review: PortfolioReview) -> Markup:
    if not review.managers:
        return Markup("")
    return _svg(
        bar_chart(
            [(m.owner_name, m.revenue) for m in review.managers[:20]],
            title=_("Revenue by account manager"),
            y_format=money,
            width=WIDE[0],
            height=WIDE[1],
        )
    )
