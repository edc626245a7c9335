"""The portfolio review for sales leadership: every account the user may see, ranked.

Figures come from the core's ``portfolio_metrics`` (the dashboard and
``GET /api/v1/portfolio/metrics`` call it too), which runs a bounded number of
statements whatever the number of accounts; this module only ranks and groups
in Python. An account manager's review holds their portfolio only, because the
central access rule filters every query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.queries.metrics import AccountFilter
from b2b_loyalty.services.portfolio_metrics import (
    AccountMetrics,
    ManagerRow,
    PortfolioMetrics,
    portfolio_metrics,
)
from plugins.account_review.domain.file_names import period_label
from plugins.account_review.domain.ranking import Ranked, rank_by_revenue
from plugins.account_review.services.export_meta import ExportMeta, make_meta

# The Pareto chart shows the largest accounts; the table and the workbook hold all.
PARETO_CHART_ACCOUNTS = 30


@dataclass
class PortfolioReview:
    meta: ExportMeta
    period: Period
    currency: str
    report: PortfolioMetrics
    ranked: list[Ranked[AccountMetrics]]
    managers: list[ManagerRow]

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def pareto(self) -> list[Ranked[AccountMetrics]]:
        return self.ranked[:PARETO_CHART_ACCOUNTS]

    @property
    def alerts(self) -> int:
        return sum(len(r.item.alerts) for r in self.ranked)


def _filter_labels(filters: AccountFilter, segment: str, owner_names: dict[int, str]) -> list:
    labels = []
    if filters.owner_id:
        labels.append((_("Manager"), owner_names.get(filters.owner_id, f"#{filters.owner_id}")))
    if filters.region:
        labels.append((_("Region"), filters.region))
    if filters.industry:
        labels.append((_("Industry"), filters.industry))
    if segment:
        labels.append((_("Segment"), segment))
    return labels


def build_portfolio_review(
    period: Period,
    user: Any,
    filters: AccountFilter | None = None,
    *,
    segment: str = "",
    today: date | None = None,
) -> PortfolioReview:
    """Ranked accounts with their KPIs, totals per manager, portfolio KPIs."""
    filters = filters or AccountFilter()
    report = portfolio_metrics(period, filters, today=today, segment=segment)
    ranked = rank_by_revenue(
        report.accounts,
        revenue=lambda a: a.revenue,
        name=lambda a: a.name,
        key=lambda a: a.account_id,
    )
    owners = {a.owner_id: a.owner_name for a in report.accounts}
    meta = make_meta(
        _("Portfolio review"),
        user,
        [
            (
                _("Period"),
                f"{period.start.isoformat()} – {period.end.isoformat()} ({period_label(period)})",
            ),
            (
                _("Compared with"),
                f"{report.previous.start.isoformat()} – {report.previous.end.isoformat()}",
            ),
            *_filter_labels(filters, segment, owners),
            (_("Accounts"), str(len(report.accounts))),
            (_("Currency"), current_app.config["BASE_CURRENCY"]),
        ],
    )
    return PortfolioReview(
        meta=meta,
        period=period,
        currency=current_app.config["BASE_CURRENCY"],
        report=report,
        ranked=ranked,
        managers=list(report.by_manager),
    )
