"""The leadership dashboard and its drill-down: the same figures as the API."""

from __future__ import annotations

import heapq

from flask import current_app, render_template, request
from flask_babel import gettext as _

from b2b_loyalty.charts import bar_chart
from b2b_loyalty.dashboard.request_args import filters_from, period_from, report_args
from b2b_loyalty.domain.lifecycle import LifecycleStage
from b2b_loyalty.domain.segmentation import Segment
from b2b_loyalty.i18n import money
from b2b_loyalty.queries.accounts import filter_choices
from b2b_loyalty.queries.pagination import clamp_page_args, page_of
from b2b_loyalty.services.bulk_build import collector_paused
from b2b_loyalty.services.errors import ValidationFailed
from b2b_loyalty.services.portfolio_metrics import AccountMetrics, portfolio_metrics

FUNNEL = [
    s.value
    for s in (
        LifecycleStage.PROSPECT,
        LifecycleStage.NEW,
        LifecycleStage.ACTIVE,
        LifecycleStage.AT_RISK,
        LifecycleStage.LOST_CANDIDATE,
        LifecycleStage.CLOSED,
    )
]


# The dashboard lists this many accounts needing attention (the drill-down lists them
# all, a page at a time) and charts this many of the largest accounts.
ATTENTION_SHOWN = 25
PARETO_BARS = 30


def _largest(accounts: list[AccountMetrics], n: int) -> list[AccountMetrics]:
    """The ``n`` accounts with the most revenue (ties by name), without sorting them all."""
    return heapq.nsmallest(n, accounts, key=lambda a: (-a.revenue, a.name))


def current_report_args() -> dict[str, str]:
    """The period and filters of this request, for links to another view of the report."""
    return report_args(request.args)


def _report():  # noqa: ANN202
    errors = None
    try:
        period, filters = period_from(request.args), filters_from(request.args)
    except ValidationFailed as exc:
        errors = exc.message
        period, filters = period_from({}), filters_from({})
    segment = request.args.get("segment", "")
    if segment not in {s.value for s in Segment}:
        segment = ""
    return portfolio_metrics(period, filters, segment=segment), errors


@collector_paused()
def dashboard():
    report, errors = _report()
    ranked = _largest(report.accounts, PARETO_BARS)
    pareto = (
        bar_chart(
            [(a.name, a.revenue) for a in ranked],
            cumulative_line=True,
            title=_("Revenue by account, largest first, with the cumulative share"),
            y_format=money,
            highlight={i for i, a in enumerate(ranked) if a.abc.value == "A"},
        )
        if ranked
        else ""
    )
    funnel = bar_chart(
        [(stage.replace("_", " "), report.lifecycle.get(stage, 0)) for stage in FUNNEL],
        title=_("Lifecycle stages"),
    )
    return render_template(
        "dashboard/dashboard.html",
        report=report,
        errors=errors,
        choices=filter_choices(),
        args=request.args,
        pareto_chart=pareto,
        funnel_chart=funnel,
        funnel=FUNNEL,
        attention_shown=_largest(report.attention, ATTENTION_SHOWN),
    )


def _matches(account: AccountMetrics, metric: str, value: str) -> bool:
    return {
        "segment": lambda: account.segment_value == value,
        "abc": lambda: account.abc.value == value,
        "lifecycle": lambda: account.lifecycle_stage == value,
        "attention": lambda: account.needs_attention,
        "owner": lambda: str(account.owner_id) == value,
        "health": lambda: (
            (account.health.grade.value if account.health and account.health.grade else "none")
            == value
        ),
        "buying": lambda: account.orders > 0,
        "all": lambda: True,
    }.get(metric, lambda: False)()


@collector_paused()
def drill_down():
    report, errors = _report()
    metric, value = request.args.get("metric", "all"), request.args.get("value", "")
    accounts = [a for a in report.accounts if _matches(a, metric, value)]
    page_number, per_page = clamp_page_args(
        request.args.get("page"), request.args.get("per_page"), current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "dashboard/accounts.html",
        report=report,
        page=page_of(accounts, page_number, per_page),
        metric=metric,
        value=value,
        errors=errors,
    )
