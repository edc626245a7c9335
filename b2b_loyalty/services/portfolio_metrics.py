"""Account and portfolio metrics for a period, composed from SQL aggregates and the
pure formulas in ``b2b_loyalty.domain``. The dashboard, the account page and the
API all call ``portfolio_metrics``, so they show the same numbers.

Definitions (each result carries its inputs and formula, see the domain modules):
- revenue = net order amounts in the period; growth against the previous period
  of the same length;
- share of wallet = revenue in the period ÷ (the annual wallet estimate of the
  period's end year × days in period ÷ 365), so that a quarter is compared
  with a quarter of the yearly spend;
- a client is *active* on a day when it ordered in the 365 days up to it;
  retention uses the clients active at the period's start and end, and *new*
  clients are those whose first order ever falls in the period;
- ABC classes rank the whole company's accounts by revenue in the period (a
  class is a property of the account, the same whoever looks at it);
- lifecycle stage is as of the period's end (or today when earlier), from the
  stored order rhythm and the last interaction that plugins report;
- CLV = the account's gross margin in the period (per year) × expected years
  retained from the company retention rate of the period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from flask import current_app

from b2b_loyalty.domain.attention import attention_reasons, needs_attention
from b2b_loyalty.domain.health_score import HealthScore
from b2b_loyalty.domain.lifecycle import (
    LifecycleStage,
    LifecycleStatus,
    classify_lifecycle,
    cycle_from_summary,
    needs_category_cycle,
    orders_as_of,
    stage_of,
    summary_cycle,
)
from b2b_loyalty.domain.lifetime_value import LifetimeValue, customer_lifetime_value
from b2b_loyalty.domain.money import round_money
from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.domain.pareto import AbcClass, ParetoAnalysis, abc_analysis
from b2b_loyalty.domain.periods import length_in_days, previous_period
from b2b_loyalty.domain.ratios import change_in_points, percent, ratio
from b2b_loyalty.domain.retention import (
    ChurnRate,
    NetRevenueRetention,
    RepeatPurchaseRate,
    RetentionRate,
    churn_rate,
    lost_clients,
    net_revenue_retention,
    repeat_purchase_rate,
    retention_rate,
)
from b2b_loyalty.domain.segmentation import (
    AccountFigures,
    Segment,
    SegmentAssignment,
    SegmentRules,
    assign_segment,
    segment_of,
    trailing_12_months,
)
from b2b_loyalty.domain.segmentation import SegmentOverride as OverrideValue
from b2b_loyalty.domain.share_of_wallet import (
    AccountShareOfWallet,
    share_of_total,
    share_of_wallet,
    share_value,
)
from b2b_loyalty.domain.wallet_allocation import WalletAllocationEstimate, wallet_allocation_share
from b2b_loyalty.plugin_api import AccountAlert
from b2b_loyalty.plugin_host import plugin_host
from b2b_loyalty.queries import metrics as q
from b2b_loyalty.services.bulk_build import collector_paused
from b2b_loyalty.services.company_ranking import company_abc_classes

# Used when no admin has saved segment rules yet (documented in the README).
DEFAULT_SEGMENT_RULES = {
    "vip_min_revenue_12m": Decimal(100_000),
    "vip_min_orders_12m": None,
    "difficult_min_complaints": 3,
}
ZERO = Decimal(0)
NO_ORDERS = q.OrderTotals()
CLASS_A, CLASS_C = AbcClass.A, AbcClass.C  # read once per account: plain names are faster
DAYS_PER_YEAR = Decimal(365)


class AlertsOnDemand:
    """The plugins' alerts for every account of one report, asked for the first time
    any account's alerts are read — then for all of them in one hook call, so a report
    that shows them stays bounded. The dashboard never shows them, and writing them
    (the engagement plugin's per-person sentences) cost a quarter of a 10,000-account
    dashboard."""

    __slots__ = ("_account_ids", "_as_of", "_by_account")

    def __init__(self, account_ids: list[int], as_of: date) -> None:
        self._account_ids = account_ids
        self._as_of = as_of
        self._by_account: dict[int, list[AccountAlert]] | None = None

    def of(self, account_id: int) -> list[AccountAlert]:
        if self._by_account is None:
            by_account: dict[int, list[AccountAlert]] = {}
            for alert in plugin_host().call(
                "account_alerts", account_ids=self._account_ids, as_of=self._as_of
            ):
                by_account.setdefault(alert.account_id, []).append(alert)
            self._by_account = by_account
        return self._by_account.get(account_id, [])


class MarginsOnDemand:
    """The period's gross margin of every account of one report, summed the first time
    any account's margin is read — then for all of them in one statement (``fetch``),
    as ``AlertsOnDemand`` does for alerts. The dashboard never shows margins; summing
    them widened its largest statement by two sums and 20,000 Decimals."""

    __slots__ = ("_by_account", "_fetch")

    def __init__(self, fetch: Callable[[], dict[int, q.OrderTotals]]) -> None:
        self._fetch = fetch
        self._by_account: dict[int, q.OrderTotals] | None = None

    def of(self, account_id: int) -> Decimal | None:
        if self._by_account is None:
            self._by_account = self._fetch()
        totals = self._by_account.get(account_id, NO_ORDERS)
        return totals.margin if totals.margin_revenue else None


@dataclass
class AccountMetrics:
    account_id: int
    name: str
    owner_id: int
    owner_name: str
    region: str | None
    industry: str | None
    revenue: Decimal
    revenue_previous: Decimal
    growth: Decimal | None
    orders: int
    currency: str
    categories: int
    # The values a report counts, ranks and compares: the share of wallet in each
    # period, the segment, the lifecycle stage and the days health grades recency by.
    # What explains them (``share``, ``share_previous``, ``segment``, ``lifecycle``), the
    # margin, CLV and the alerts are built from ``row`` and ``inputs`` when someone reads
    # them: the dashboard values 10,000 accounts and explains the few it shows.
    share_value: Decimal | None
    share_previous_value: Decimal | None
    share_change_points: Decimal | None
    segment_value: Segment
    lifecycle_stage: LifecycleStage
    days_since_last_order: int | None
    cycle_days: Decimal
    abc: AbcClass
    row: q.AccountRow = field(repr=False, compare=False)
    inputs: ReportInputs = field(repr=False, compare=False)
    needs_attention: bool = False  # whether ``attention`` has reasons (see domain.attention)
    health: HealthScore | None = None
    # Wallet Allocation Rule estimate, when no spend estimate exists but a ranking does.
    share_estimate: WalletAllocationEstimate | None = None

    @cached_property
    def share(self) -> AccountShareOfWallet:
        return _share_inputs(*self.inputs.share_args(self.account_id, self.revenue, 0)).explained()

    @cached_property
    def share_previous(self) -> AccountShareOfWallet:
        args = self.inputs.share_args(self.account_id, self.revenue_previous, 1)
        return _share_inputs(*args).explained()

    @cached_property
    def lifecycle(self) -> LifecycleStatus:
        """The stage with its reason (the same rule that gave ``lifecycle_stage``)."""
        return _lifecycle(*self.inputs.lifecycle_args(self.account_id, self.row))

    @cached_property
    def segment(self) -> SegmentAssignment:
        """The segment with its reason (the same rule that gave ``segment_value``)."""
        return assign_segment(*self.inputs.segment_args(self.account_id))

    @cached_property
    def gross_margin(self) -> Decimal | None:
        """Net revenue − quantity × unit cost over the period's orders whose cost is
        known; ``None`` when no order has a known cost."""
        return self.inputs.margins.of(self.account_id)

    @cached_property
    def alerts(self) -> list[AccountAlert]:
        """What the plugins warn about at this account (``account_alerts`` hook)."""
        return self.inputs.alerts.of(self.account_id)

    @cached_property
    def average_order_value(self) -> Decimal | None:
        return round_money(self.revenue / self.orders, self.currency) if self.orders else None

    @cached_property
    def clv(self) -> LifetimeValue | None:
        days_in_period, retention = self.inputs.days_in_period, self.inputs.company_retention
        margin = self.gross_margin
        if margin is None or retention is None:
            return None
        per_year = margin * DAYS_PER_YEAR / days_in_period
        return customer_lifetime_value(per_year, retention, currency=self.currency)

    @cached_property
    def attention(self) -> list[str]:
        """Why the account needs attention (empty when it does not), see domain.attention."""
        return attention_reasons(
            self.lifecycle, self.share_previous_value, self.share_value, self.share_change_points
        )


@dataclass(eq=False)
class ReportInputs:
    """What every account of one report is valued and explained from, read once for the
    report: the loop values each account through these methods, and an account's
    explanations are built through the same methods when read."""

    periods: tuple[Period, Period]  # the period and the previous one
    years: tuple[int, int]  # whose wallet estimates each is compared with
    scales: tuple[Decimal, Decimal]  # days in each ÷ 365 (see ``_year_fraction``)
    by_category: tuple[dict[int, dict[str, Decimal]], dict[int, dict[str, Decimal]]]
    estimates: dict[tuple[int, int], q.WalletEstimates]
    stats: dict[int, q.OrderStatsRow]
    category_cycles: dict[int, Decimal]
    as_of: date
    facts: dict[tuple[int, str], object]
    trailing: dict[int, q.OrderTotals]
    overrides: dict
    rules: SegmentRules
    currency: str
    days_in_period: Decimal
    company_retention: Decimal | None  # CLV's (see the module doc)
    margins: MarginsOnDemand
    alerts: AlertsOnDemand

    def share_args(self, account_id: int, revenue: Decimal, which: int) -> tuple:
        """The arguments of ``_share_inputs`` and ``_share_value`` for the period
        (``which`` = 0) or the previous one (1), ``revenue`` being the account's in it."""
        return (
            account_id,
            self.periods[which],
            self.by_category[which].get(account_id) or _one_line(revenue),
            self.estimates.get((account_id, self.years[which])),
            self.scales[which],
            self.currency,
        )

    def lifecycle_args(self, account_id: int, row: q.AccountRow) -> tuple:
        """The arguments of ``_lifecycle`` and ``_stage``."""
        last_interaction = self.facts.get((account_id, "last_interaction_on"))
        return self.stats.get(account_id), self.category_cycles, self.as_of, last_interaction, row

    def segment_args(self, account_id: int) -> tuple:
        """The arguments of ``assign_segment`` and ``segment_of``."""
        t12 = self.trailing.get(account_id, NO_ORDERS)
        complaints = int(self.facts.get((account_id, "complaints_12m"), 0) or 0)
        override = self.overrides.get(account_id)
        return (
            AccountFigures(t12.revenue, t12.orders, complaints),
            self.rules,
            OverrideValue(Segment(override.segment), override.reason) if override else None,
        )


@dataclass
class ManagerRow:
    owner_id: int
    owner_name: str
    accounts: int
    revenue: Decimal
    revenue_previous: Decimal
    growth: Decimal | None
    a_accounts: int
    needing_attention: int


@dataclass
class PortfolioMetrics:
    period: Period
    previous: Period
    accounts: list[AccountMetrics]
    revenue: Decimal
    revenue_previous: Decimal
    growth: Decimal | None
    orders: int
    average_order_value: Decimal | None
    purchase_frequency: Decimal | None
    retention: RetentionRate
    churn: ChurnRate
    net_revenue_retention: NetRevenueRetention
    repeat_purchase: RepeatPurchaseRate
    pareto: ParetoAnalysis
    company_retention: Decimal | None
    by_manager: list[ManagerRow]
    segments: Counter
    abc: Counter
    lifecycle: Counter
    health_grades: Counter

    @cached_property
    def attention(self) -> list[AccountMetrics]:
        return [a for a in self.accounts if a.needs_attention]


def segment_rules() -> SegmentRules:
    """The admin's segment rules, the defaults (``DEFAULT_SEGMENT_RULES``) until saved."""
    row = q.segment_rules()
    values = (
        DEFAULT_SEGMENT_RULES
        if row is None
        else {
            "vip_min_revenue_12m": row.vip_min_revenue_12m,
            "vip_min_orders_12m": row.vip_min_orders_12m,
            "difficult_min_complaints": row.difficult_min_complaints,
        }
    )
    return SegmentRules(**values, currency=current_app.config["BASE_CURRENCY"])


def _one_line(revenue: Decimal) -> dict[str, Decimal]:
    """Revenue of an account without per-category estimates, as one line: its
    share of wallet is measured against the all-categories estimate only."""
    return {"all categories": revenue} if revenue else {}


@dataclass(slots=True)
class ShareInputs:
    """What one account's share of wallet in one period is computed from: revenue per
    category and the estimates scaled to the period (see ``_year_fraction``)."""

    account_id: int
    period_start: date
    revenue: dict[str, Decimal]
    by_category: dict[str, Decimal | None] | None
    all_categories: Decimal | None
    currency: str

    def value(self) -> Decimal | None:
        if self.by_category is None:  # no estimate at all (see ``_share_inputs``)
            return None
        return share_value(self.revenue, self.by_category, self.all_categories)

    def explained(self) -> AccountShareOfWallet:
        return share_of_wallet(
            self.account_id,
            self.period_start,
            self.revenue,
            self.by_category,
            self.all_categories,
            self.currency,
        )


def _share_inputs(
    account_id: int,
    period: Period,
    revenue: dict[str, Decimal],
    estimates: q.WalletEstimates | None,
    scale: Decimal,
    currency: str,
) -> ShareInputs:
    """``scale`` = days in period ÷ 365 (see ``_year_fraction``): the part of the
    annual estimate the period is compared with."""
    if estimates is None:
        return ShareInputs(account_id, period.start, revenue, None, None, currency)
    return ShareInputs(
        account_id,
        period.start,
        revenue,
        {k: _scaled(v, scale, currency) for k, v in estimates.by_category.items()}
        if estimates.by_category
        else {},
        None
        if estimates.all_categories is None
        else _scaled(estimates.all_categories, scale, currency),
        currency,
    )


def _scaled(annual_estimate: Decimal, scale: Decimal, currency: str) -> Decimal:
    """The part of an annual estimate a period is compared with (money, rounded)."""
    return round_money(annual_estimate * scale, currency)


def _share_value(
    account_id: int,
    period: Period,
    revenue: dict[str, Decimal],
    estimates: q.WalletEstimates | None,
    scale: Decimal,
    currency: str,
) -> Decimal | None:
    """``_share_inputs(...).value()``, without building the inputs for the usual case of
    one estimate for all categories (the dashboard values 20,000 shares, explains few)."""
    if estimates is None:
        return None
    if estimates.all_categories is not None and not estimates.by_category:
        scaled = _scaled(estimates.all_categories, scale, currency)
        return share_of_total(sum(revenue.values(), ZERO), scaled)
    return _share_inputs(account_id, period, revenue, estimates, scale, currency).value()


def _year_fraction(period: Period) -> Decimal:
    return Decimal(length_in_days(period)) / Decimal(365)


def _facts(account_ids: list[int], as_of: date) -> dict[tuple[int, str], object]:
    facts = plugin_host().call("account_facts", account_ids=account_ids, as_of=as_of)
    result: dict[tuple[int, str], object] = {}
    for fact in facts:
        key = (fact.account_id, fact.key)
        if fact.key == "last_interaction_on" and key in result:
            result[key] = max(result[key], fact.value)  # several plugins: the latest wins
        elif fact.key == "complaints_12m" and key in result:
            result[key] = result[key] + fact.value
        else:
            result[key] = fact.value
    return result


def portfolio_metrics(
    period: Period,
    filters: q.AccountFilter | None = None,
    *,
    today: date | None = None,
    segment: str = "",
) -> PortfolioMetrics:
    """Every metric of the filtered (and visible) accounts for ``period``; bounded queries."""
    with collector_paused():
        return _portfolio_metrics(period, filters, today=today, segment=segment)


def _portfolio_metrics(
    period: Period,
    filters: q.AccountFilter | None,
    *,
    today: date | None,
    segment: str,
) -> PortfolioMetrics:
    today = today or date.today()
    filters = filters or q.AccountFilter()
    currency = current_app.config["BASE_CURRENCY"]
    previous = previous_period(period)
    as_of = min(period.end, today)
    rows = q.account_rows(filters)
    ids = [r.id for r in rows]
    cache = q.TotalsCache(filters)
    # Margins with the period's totals for chosen accounts (an account page shows CLV),
    # else when first read (see ``MarginsOnDemand``); the cache serves both.
    totals = q.order_totals(filters, period, cache, margins=filters.account_ids is not None)
    margins = MarginsOnDemand(lambda: q.order_totals(filters, period, cache))
    totals_before = q.order_totals(filters, previous, cache, margins=False)
    years = (period.end.year, previous.end.year)
    # Cross-sell breadth reads every order line of the period: only for one account.
    categories = q.category_counts(filters, period) if filters.account_ids is not None else {}
    estimates = q.wallet_estimates(filters, years)
    # Revenue per category only for the accounts with estimates per category.
    per_category = {i for (i, _year), e in estimates.items() if e.by_category}
    by_category = q.revenue_by_category(period, per_category)
    by_category_before = q.revenue_by_category(previous, per_category)
    rankings = q.supplier_rankings(filters, period.end.year)
    activity = q.activity(filters, period, cache)
    stats = q.order_stats(filters)
    overrides = q.segment_overrides(filters)
    t12_start, t12_end = trailing_12_months(as_of)
    trailing = q.order_totals(filters, Period(t12_start, t12_end), cache, margins=False)
    unfiltered = q.account_restriction(filters) is None
    # Unfiltered, the visible accounts are the company: one ranking serves both the
    # classes and the portfolio's Pareto figures (zero-revenue accounts rank last as C).
    company_pareto = (
        abc_analysis({r.id: totals[r.id].revenue if r.id in totals else ZERO for r in rows})
        if unfiltered
        else None
    )
    company_abc = _company_abc(period, company_pareto)
    category_cycles = q.category_median_cycles(
        s.main_category_id
        for s in stats.values()
        if s.main_category_id is not None
        and needs_category_cycle(s.order_days, s.median_interval_days)
    )
    facts = _facts(ids, as_of)

    # Portfolio retention among the filtered accounts.
    at_start, at_end = set(activity.at_start), activity.at_end
    new = {
        i
        for i, s in stats.items()
        if s.first_order_on and period.start <= s.first_order_on <= period.end
    }
    at_start -= new  # a client cannot be both at the start and new in the period
    retention = retention_rate(at_start, at_end, new)
    churn = churn_rate(at_start, lost_clients(at_start, at_end))
    company_retention = (
        retention.value if retention.value is not None and retention.value <= 100 else None
    )

    inputs = ReportInputs(
        periods=(period, previous),
        years=(period.end.year, previous.end.year),
        scales=(_year_fraction(period), _year_fraction(previous)),
        by_category=(by_category, by_category_before),
        estimates=estimates,
        stats=stats,
        category_cycles=category_cycles,
        as_of=as_of,
        facts=facts,
        trailing=trailing,
        overrides=overrides,
        rules=segment_rules(),
        currency=currency,
        days_in_period=Decimal(length_in_days(period)),
        company_retention=company_retention,
        margins=margins,
        alerts=AlertsOnDemand(ids, as_of),
    )

    # One pass over up to 10,000 accounts: each is valued by the same rules that
    # explain it, and every sentence is left to be written when someone reads it.
    accounts: list[AccountMetrics] = []
    for row in rows:
        account_id = row.id
        now = totals.get(account_id, NO_ORDERS)
        before = totals_before.get(account_id, NO_ORDERS)
        share_now_value = _share_value(*inputs.share_args(account_id, now.revenue, 0))
        share_before_value = _share_value(*inputs.share_args(account_id, before.revenue, 1))
        share_change = change_in_points(share_now_value, share_before_value)
        stage, since_order, cycle_days = _stage(*inputs.lifecycle_args(account_id, row))
        # Positional, in the fields' order: keywords cost a microsecond more per account.
        # tests/test_metrics.py holds each value to what explains it.
        metrics = AccountMetrics(
            account_id,
            row.name,
            row.owner_id,
            row.owner_name,
            row.region,
            row.industry,
            now.revenue,
            before.revenue,
            percent(now.revenue - before.revenue, before.revenue),
            now.orders,
            currency,
            categories.get(account_id, 0),
            share_now_value,
            share_before_value,
            share_change,
            segment_of(*inputs.segment_args(account_id)),
            stage,
            since_order,
            cycle_days,
            company_abc.get(account_id, CLASS_C),
            row,
            inputs,
            needs_attention(stage, share_change),
        )
        if share_now_value is None and account_id in rankings:
            rank, suppliers = rankings[account_id]
            metrics.share_estimate = wallet_allocation_share(
                rank, suppliers, now.revenue or None, currency
            )
        accounts.append(metrics)
    if segment:
        accounts = [a for a in accounts if a.segment_value == segment]
    from b2b_loyalty.services.health import score_accounts

    scores = score_accounts(accounts, as_of)
    for account in accounts:
        account.health = scores.get(account.account_id)
    pareto = company_pareto if company_pareto is not None and not segment else None
    return _summarise(period, previous, accounts, retention, churn, company_retention, pareto)


def _lifecycle(
    s: q.OrderStatsRow | None,
    category_cycles: dict[int, Decimal],
    as_of: date,
    last_interaction: date | None,
    row: q.AccountRow,
) -> LifecycleStatus:
    """The account's stage as of ``as_of`` from its stored order rhythm (orders after
    ``as_of`` are not counted: a past period is replayed as it stood)."""
    summary, first, last = _rhythm(s, category_cycles, as_of)
    return classify_lifecycle(
        as_of,
        first,
        last,
        cycle_from_summary(*summary),
        last_interaction,
        closed=_closed(row, as_of),
        closed_note=row.closed_reason,
    )


def _stage(
    s: q.OrderStatsRow | None,
    category_cycles: dict[int, Decimal],
    as_of: date,
    last_interaction: date | None,
    row: q.AccountRow,
) -> tuple[LifecycleStage, int | None, Decimal]:
    """``_lifecycle``'s stage, days since the last order and cycle in days, by the same
    rules (``domain.lifecycle.stage_of``), without the status that explains them."""
    summary, first, last = _rhythm(s, category_cycles, as_of)
    cycle_days = summary_cycle(*summary)[0]
    stage, since_order, _since_contact = stage_of(
        as_of, first, last, cycle_days, last_interaction, _closed(row, as_of)
    )
    return stage, since_order, cycle_days


def _rhythm(
    s: q.OrderStatsRow | None, category_cycles: dict[int, Decimal], as_of: date
) -> tuple[tuple[int, Decimal | None, Decimal | None], date | None, date | None]:
    """The purchase cycle's summary (order days, the account's median interval, its
    category's median) and the first and last order day as of ``as_of``."""
    if s is None:
        return (0, None, None), None, None
    first, last = orders_as_of(s.first_order_on, s.last_order_on, as_of)
    summary = (s.order_days, s.median_interval_days, category_cycles.get(s.main_category_id))
    return summary, first, last


def _closed(row: q.AccountRow, as_of: date) -> bool:
    return row.closed_on is not None and row.closed_on <= as_of


def _company_abc(period: Period, company_pareto: ParetoAnalysis | None) -> dict[int, AbcClass]:
    """ABC class per shown account, in the whole company's ranking (see the module doc)."""
    if company_pareto is not None:
        return company_pareto.classes
    return company_abc_classes(period)


def _summarise(
    period, previous, accounts, retention, churn, company_retention, pareto=None
) -> PortfolioMetrics:  # noqa: ANN001
    revenue = revenue_previous = ZERO
    orders = buying = 0
    managers: dict[int, ManagerRow] = {}
    segments: Counter = Counter()
    abc: Counter = Counter()
    lifecycle: Counter = Counter()
    health_grades: Counter = Counter()
    revenue_now_of_retained: dict[int, Decimal] = {}
    revenue_before_of_retained: dict[int, Decimal] = {}
    orders_of_buyers: dict[int, int] = {}
    # One pass; the counters are keyed by the enum members (a member's ``.value`` is a
    # slow descriptor) and turned into their string values at the end.
    for a in accounts:
        revenue += a.revenue
        revenue_previous += a.revenue_previous
        if a.orders:
            orders += a.orders
            buying += 1
            orders_of_buyers[a.account_id] = a.orders
        if a.revenue_previous > 0:
            revenue_now_of_retained[a.account_id] = a.revenue
            revenue_before_of_retained[a.account_id] = a.revenue_previous
        row = managers.get(a.owner_id)
        if row is None:
            row = managers[a.owner_id] = ManagerRow(
                a.owner_id, a.owner_name, 0, ZERO, ZERO, None, 0, 0
            )
        row.accounts += 1
        row.revenue += a.revenue
        row.revenue_previous += a.revenue_previous
        row.a_accounts += a.abc is CLASS_A
        row.needing_attention += a.needs_attention
        segments[a.segment_value] += 1
        abc[a.abc] += 1
        lifecycle[a.lifecycle_stage] += 1
        health_grades[a.health.grade if a.health and a.health.grade else None] += 1
    for row in managers.values():
        row.growth = percent(row.revenue - row.revenue_previous, row.revenue_previous)
    return PortfolioMetrics(
        period=period,
        previous=previous,
        accounts=accounts,
        revenue=revenue,
        revenue_previous=revenue_previous,
        growth=percent(revenue - revenue_previous, revenue_previous),
        orders=orders,
        average_order_value=round_money(revenue / orders, current_app.config["BASE_CURRENCY"])
        if orders
        else None,
        purchase_frequency=ratio(orders, buying),
        retention=retention,
        churn=churn,
        net_revenue_retention=net_revenue_retention(
            revenue_before_of_retained, revenue_now_of_retained
        ),
        repeat_purchase=repeat_purchase_rate(orders_of_buyers),
        pareto=pareto or abc_analysis({a.account_id: a.revenue for a in accounts}),
        company_retention=company_retention,
        by_manager=sorted(managers.values(), key=lambda r: (-r.revenue, r.owner_name)),
        segments=_by_value(segments),
        abc=_by_value(abc),
        lifecycle=_by_value(lifecycle),
        health_grades=Counter(
            {("none" if g is None else g.value): n for g, n in health_grades.items()}
        ),
    )


def _by_value(counts: Counter) -> Counter:
    return Counter({member.value: n for member, n in counts.items()})
