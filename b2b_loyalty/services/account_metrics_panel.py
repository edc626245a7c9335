"""What the account page's metrics panel shows: the dashboard's figures for one account,
plus its monthly revenue and share-of-wallet charts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from b2b_loyalty.charts import Series, bar_chart, line_chart
from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.domain.periods import parse_period, previous_period
from b2b_loyalty.i18n import money
from b2b_loyalty.queries import metrics as q
from b2b_loyalty.services.portfolio_metrics import portfolio_metrics

TREND_MONTHS = 24


def _months_back(today: date, count: int) -> list[tuple[int, int]]:
    index = today.year * 12 + today.month - 1
    return [((i) // 12, (i) % 12 + 1) for i in range(index - count + 1, index + 1)]


def metrics_panel_context(account: Any, today: date | None = None) -> dict[str, Any]:
    today = today or date.today()
    period = parse_period(None, today=today)
    report = portfolio_metrics(period, q.AccountFilter(account_ids=(account.id,)), today=today)
    metrics = report.accounts[0]
    months = _months_back(today, TREND_MONTHS)
    revenue = q.monthly_revenue(account.id, date(months[0][0], months[0][1], 1), today)
    revenue_chart = bar_chart(
        [
            (format_date(date(y, m, 1), "MMM yy"), revenue.get((y, m), Decimal(0)))
            for y, m in months
        ],
        title=_("Net revenue by month"),
        y_format=money,
    )
    before = previous_period(period)
    shares = [(before, metrics.share_previous), (period, metrics.share)]
    known = [(p, s) for p, s in shares if s.value is not None]
    share_chart = (
        line_chart(
            [
                Series(
                    _("Share of wallet %%"),
                    [(Decimal(i), s.value) for i, (_p, s) in enumerate(known)],
                )
            ],
            title=_("Share of wallet, previous and last 12 months"),
            x_format=lambda v: period_label(known[int(v)][0]) if 0 <= int(v) < len(known) else "",
        )
        if known
        else ""
    )
    return {
        "m": metrics,
        "revenue_chart": revenue_chart,
        "share_chart": share_chart,
        "period": period,
    }


def period_label(period: Period) -> str:
    """A period as a short chart label, e.g. "Jan 26–Dec 26"."""
    return f"{format_date(period.start, 'MMM yy')}–{format_date(period.end, 'MMM yy')}"
