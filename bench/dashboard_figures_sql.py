"""The leadership dashboard's figures computed by bare SQL: issue 4's baseline.

The dashboard request fetches the inputs with aggregate queries and then classifies
every account in Python (lifecycle stage, segment, ABC class, health score, attention)
before it sums up. This module computes the *finished* figures the dashboard shows
for the whole company — a viewer who sees every account, no filter, plugins disabled
(so no interactions, no complaints, no plugin health measures) — with SQL alone: one
statement of CTEs, GROUP BYs and window functions. Python only passes parameters (the
admin's settings as the app reads them, see ``app_settings``) and reads the finished
rows into a dict.

It reads what the app reads: the monthly totals (``account_month_totals``) for whole
months and the orders for the partial months at a window's edges, the stored order
rhythm (``account_order_stats``), wallet estimates, segment overrides and the
settings. The rules are those of ``services.portfolio_metrics`` and ``domain``:

- money is summed in integer cents, percentages are integer hundredths (basis points)
  and health scores integer tenths, so every rounding is done on exact integers:
  ROUND_HALF_UP (away from zero on a tie) for every figure, as the app rounds them
  (``domain.money``, ``domain.ratios``, ``domain.health_score``);
- purchase cycles are in hundredths of a day (stored medians have one decimal, a
  category's median of two of them ends in .x5 at most), and the stage thresholds
  (1.5 and 2 cycles) are compared multiplied out;
- health thresholds and weights, which an admin may give with any number of decimals,
  are scaled to integers in Python (``_health_parameters``) before they are passed.

Three things are spelled per dialect (``_DIALECT``): a date's day number, the
collation that orders names the way Python compares strings, and PostgreSQL's
MATERIALIZED on the per-account steps. Everything else is plain SQL that runs on
SQLite (>= 3.25, window functions) and PostgreSQL.

``app_figures`` reads the same figures from the app's ``PortfolioMetrics`` and
``differences`` lists where two such dicts disagree; ``account_figures`` and
``app_account_figures`` do the same per account (stage, segment, class, grade and the
figures behind them), to say which accounts differ and to catch a mistake the sums
happen to hide. The bench and the tests compare both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import text

# The lists the dashboard shows (the accounts needing attention, the Pareto bars), its
# rules' constants and the settings' types come from the app: one definition each.
from b2b_loyalty.dashboard.views import ATTENTION_SHOWN, PARETO_BARS
from b2b_loyalty.domain.core_health import CORE_LABELS, EffectiveSettings
from b2b_loyalty.domain.lifecycle import DEFAULT_PURCHASE_CYCLE_DAYS
from b2b_loyalty.domain.periods import previous_period
from b2b_loyalty.domain.segmentation import SegmentRules, trailing_12_months

HEALTH_MEASURES = tuple(CORE_LABELS)
# Health thresholds are scaled to integers with this many decimals at most (an
# admin's "1.25" needs 2); more would overflow 64-bit integers on large values.
MAX_THRESHOLD_DECIMALS = 6
UNIX_EPOCH = date(1970, 1, 1)

_DIALECT = {
    # Days since 1970-01-01 (SQLite keeps dates as ISO text; julianday of a date is
    # x.5), and the collation that compares names as Python compares strings.
    "sqlite": {"day": "CAST(julianday({}) - 2440587.5 AS INTEGER)", "binary": "BINARY"},
    "postgresql": {"day": "({} - DATE '1970-01-01')", "binary": '"C"'},
}
# Both databases may inline a CTE used once into the next step, substituting its
# expressions wherever they are referenced: the per-account steps, each built on the
# last, would then be computed many times over per row (PostgreSQL: 0.6 s instead of
# 0.1 for 2,000 accounts; SQLite: 1.6 s instead of 0.4 for 10,000 when the steps are
# read once, as by ``_ACCOUNT_ROWS``). So they are MATERIALIZED where the database
# knows the word (PostgreSQL 12, SQLite 3.35); an older SQLite gives the same figures.
MATERIALIZED_SINCE = {"sqlite": (3, 35, 0), "postgresql": (12,)}


class ReportDates(NamedTuple):
    """The report the figures are for: the period, the previous period and the
    lifecycle's as-of day (the period's end, or today when earlier)."""

    period_start: date
    period_end: date
    previous_start: date
    previous_end: date
    as_of: date

    @classmethod
    def of(cls, period: Any, today: date) -> ReportDates:  # a domain Period
        previous = previous_period(period)
        return cls(period.start, period.end, previous.start, previous.end, min(period.end, today))


@dataclass(frozen=True)
class Settings:
    """The admin's settings the figures depend on, as the app reads them (its defaults
    filled in): see ``app_settings``. The difficult segment's complaint threshold is
    not used: without plugins no account has complaints, so no rule makes an account
    difficult (only an override does)."""

    segment: SegmentRules
    health: EffectiveSettings


def app_settings() -> Settings:
    """The settings read by the app's own functions (in an app context), so that the
    baseline cannot drift from the app's defaults or parsing. Read once, outside the
    clock: two one-row statements the request runs as well."""
    from b2b_loyalty.services.health import effective_settings
    from b2b_loyalty.services.portfolio_metrics import segment_rules

    return Settings(segment_rules(), effective_settings())


# --- the statement ---------------------------------------------------------------------


def _half_up(numerator: str, denominator: str) -> str:
    """numerator ÷ denominator rounded to an integer, half away from zero (Decimal's
    ROUND_HALF_UP), in integer arithmetic; NULL when the denominator is 0 or NULL."""
    n, d = numerator, denominator
    rounded = f"(2 * ABS({n}) + ABS({d})) / (2 * ABS({d}))"
    return (
        f"CASE WHEN {d} = 0 THEN NULL "
        f"WHEN ({n} < 0) = ({d} < 0) THEN {rounded} ELSE -({rounded}) END"
    )


def _graded(value: str, measure: str) -> str:
    """domain.health_score.grade_value in tenths of a point: 0 at the poor threshold,
    1000 at the good one, linear and rounded half up between. The value is brought to
    the thresholds' integer scale (and direction, so that good > poor) by a factor."""
    v, poor, good = f"({value}) * :{measure}_factor", f":{measure}_poor", f":{measure}_good"
    return (
        f"CASE WHEN {v} <= {poor} THEN 0 WHEN {v} >= {good} THEN 1000 "
        f"ELSE (2000 * ({v} - {poor}) + ({good} - {poor})) / (2 * ({good} - {poor})) END"
    )


# Net revenue and orders per account over one window: whole months from the monthly
# totals, the partial months at either edge from the orders (as queries.metrics does).
_WINDOW_TOTALS = """
{name}_totals AS (
    SELECT account_id,
           CAST(ROUND(SUM(revenue) * 100) AS BIGINT) AS revenue_cents,
           CAST(SUM(orders) AS BIGINT) AS orders
    FROM (
        SELECT account_id, revenue, orders FROM account_month_totals
        WHERE month_start BETWEEN :{name}_months_from AND :{name}_months_to
        UNION ALL
        SELECT account_id, net_amount, 1 FROM orders
        WHERE order_date BETWEEN :{name}_head_from AND :{name}_head_to
        UNION ALL
        SELECT account_id, net_amount, 1 FROM orders
        WHERE order_date BETWEEN :{name}_tail_from AND :{name}_tail_to
    ) AS {name}_rows
    GROUP BY account_id
)"""
_WINDOW_JOIN = "LEFT JOIN {name}_totals AS {name} ON {name}.account_id = a.id"

# Share of wallet in one period, for the accounts with per-category estimates: each
# estimated category's estimate (scaled as ``_scaled`` says) and our revenue in it.
_CATEGORY_WALLET = """
{name}_category_revenue AS (
    SELECT e.account_id, {estimate} AS estimate_cents,
           CAST(ROUND(COALESCE(SUM(o.net_amount), 0) * 100) AS BIGINT) AS revenue_cents
    FROM wallet_estimates AS e
    LEFT JOIN orders AS o
           ON o.account_id = e.account_id AND o.category_id = e.category_id
          AND o.order_date BETWEEN :{name}_start AND :{name}_end
    WHERE e.year = :{name}_year AND e.category_id IS NOT NULL
    GROUP BY e.account_id, e.category_id, e.estimated_spend
),
{name}_category_wallet AS (
    SELECT account_id,
           CAST(SUM(estimate_cents) AS BIGINT) AS estimate_cents,
           CAST(SUM(revenue_cents) AS BIGINT) AS revenue_cents
    FROM {name}_category_revenue
    GROUP BY account_id
)"""


# An annual wallet estimate in cents scaled to the period (× days ÷ 365) and rounded
# half up to the cent, as ``services.portfolio_metrics._share_inputs`` does (each
# estimate on its own, before a per-category sum).
_SCALED = "(2 * CAST(ROUND({estimate} * 100) AS BIGINT) * :{period}_days + 365) / 730"


def _scaled(estimate: str, period: str) -> str:
    return _SCALED.format(estimate=estimate, period=period)


# What the groups of accounts sum: every column for the company, each manager and
# each listed account (its revenue orders the lists); only the count for the groups
# counted by segment, class, stage and grade (the rest NULL, so that one row shape
# carries them all).
_SUMMED = (
    ("COUNT(*)", "accounts"),
    ("CAST(SUM(revenue_cents) AS BIGINT)", "revenue_cents"),
    ("CAST(SUM(previous_cents) AS BIGINT)", "previous_cents"),
    ("CAST(SUM(orders) AS BIGINT)", "orders"),
    ("SUM(buying)", "buying"),
    ("SUM(buying_again)", "repeat_buyers"),
    ("SUM(at_start)", "clients_at_start"),
    ("SUM(at_end)", "clients_at_end"),
    ("SUM(is_new)", "new_clients"),
    ("SUM(retained)", "retained_clients"),
    ("SUM(lost)", "clients_lost"),
    ("CAST(SUM(base_previous_cents) AS BIGINT)", "base_previous_cents"),
    ("CAST(SUM(base_revenue_cents) AS BIGINT)", "base_revenue_cents"),
    ("SUM(class_a)", "a_accounts"),
    ("SUM(class_b)", "b_accounts"),
    ("SUM(class_c)", "c_accounts"),
    ("SUM(needs_attention)", "needing_attention"),
)
_GROUP_SUMS = ",\n           ".join(f"{total} AS {name}" for total, name in _SUMMED)
_GROUP_COUNT = ",\n           ".join(
    ["COUNT(*) AS accounts"] + [f"NULL AS {name}" for _, name in _SUMMED[1:]]
)

_ACCOUNTS = """
WITH
{windows},
-- Every account ranked by its revenue in the period, largest first, ties by id; its
-- ABC class: A while less than 80 % of the positive revenue ranks above it, B while
-- less than 95 %, C otherwise and for no revenue. The rows every later step extends.
abc_ranking AS (
    SELECT a.id AS account_id, COALESCE(p.revenue_cents, 0) AS revenue_cents,
           COALESCE(SUM(CASE WHEN p.revenue_cents > 0 THEN p.revenue_cents ELSE 0 END)
                        OVER (ORDER BY COALESCE(p.revenue_cents, 0) DESC, a.id
                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
               AS revenue_ranked_above,
           SUM(CASE WHEN p.revenue_cents > 0 THEN p.revenue_cents ELSE 0 END) OVER ()
               AS positive_revenue
    FROM accounts AS a
    LEFT JOIN period_totals AS p ON p.account_id = a.id
),
abc_classes AS (
    SELECT account_id,
           CASE WHEN revenue_cents <= 0 THEN 'C'
                WHEN revenue_ranked_above * 100 < 80 * positive_revenue THEN 'A'
                WHEN revenue_ranked_above * 100 < 95 * positive_revenue THEN 'B'
                ELSE 'C'
           END AS abc
    FROM abc_ranking
),
-- The purchase cycle of an account with too few order days of its own: per main
-- category, the median of the accounts' own median intervals (3+ order days),
-- company-wide; in hundredths of a day (stored medians have one decimal).
category_cycles AS (
    SELECT main_category_id, CAST(SUM(cycle_centidays) AS BIGINT) / COUNT(*) AS cycle_centidays
    FROM (
        SELECT main_category_id,
               CAST(ROUND(median_interval_days * 10) AS BIGINT) * 10 AS cycle_centidays,
               ROW_NUMBER() OVER (PARTITION BY main_category_id
                                  ORDER BY median_interval_days) AS position,
               COUNT(*) OVER (PARTITION BY main_category_id) AS accounts
        FROM account_order_stats
        WHERE order_days >= 3 AND median_interval_days IS NOT NULL
          AND main_category_id IS NOT NULL
    ) AS ranked
    WHERE position IN ((accounts + 1) / 2, (accounts + 2) / 2)
    GROUP BY main_category_id
),
{wallets},
-- One row per account with everything the rules read: its first and last order day
-- and purchase cycle (its own median with 3+ order days, else its main category's,
-- else the default), totals per window (a window with the same dates as the period's
-- or the previous period's is read from that one), and the share of wallet's
-- fraction in each period.
account_inputs AS {materialized}(
    SELECT a.id AS account_id, a.name, a.owner_id, u.name AS owner_name, k.abc,
           CASE WHEN {closed_day} <= :as_of_day THEN 1 ELSE 0 END AS closed,
           COALESCE(period.revenue_cents, 0) AS revenue_cents,
           COALESCE(period.orders, 0) AS orders,
           COALESCE(previous.revenue_cents, 0) AS previous_cents,
           COALESCE({twelve_months}.revenue_cents, 0) AS revenue_12m_cents,
           COALESCE({twelve_months}.orders, 0) AS orders_12m,
           CASE WHEN {start_year}.orders > 0 THEN 1 ELSE 0 END AS active_at_start,
           CASE WHEN {end_year}.orders > 0 THEN 1 ELSE 0 END AS active_at_end,
           CASE WHEN {first_day} BETWEEN :period_start_day AND :period_end_day
                THEN 1 ELSE 0 END AS is_new,
           {first_day} AS first_day,
           {last_day} AS last_day,
           CASE WHEN s.order_days >= 3 AND s.median_interval_days IS NOT NULL
                THEN CAST(ROUND(s.median_interval_days * 10) AS BIGINT) * 10
                ELSE COALESCE(c.cycle_centidays, :default_cycle_centidays)
           END AS cycle_centidays,
           so.segment AS segment_override,
           -- share of wallet: our revenue ÷ the all-category estimate when there is
           -- one, else the estimated categories' revenue ÷ the sum of their estimates
           CASE WHEN pe.account_id IS NOT NULL THEN COALESCE(period.revenue_cents, 0)
                ELSE pc.revenue_cents END AS share_counted_cents,
           COALESCE({period_estimate}, pc.estimate_cents) AS share_estimate_cents,
           CASE WHEN be.account_id IS NOT NULL THEN COALESCE(previous.revenue_cents, 0)
                ELSE bc.revenue_cents END AS previous_share_counted_cents,
           COALESCE({previous_estimate}, bc.estimate_cents) AS previous_share_estimate_cents
    FROM abc_classes AS k
    JOIN accounts AS a ON a.id = k.account_id
    JOIN users AS u ON u.id = a.owner_id
    {window_joins}
    LEFT JOIN account_order_stats AS s ON s.account_id = a.id
    LEFT JOIN category_cycles AS c ON c.main_category_id = s.main_category_id
    LEFT JOIN segment_overrides AS so ON so.account_id = a.id
    LEFT JOIN wallet_estimates AS pe
           ON pe.account_id = a.id AND pe.year = :period_year AND pe.category_id IS NULL
    LEFT JOIN period_category_wallet AS pc ON pc.account_id = a.id
    LEFT JOIN wallet_estimates AS be
           ON be.account_id = a.id AND be.year = :previous_year AND be.category_id IS NULL
    LEFT JOIN previous_category_wallet AS bc ON bc.account_id = a.id
),
-- Growth, shares, days since the first and last order as they stood on the as-of
-- day (a later first order: no orders yet; a later last order: counts as that day),
-- and the segment (override, else VIP by 12-month revenue or orders, else current
-- with an order in 12 months, else none).
account_measures AS {materialized}(
    SELECT i.*,
           {growth} AS growth_bp,
           {share} AS share_bp,
           {previous_share} AS previous_share_bp,
           CASE WHEN first_day <= :as_of_day THEN :as_of_day - first_day END
               AS days_since_first,
           CASE WHEN first_day <= :as_of_day
                THEN CASE WHEN last_day > :as_of_day THEN 0 ELSE :as_of_day - last_day END
           END AS days_since_order,
           COALESCE(segment_override,
                    CASE WHEN revenue_12m_cents >= CAST(:vip_min_revenue_cents AS BIGINT)
                           OR orders_12m >= CAST(:vip_min_orders AS BIGINT) THEN 'vip'
                         WHEN orders_12m >= 1 THEN 'current'
                         ELSE 'none' END) AS segment
    FROM account_inputs AS i
),
-- Lifecycle stage (first match: closed, prospect, lost candidate > 2 cycles without
-- an order, at risk > 1.5 cycles, new ≤ 1 cycle since the first order, active), the
-- change in share and the cycles since the last order.
account_classes AS {materialized}(
    SELECT m.*,
           CASE WHEN closed = 1 THEN 'closed'
                WHEN days_since_order IS NULL THEN 'prospect'
                WHEN days_since_order * 100 > 2 * cycle_centidays THEN 'lost candidate'
                WHEN days_since_order * 200 > 3 * cycle_centidays THEN 'at risk'
                WHEN days_since_first * 100 <= cycle_centidays THEN 'new'
                ELSE 'active'
           END AS stage,
           share_bp - previous_share_bp AS share_change_bp,
           {cycles_since_order} AS cycles_since_order_hundredths
    FROM account_measures AS m
),
-- The core health measures in tenths (NULL: nothing to grade), and attention (at
-- risk, lost candidate, or a share of wallet that fell by more than 5 points).
account_scores AS {materialized}(
    SELECT c.*,
           CASE WHEN previous_cents <> 0 THEN {revenue_trend}
                WHEN revenue_cents > 0 THEN 1000
           END AS revenue_trend_score,
           {share_trend} AS share_trend_score,
           {order_recency} AS order_recency_score,
           CASE WHEN stage IN ('at risk', 'lost candidate') OR share_change_bp < -500
                THEN 1 ELSE 0 END AS needs_attention
    FROM account_classes AS c
),
-- The health score: the weighted mean of the measures with a score, in tenths,
-- rounded half up (NULL: no measure to grade).
account_health AS {materialized}(
    SELECT w.*,
           CASE WHEN weight_total > 0
                THEN (2 * weighted_score + weight_total) / (2 * weight_total)
           END AS health_tenths
    FROM (
        SELECT s.*,
               COALESCE(revenue_trend_score * :revenue_trend_weight, 0)
                 + COALESCE(share_trend_score * :share_trend_weight, 0)
                 + COALESCE(order_recency_score * :order_recency_weight, 0)
                   AS weighted_score,
               CASE WHEN revenue_trend_score IS NULL THEN 0 ELSE :revenue_trend_weight END
                 + CASE WHEN share_trend_score IS NULL THEN 0 ELSE :share_trend_weight END
                 + CASE WHEN order_recency_score IS NULL THEN 0 ELSE :order_recency_weight END
                   AS weight_total
        FROM account_scores AS s
    ) AS w
),
-- Per account: the keys it is grouped by, its health grade and what it adds to each
-- of the dashboard's sums.
account_figures AS (
    SELECT account_id, name, owner_id, owner_name, segment, abc, stage,
           CASE WHEN health_tenths IS NULL THEN 'none'
                WHEN health_tenths >= :green_from_tenths THEN 'green'
                WHEN health_tenths >= :amber_from_tenths THEN 'amber'
                ELSE 'red'
           END AS grade,
           revenue_cents, previous_cents, orders,
           CASE WHEN orders > 0 THEN 1 ELSE 0 END AS buying,
           CASE WHEN orders >= 2 THEN 1 ELSE 0 END AS buying_again,
           -- retention: active in the year before the start (and not new), in the
           -- year up to the end, new (first order ever in the period)
           CASE WHEN active_at_start = 1 AND is_new = 0 THEN 1 ELSE 0 END AS at_start,
           active_at_end AS at_end,
           is_new,
           CASE WHEN active_at_end = 1 AND is_new = 0 THEN 1 ELSE 0 END AS retained,
           CASE WHEN active_at_start = 1 AND is_new = 0 AND active_at_end = 0
                THEN 1 ELSE 0 END AS lost,
           -- net revenue retention: the clients with revenue in the previous period
           CASE WHEN previous_cents > 0 THEN previous_cents ELSE 0 END AS base_previous_cents,
           CASE WHEN previous_cents > 0 THEN revenue_cents ELSE 0 END AS base_revenue_cents,
           CASE WHEN abc = 'A' THEN 1 ELSE 0 END AS class_a,
           CASE WHEN abc = 'B' THEN 1 ELSE 0 END AS class_b,
           CASE WHEN abc = 'C' THEN 1 ELSE 0 END AS class_c,
           needs_attention,
           -- not summed: read by the per-account comparison (``_ACCOUNT_ROWS``)
           growth_bp, share_bp, previous_share_bp, share_change_bp, cycle_centidays,
           days_since_order, health_tenths
    FROM account_health
)"""

# The dashboard's sums: one row per group of accounts (see report_groups), the
# ratios computed from each group's sums.
_SUMMARY = """,
-- The groups the dashboard shows: the company, each manager, each segment, class,
-- stage and grade, and one group per listed account (ref = its id): the largest
-- needing attention and the largest of all, by revenue, ties by name (compared as
-- Python compares strings) then id.
report_groups AS (
    SELECT 'company' AS scope, 0 AS ref, '' AS label, {sums}
    FROM account_figures
    UNION ALL
    SELECT 'manager', owner_id, owner_name, {sums}
    FROM account_figures GROUP BY owner_id, owner_name
    UNION ALL
    SELECT 'segment', 0, segment, {count}
    FROM account_figures GROUP BY segment
    UNION ALL
    SELECT 'abc', 0, abc, {count}
    FROM account_figures GROUP BY abc
    UNION ALL
    SELECT 'stage', 0, stage, {count}
    FROM account_figures GROUP BY stage
    UNION ALL
    SELECT 'grade', 0, grade, {count}
    FROM account_figures GROUP BY grade
    UNION ALL
    SELECT 'attention_shown', account_id, name, {sums}
    FROM (SELECT * FROM account_figures WHERE needs_attention = 1
          ORDER BY revenue_cents DESC, name COLLATE {binary}, account_id
          LIMIT :attention_shown) AS shown
    GROUP BY account_id, name
    UNION ALL
    SELECT 'largest', account_id, name, {sums}
    FROM (SELECT * FROM account_figures
          ORDER BY revenue_cents DESC, name COLLATE {binary}, account_id
          LIMIT :largest_shown) AS largest
    GROUP BY account_id, name
)
SELECT scope, ref, label, accounts, revenue_cents, previous_cents,
       {group_growth} AS growth_bp,
       orders,
       {average_order} AS average_order_cents,
       {purchase_frequency} AS purchase_frequency_hundredths,
       clients_at_start, clients_at_end, new_clients,
       {retention} AS retention_bp,
       clients_lost,
       {churn} AS churn_bp,
       {net_revenue_retention} AS net_revenue_retention_bp,
       {repeat_purchase} AS repeat_purchase_bp,
       a_accounts, b_accounts, c_accounts,
       CASE WHEN a_accounts > 0 THEN {share_in_a} END AS share_of_accounts_in_a_bp,
       needing_attention
FROM report_groups
-- managers and listed accounts in the dashboard's order
ORDER BY scope, revenue_cents DESC, label COLLATE {binary}, ref
"""

# Each account's classification and the figures behind it, read when the dashboard's
# sums differ (to say which accounts) and by the tests (so that a mistake the sums
# happen to hide is still seen).
_ACCOUNT_ROWS = """
SELECT account_id, stage, segment, abc, grade, needs_attention, revenue_cents,
       previous_cents, growth_bp, share_bp, previous_share_bp, share_change_bp,
       cycle_centidays, days_since_order, health_tenths
FROM account_figures
ORDER BY account_id
"""

WINDOWS = ("period", "previous", "twelve_months", "start_year", "end_year")


def figures_sql(
    dialect: str, windows: Mapping[str, tuple[date, date]], materialize: bool = True
) -> str:
    """The dashboard's figures statement for a dialect (``sqlite`` or ``postgresql``)."""
    return _statement(_ACCOUNTS + _SUMMARY, dialect, windows, materialize)


def account_rows_sql(
    dialect: str, windows: Mapping[str, tuple[date, date]], materialize: bool = True
) -> str:
    """The same steps, ending in each account's classification (``_ACCOUNT_ROWS``)."""
    return _statement(_ACCOUNTS + _ACCOUNT_ROWS, dialect, windows, materialize)


def _statement(
    template: str, dialect: str, windows: Mapping[str, tuple[date, date]], materialize: bool
) -> str:
    """``template`` filled in. A window with the same dates as one before it in
    ``WINDOWS`` (the default trailing year's do coincide) is summed once and read under
    both names, as the app's TotalsCache does."""
    spelled = _DIALECT[dialect]
    day = spelled["day"].format
    read_as: dict[str, str] = {}
    for name in WINDOWS:
        read_as[name] = next(n for n in WINDOWS if windows[n] == windows[name])
    summed = [name for name in WINDOWS if read_as[name] == name]
    return template.format(
        windows=",".join(_WINDOW_TOTALS.format(name=name) for name in summed),
        window_joins="\n    ".join(_WINDOW_JOIN.format(name=name) for name in summed),
        **{name: read_as[name] for name in ("twelve_months", "start_year", "end_year")},
        wallets=",".join(
            _CATEGORY_WALLET.format(name=name, estimate=_scaled("e.estimated_spend", name))
            for name in ("period", "previous")
        ),
        period_estimate=_scaled("pe.estimated_spend", "period"),
        previous_estimate=_scaled("be.estimated_spend", "previous"),
        sums=_GROUP_SUMS,
        count=_GROUP_COUNT,
        first_day=day("s.first_order_on"),
        last_day=day("s.last_order_on"),
        closed_day=day("a.closed_on"),
        binary=spelled["binary"],
        materialized="MATERIALIZED " if materialize else "",
        growth=_half_up("(revenue_cents - previous_cents) * 10000", "previous_cents"),
        share=_half_up("share_counted_cents * 10000", "share_estimate_cents"),
        previous_share=_half_up(
            "previous_share_counted_cents * 10000", "previous_share_estimate_cents"
        ),
        cycles_since_order=_half_up("days_since_order * 10000", "cycle_centidays"),
        revenue_trend=_graded("growth_bp", "revenue_trend"),
        share_trend=_graded("share_change_bp", "share_trend"),
        order_recency=_graded("cycles_since_order_hundredths", "order_recency"),
        group_growth=_half_up("(revenue_cents - previous_cents) * 10000", "previous_cents"),
        average_order=_half_up("revenue_cents", "orders"),
        purchase_frequency=_half_up("orders * 100", "buying"),
        retention=_half_up("retained_clients * 10000", "clients_at_start"),
        churn=_half_up("clients_lost * 10000", "clients_at_start"),
        net_revenue_retention=_half_up("base_revenue_cents * 10000", "base_previous_cents"),
        repeat_purchase=_half_up("repeat_buyers * 10000", "buying"),
        share_in_a=_half_up("a_accounts * 10000", "accounts"),
    )


# --- parameters ------------------------------------------------------------------------


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _window_parameters(name: str, start: date, end: date) -> dict[str, date]:
    """The window [start, end] as whole months and two partial edges (head, tail); a
    part that does not exist is an empty range (from after to)."""
    first_full = start if start.day == 1 else _next_month(start)
    after_last = (
        _next_month(end) if _next_month(end) - timedelta(days=1) == end else end.replace(day=1)
    )
    none = (start, start - timedelta(days=1))
    if first_full >= after_last:  # no whole month: the window is one edge
        months, head, tail = none, (start, end), none
    else:
        last_month = (after_last - timedelta(days=1)).replace(day=1)
        months = (first_full, last_month)
        head = (start, first_full - timedelta(days=1)) if start < first_full else none
        tail = (after_last, end) if after_last <= end else none
    return {
        f"{name}_months_from": months[0],
        f"{name}_months_to": months[1],
        f"{name}_head_from": head[0],
        f"{name}_head_to": head[1],
        f"{name}_tail_from": tail[0],
        f"{name}_tail_to": tail[1],
    }


def windows_of(dates: ReportDates) -> dict[str, tuple[date, date]]:
    """The date windows the figures sum over: the period, the previous period, the
    trailing 12 months of the segment rules, and the years before the period's start
    and end in which a client must have ordered to be active then."""
    period_start, period_end, previous_start, previous_end, as_of = dates
    return {
        "period": (period_start, period_end),
        "previous": (previous_start, previous_end),
        "twelve_months": trailing_12_months(as_of),
        "start_year": (period_start - timedelta(days=365), period_start - timedelta(days=1)),
        "end_year": (period_end - timedelta(days=364), period_end),
    }


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _health_parameters(settings: Settings) -> dict[str, int]:
    """Thresholds, weights and grade bounds as integers. Each measure's value arrives in
    hundredths (growth %, share points, cycles); its thresholds are scaled to 10^k
    (k ≥ 2 decimals, enough for the admin's) and, when good is below poor, negated
    together with the value so that the SQL always grades upwards."""
    params: dict[str, int] = {}
    for measure in HEALTH_MEASURES:
        thresholds = settings.health.thresholds[measure]
        poor, good = thresholds.poor, thresholds.good
        places = max(2, _decimals(poor), _decimals(good))
        if places > MAX_THRESHOLD_DECIMALS:
            raise ValueError(
                f"{measure} thresholds have more than {MAX_THRESHOLD_DECIMALS} decimals"
            )
        direction = 1 if good > poor else -1
        scale = Decimal(10) ** places
        params[f"{measure}_factor"] = direction * 10 ** (places - 2)
        params[f"{measure}_poor"] = int(direction * poor * scale)
        params[f"{measure}_good"] = int(direction * good * scale)
    weights = [settings.health.weight(m) for m in HEALTH_MEASURES]
    if any(w < 0 for w in weights):
        raise ValueError("health weights cannot be negative")
    weight_scale = Decimal(10) ** max(_decimals(w) for w in weights)
    for measure, weight in zip(HEALTH_MEASURES, weights, strict=True):
        params[f"{measure}_weight"] = int(weight * weight_scale)
    params["amber_from_tenths"] = int(settings.health.amber_from * 10)
    params["green_from_tenths"] = int(settings.health.green_from * 10)
    for bound in ("amber_from", "green_from"):
        if getattr(settings.health, bound) * 10 != params[f"{bound}_tenths"]:
            raise ValueError(f"{bound} has more than one decimal")
    return params


def _cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * 100)


def _parameters(
    windows: Mapping[str, tuple[date, date]], as_of: date, settings: Settings
) -> dict[str, Any]:
    """Every parameter of the statement: the windows' parts, the periods' dates, lengths
    and estimate years, days as numbers, the settings as integers, the lists' lengths."""
    period_start, period_end = windows["period"]
    params: dict[str, Any] = {}
    for name, (start, end) in windows.items():
        params.update(_window_parameters(name, start, end))
    for name, (start, end) in (("period", windows["period"]), ("previous", windows["previous"])):
        params.update(
            {
                f"{name}_start": start,
                f"{name}_end": end,
                f"{name}_days": (end - start).days + 1,
                f"{name}_year": end.year,
            }
        )
    params.update(
        as_of_day=(as_of - UNIX_EPOCH).days,
        period_start_day=(period_start - UNIX_EPOCH).days,
        period_end_day=(period_end - UNIX_EPOCH).days,
        default_cycle_centidays=int(DEFAULT_PURCHASE_CYCLE_DAYS * 100),
        vip_min_revenue_cents=_cents(settings.segment.vip_min_revenue_12m),
        vip_min_orders=settings.segment.vip_min_orders_12m,
        attention_shown=ATTENTION_SHOWN,
        largest_shown=PARETO_BARS,
        **_health_parameters(settings),
    )
    return params


# --- reading the rows ------------------------------------------------------------------


def _money(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents).scaleb(-2)


_hundredths = _money  # percentages and ratios come back in hundredths as well

_COUNTS = {"segment": "segments", "abc": "abc", "stage": "lifecycle", "grade": "health_grades"}


def _read(rows: Iterable[Any]) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "by_manager": [],
        **{key: {} for key in _COUNTS.values()},
        "attention_shown": [],
        "largest": [],
    }
    for row in rows:
        if row.scope == "company":
            figures.update(
                accounts=row.accounts,
                revenue=_money(row.revenue_cents),
                revenue_previous=_money(row.previous_cents),
                growth=_hundredths(row.growth_bp),
                orders=row.orders,
                average_order_value=_money(row.average_order_cents),
                purchase_frequency=_hundredths(row.purchase_frequency_hundredths),
                retention_rate=_hundredths(row.retention_bp),
                clients_at_start=row.clients_at_start,
                clients_at_end=row.clients_at_end,
                new_clients=row.new_clients,
                churn_rate=_hundredths(row.churn_bp),
                clients_lost=row.clients_lost,
                net_revenue_retention=_hundredths(row.net_revenue_retention_bp),
                repeat_purchase_rate=_hundredths(row.repeat_purchase_bp),
                share_of_accounts_in_a=_hundredths(row.share_of_accounts_in_a_bp),
                a_accounts=row.a_accounts,
                b_accounts=row.b_accounts,
                c_accounts=row.c_accounts,
                needing_attention=row.needing_attention,
            )
        elif row.scope == "manager":
            figures["by_manager"].append(
                {
                    "owner_id": row.ref,
                    "owner_name": row.label,
                    "accounts": row.accounts,
                    "revenue": _money(row.revenue_cents),
                    "revenue_previous": _money(row.previous_cents),
                    "growth": _hundredths(row.growth_bp),
                    "a_accounts": row.a_accounts,
                    "needing_attention": row.needing_attention,
                }
            )
        elif row.scope in _COUNTS:
            figures[_COUNTS[row.scope]][row.label] = row.accounts
        else:  # attention_shown, largest: in the dashboard's order
            figures[row.scope].append(row.ref)
    return figures


def dashboard_figures(
    connection,  # noqa: ANN001 - a SQLAlchemy Connection
    dates: ReportDates,
    settings: Settings,
) -> dict[str, Any]:
    """The dashboard's figures for the whole company (see the module doc), as a dict
    shaped like ``app_figures``'s: one statement."""
    return _read(_execute(connection, figures_sql, dates, settings))


def account_figures(
    connection,  # noqa: ANN001 - a SQLAlchemy Connection
    dates: ReportDates,
    settings: Settings,
) -> dict[int, dict[str, Any]]:
    """Each account's classification and the figures behind it, by account id, shaped
    like ``app_account_figures``'s (same arguments as ``dashboard_figures``)."""
    return _read_accounts(_execute(connection, account_rows_sql, dates, settings))


def _execute(connection, statement, dates: ReportDates, settings: Settings):  # noqa: ANN001, ANN202
    """Run ``statement`` (``figures_sql`` or ``account_rows_sql``) for the report."""
    windows = windows_of(dates)
    dialect = connection.dialect  # server_version_info: SQLite's library version too
    materialize = dialect.server_version_info >= MATERIALIZED_SINCE[dialect.name]
    sql = statement(dialect.name, windows, materialize)
    return connection.execute(text(sql), _parameters(windows, dates.as_of, settings))


def _read_accounts(rows: Iterable[Any]) -> dict[int, dict[str, Any]]:
    return {
        row.account_id: {
            "stage": row.stage,
            "segment": row.segment,
            "abc": row.abc,
            "grade": row.grade,
            "needs_attention": bool(row.needs_attention),
            "revenue": _money(row.revenue_cents),
            "revenue_previous": _money(row.previous_cents),
            "growth": _hundredths(row.growth_bp),
            "share": _hundredths(row.share_bp),
            "share_previous": _hundredths(row.previous_share_bp),
            "share_change": _hundredths(row.share_change_bp),
            "cycle_days": _hundredths(row.cycle_centidays),
            "days_since_last_order": row.days_since_order,
            "health_score": None
            if row.health_tenths is None
            else Decimal(row.health_tenths).scaleb(-1),
        }
        for row in rows
    }


# --- the app's figures and the comparison ----------------------------------------------


def app_figures(report) -> dict[str, Any]:  # noqa: ANN001 - a PortfolioMetrics
    """The same figures from the app's report (``portfolio_metrics``), the dashboard's
    lists chosen as ``dashboard.views`` chooses them."""
    from b2b_loyalty.dashboard.views import _largest

    return {
        "accounts": len(report.accounts),
        "revenue": report.revenue,
        "revenue_previous": report.revenue_previous,
        "growth": report.growth,
        "orders": report.orders,
        "average_order_value": report.average_order_value,
        "purchase_frequency": report.purchase_frequency,
        "retention_rate": report.retention.value,
        "clients_at_start": report.retention.clients_at_start,
        "clients_at_end": report.retention.clients_at_end,
        "new_clients": report.retention.new_clients,
        "churn_rate": report.churn.value,
        "clients_lost": report.churn.clients_lost,
        "net_revenue_retention": report.net_revenue_retention.value,
        "repeat_purchase_rate": report.repeat_purchase.value,
        "share_of_accounts_in_a": report.pareto.share_of_accounts_in_a,
        "a_accounts": report.pareto.a_accounts,
        "b_accounts": report.pareto.b_accounts,
        "c_accounts": report.pareto.c_accounts,
        "needing_attention": len(report.attention),
        "by_manager": [
            {
                "owner_id": r.owner_id,
                "owner_name": r.owner_name,
                "accounts": r.accounts,
                "revenue": r.revenue,
                "revenue_previous": r.revenue_previous,
                "growth": r.growth,
                "a_accounts": r.a_accounts,
                "needing_attention": r.needing_attention,
            }
            for r in report.by_manager
        ],
        "segments": dict(report.segments),
        "abc": dict(report.abc),
        "lifecycle": dict(report.lifecycle),
        "health_grades": dict(report.health_grades),
        "attention_shown": [a.account_id for a in _largest(report.attention, ATTENTION_SHOWN)],
        "largest": [a.account_id for a in _largest(report.accounts, PARETO_BARS)],
    }


def app_account_figures(report) -> dict[int, dict[str, Any]]:  # noqa: ANN001
    """Each account's classification from the app's report (see ``account_figures``)."""
    return {
        a.account_id: {
            "stage": a.lifecycle.stage.value,
            "segment": a.segment.segment.value,
            "abc": a.abc.value,
            "grade": a.health.grade.value if a.health and a.health.grade else "none",
            "needs_attention": a.needs_attention,
            "revenue": a.revenue,
            "revenue_previous": a.revenue_previous,
            "growth": a.growth,
            "share": a.share_value,
            "share_previous": a.share_previous_value,
            "share_change": a.share_change_points,
            "cycle_days": a.lifecycle.cycle.days,
            "days_since_last_order": a.lifecycle.days_since_last_order,
            "health_score": a.health.score if a.health else None,
        }
        for a in report.accounts
    }


def account_differences(
    app: Mapping[int, Mapping[str, Any]], sql: Mapping[int, Mapping[str, Any]], limit: int = 20
) -> list[str]:
    """One line per account whose figures differ (at most ``limit``, then a count)."""
    lines = []
    for account_id in sorted(set(app) | set(sql)):
        mine, theirs = app.get(account_id), sql.get(account_id)
        if mine is None or theirs is None:
            lines.append(f"account {account_id}: only in the {'SQL' if mine is None else 'app'}")
            continue
        wrong = [
            f"{k} app {mine[k]!r} SQL {theirs.get(k)!r}" for k in mine if mine[k] != theirs.get(k)
        ]
        if wrong:
            lines.append(f"account {account_id}: " + "; ".join(wrong))
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more accounts"]
    return lines


def differences(app: Mapping[str, Any], sql: Mapping[str, Any]) -> list[str]:
    """One line per figure where the app's and the SQL's values differ (exact: Decimals
    compare by value, lists in order); empty when every figure is equal."""
    lines = []
    for key in sorted(set(app) | set(sql)):
        mine, theirs = app.get(key, "<missing>"), sql.get(key, "<missing>")
        if key == "by_manager" and isinstance(mine, list) and isinstance(theirs, list):
            lines += _manager_differences(mine, theirs)
        elif mine != theirs:
            lines.append(f"{key}: app {mine!r}, SQL {theirs!r}")
    return lines


def _manager_differences(app: list[dict], sql: list[dict]) -> list[str]:
    if [r["owner_id"] for r in app] != [r["owner_id"] for r in sql]:
        return [
            "by_manager order: app "
            f"{[r['owner_id'] for r in app]}, SQL {[r['owner_id'] for r in sql]}"
        ]
    return [
        f"by_manager[{a['owner_name']}].{key}: app {a[key]!r}, SQL {s[key]!r}"
        for a, s in zip(app, sql, strict=True)
        for key in a
        if a[key] != s.get(key)
    ]
