"""An account review: the account's metrics for a period against the previous one, its
orders and discounts, charts, and the sections other plugins contribute.

The figures come from the core's ``portfolio_metrics`` (the same call behind
``GET /api/v1/accounts/<id>/metrics``), run for the period and for the previous
period, so every KPI equals what the API answers for either period, to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from b2b_loyalty.db_limits import is_db_id
from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.domain.periods import length_in_days, previous_period
from b2b_loyalty.domain.ratios import change_in_points, percent
from b2b_loyalty.models import Account
from b2b_loyalty.plugin_api import ReviewSection
from b2b_loyalty.plugin_host import plugin_host
from b2b_loyalty.queries.metrics import AccountFilter
from b2b_loyalty.services.errors import NotFound, ValidationFailed
from b2b_loyalty.services.portfolio_metrics import AccountMetrics, portfolio_metrics
from plugins.account_review import queries
from plugins.account_review.domain.file_names import period_label
from plugins.account_review.services.export_meta import ExportMeta, make_meta
from plugins.account_review.services.orders_discounts import (
    OrderLine,
    OrdersAndDiscounts,
    orders_and_discounts,
)

ZERO = Decimal(0)
# The revenue chart shows months up to two years, quarters up to twelve, then years.
MONTHLY_UP_TO_DAYS = 731
QUARTERLY_UP_TO_DAYS = 12 * 366


@dataclass(frozen=True)
class Kpi:
    """One line of the executive summary.

    ``kind`` is money, percent (values in percent, as the API gives them),
    integer or text. ``change`` is the relative change in percent for money and
    counts, the difference in percentage points for percents, None for text.
    """

    key: str
    label: str
    kind: str
    current: Any
    previous: Any
    change: Decimal | None = None
    note: str = ""

    @property
    def change_unit(self) -> str:
        return {"percent": "points", "text": ""}.get(self.kind, "percent")


@dataclass(frozen=True)
class RevenueBucket:
    start: date
    end: date
    label: str
    revenue: Decimal


@dataclass(frozen=True)
class SharePoint:
    period: Period
    label: str
    value: Decimal | None  # percent
    headroom: Decimal | None
    wallet_estimate: Decimal | None


@dataclass
class AccountReview:
    meta: ExportMeta
    account: Account
    owner_name: str
    period: Period
    previous: Period
    currency: str
    metrics: AccountMetrics
    previous_metrics: AccountMetrics
    kpis: list[Kpi]
    revenue_buckets: list[RevenueBucket]
    bucket: str  # month | quarter | year
    share_trend: list[SharePoint]
    orders: OrdersAndDiscounts
    sections: list[ReviewSection]

    @property
    def period_label(self) -> str:
        return period_label(self.period)


def _change(current: Decimal | int | None, previous: Decimal | int | None) -> Decimal | None:
    if current is None or previous is None:
        return None
    return percent(Decimal(current) - Decimal(previous), Decimal(previous))


def _kpis(m: AccountMetrics, p: AccountMetrics, od: OrdersAndDiscounts) -> list[Kpi]:
    now, before = od.summary, od.previous_summary
    return [
        Kpi("revenue", _("Net revenue"), "money", m.revenue, m.revenue_previous, m.growth),
        Kpi("orders", _("Orders"), "integer", m.orders, p.orders, _change(m.orders, p.orders)),
        Kpi(
            "average_order_value",
            _("Average order value"),
            "money",
            m.average_order_value,
            p.average_order_value,
            _change(m.average_order_value, p.average_order_value),
        ),
        Kpi(
            "gross_margin",
            _("Gross margin"),
            "money",
            m.gross_margin,
            p.gross_margin,
            _change(m.gross_margin, p.gross_margin),
            _("orders with a known unit cost"),
        ),
        Kpi(
            "share_of_wallet",
            _("Share of wallet"),
            "percent",
            m.share.value,
            m.share_previous.value,
            m.share_change_points,
            m.share.note,
        ),
        Kpi(
            "headroom",
            _("Headroom (wallet not yet ours)"),
            "money",
            m.share.headroom,
            m.share_previous.headroom,
            _change(m.share.headroom, m.share_previous.headroom),
        ),
        Kpi(
            "tier_reached",
            _("Highest volume tier reached"),
            "percent",
            now.highest_tier,
            before.highest_tier,
            change_in_points(now.highest_tier, before.highest_tier),
            now.highest_tier_schedule,
        ),
        Kpi(
            "discount_given",
            _("Discount given"),
            "money",
            now.discount_total,
            before.discount_total,
            _change(now.discount_total, before.discount_total),
        ),
        Kpi(
            "margin_given_away",
            _("Gross profit given away by discounts"),
            "percent",
            now.margin_given_away,
            before.margin_given_away,
            change_in_points(now.margin_given_away, before.margin_given_away),
            _("discount ÷ gross profit before discount, orders with a known unit cost"),
        ),
        Kpi(
            "segment",
            _("Segment"),
            "text",
            m.segment.segment.value,
            p.segment.segment.value,
            note=m.segment.reason,
        ),
        Kpi(
            "lifecycle",
            _("Lifecycle stage"),
            "text",
            m.lifecycle.stage.value,
            p.lifecycle.stage.value,
            note=m.lifecycle.reason,
        ),
        Kpi("abc_class", _("ABC class"), "text", m.abc.value, p.abc.value),
        Kpi(
            "clv",
            _("Customer lifetime value"),
            "money",
            m.clv.value if m.clv else None,
            p.clv.value if p.clv else None,
            _change(m.clv.value if m.clv else None, p.clv.value if p.clv else None),
            m.clv.formula if m.clv else "",
        ),
    ]


def _month_starts(period: Period) -> list[date]:
    index = period.start.year * 12 + period.start.month - 1
    last = period.end.year * 12 + period.end.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index, last + 1)]


def _bucket_start(day: date, bucket: str) -> date:
    if bucket == "month":
        return day.replace(day=1)
    if bucket == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def bucket_size(period: Period) -> str:
    """Months up to two years, quarters up to twelve, years beyond (a readable chart)."""
    days = length_in_days(period)
    if days <= MONTHLY_UP_TO_DAYS:
        return "month"
    return "quarter" if days <= QUARTERLY_UP_TO_DAYS else "year"


def revenue_buckets(period: Period, orders: list[OrderLine]) -> tuple[list[RevenueBucket], str]:
    """Net revenue per month, quarter or year inside the period, from the orders."""
    bucket = bucket_size(period)
    starts = sorted({_bucket_start(d, bucket) for d in _month_starts(period)})
    revenue = dict.fromkeys(starts, ZERO)
    for order in orders:
        revenue[_bucket_start(order.order_date, bucket)] += order.net_amount
    label_of = {
        "month": lambda d: format_date(d, "MMM yy"),
        "quarter": lambda d: f"Q{(d.month - 1) // 3 + 1} {d.year}",
        "year": lambda d: str(d.year),
    }[bucket]
    buckets = []
    for i, start in enumerate(starts):
        last = starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else period.end
        label = label_of(start)
        buckets.append(
            RevenueBucket(max(start, period.start), min(last, period.end), label, revenue[start])
        )
    return buckets, bucket


def share_trend(period: Period, m: AccountMetrics, p: AccountMetrics) -> list[SharePoint]:
    """Share of wallet of the period before the previous one, the previous one and this one."""
    previous = previous_period(period)
    earlier = previous_period(previous)
    return [
        SharePoint(
            earlier,
            period_label(earlier),
            p.share_previous.value,
            p.share_previous.headroom,
            p.share_previous.wallet_estimate,
        ),
        SharePoint(
            previous,
            period_label(previous),
            m.share_previous.value,
            m.share_previous.headroom,
            m.share_previous.wallet_estimate,
        ),
        SharePoint(
            period, period_label(period), m.share.value, m.share.headroom, m.share.wallet_estimate
        ),
    ]


def comparison_period(period: Period) -> Period:
    """The previous period; ValidationFailed when the review's earliest window (the period
    before the previous one, see ``share_trend``) would fall outside the calendar."""
    try:
        previous = previous_period(period)
        previous_period(previous)
    except (ValueError, OverflowError):
        message = _("The period is too long to compare with the periods before it.")
        raise ValidationFailed(message, {"period": [message]}) from None
    return previous


def _metrics_of(account: Account, period: Period, today: date | None) -> AccountMetrics:
    report = portfolio_metrics(period, AccountFilter(account_ids=(account.id,)), today=today)
    return report.accounts[0]


def build_account_review(
    account_id: int, period: Period, user: Any, *, today: date | None = None
) -> AccountReview:
    """Everything the PDF and the workbook show for one account; NotFound when not visible."""
    previous = comparison_period(period)
    account = queries.account_for_review(account_id) if is_db_id(account_id) else None
    if account is None:
        raise NotFound(_("No such account."))
    currency = current_app.config["BASE_CURRENCY"]
    metrics = _metrics_of(account, period, today)
    before = _metrics_of(account, previous, today)
    orders = queries.orders_between(account.id, previous.start, period.end)
    od = orders_and_discounts(account.id, orders, period, previous, currency)
    buckets, bucket = revenue_buckets(period, od.orders)
    sections = plugin_host().call_sorted(
        "review_sections",
        key=lambda s: s.weight,
        account=account,
        period_start=period.start,
        period_end=period.end,
        user=user,
    )
    meta = make_meta(
        _("Account review"),
        user,
        [
            (_("Account"), f"{account.name} (#{account.id})"),
            (
                _("Period"),
                f"{period.start.isoformat()} – {period.end.isoformat()} ({period_label(period)})",
            ),
            (_("Compared with"), f"{previous.start.isoformat()} – {previous.end.isoformat()}"),
            (_("Currency"), currency),
        ],
    )
    return AccountReview(
        meta=meta,
        account=account,
        owner_name=account.owner.name,
        period=period,
        previous=previous,
        currency=currency,
        metrics=metrics,
        previous_metrics=before,
        kpis=_kpis(metrics, before, od),
        revenue_buckets=buckets,
        bucket=bucket,
        share_trend=share_trend(period, metrics, before),
        orders=od,
        sections=[s for s in sections if s is not None],
    )
