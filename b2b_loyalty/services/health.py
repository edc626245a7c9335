"""Account health scores: core measures graded from the metrics, plugin measures from the
``account_health_measures`` hook, weights and thresholds from the admin's settings.

Defaults (used until an admin saves settings):
- revenue trend: growth against the previous period, 0 at −20 %, 100 at +10 %;
- share-of-wallet trend: change in points, 0 at −10, 100 at +5;
- order recency: days since the last order ÷ purchase cycle, 100 at ≤ 1, 0 at ≥ 2;
- every measure weighs 1; red below 40, amber below 70, green from 70.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import and_, func, select

from b2b_loyalty.domain.health_score import (
    GradedMeasure,
    HealthScore,
    Thresholds,
    combine_scores,
    grade_value,
)
from b2b_loyalty.extensions import db
from b2b_loyalty.models import AccountHealthScore, HealthSettings
from b2b_loyalty.plugin_host import plugin_host
from b2b_loyalty.queries.id_lists import among

if TYPE_CHECKING:
    from b2b_loyalty.domain.lifecycle import LifecycleStatus
    from b2b_loyalty.services.portfolio_metrics import AccountMetrics

DEFAULT_THRESHOLDS = {
    "revenue_trend": {"poor": "-20", "good": "10"},
    "share_trend": {"poor": "-10", "good": "5"},
    "order_recency": {"poor": "2", "good": "1"},
}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
CORE_LABELS = {
    "revenue_trend": "Revenue trend",
    "share_trend": "Share-of-wallet trend",
    "order_recency": "Order recency against the purchase cycle",
}


@dataclass(frozen=True)
class EffectiveSettings:
    weights: dict[str, Decimal]
    thresholds: dict[str, Thresholds]
    amber_from: Decimal
    green_from: Decimal

    def weight(self, key: str, default: Decimal = Decimal(1)) -> Decimal:
        return self.weights.get(key, default)


def effective_settings() -> EffectiveSettings:
    row = db.session.get(HealthSettings, 1)
    stored_thresholds = (row.thresholds if row else None) or {}
    thresholds = {}
    for key, default in DEFAULT_THRESHOLDS.items():
        raw = {**default, **stored_thresholds.get(key, {})}
        thresholds[key] = Thresholds(Decimal(str(raw["poor"])), Decimal(str(raw["good"])))
    weights = {k: Decimal(str(v)) for k, v in ((row.weights if row else None) or {}).items()}
    return EffectiveSettings(
        weights=weights,
        thresholds=thresholds,
        amber_from=Decimal(row.amber_from) if row else Decimal(40),
        green_from=Decimal(row.green_from) if row else Decimal(70),
    )


class CoreScores(NamedTuple):
    """The core measures' scores (``None``: nothing to grade) and the order-recency
    figure they were graded from (days since the last order in purchase cycles)."""

    revenue_trend: Decimal | None
    share_trend: Decimal | None
    order_recency: Decimal | None
    cycles_since_order: Decimal | None


class HealthInputs(NamedTuple):
    """What the core measures are graded from: an account's figures, copied out of its
    ``AccountMetrics`` so that the score's lazily written measures do not hold the
    account, which holds the score (a cycle would leave every dashboard's 10,000
    accounts to the cyclic collector instead of freeing them when the page is sent)."""

    growth: Decimal | None
    revenue: Decimal
    revenue_previous: Decimal
    share_value: Decimal | None
    share_previous_value: Decimal | None
    share_change_points: Decimal | None
    lifecycle: LifecycleStatus

    @classmethod
    def of(cls, m: AccountMetrics) -> HealthInputs:
        return cls(
            m.growth,
            m.revenue,
            m.revenue_previous,
            m.share_value,
            m.share_previous_value,
            m.share_change_points,
            m.lifecycle,
        )


def core_scores(m: HealthInputs | AccountMetrics, settings: EffectiveSettings) -> CoreScores:
    """The grading rule of the core measures (thresholds in the module doc)."""
    t = settings.thresholds
    if m.growth is not None:
        revenue = grade_value(m.growth, t["revenue_trend"])
    elif m.revenue_previous == 0 and m.revenue > 0:
        revenue = HUNDRED  # revenue where there was none the period before
    else:
        revenue = None
    share = (
        None
        if m.share_change_points is None
        else grade_value(m.share_change_points, t["share_trend"])
    )
    lc = m.lifecycle
    if lc.days_since_last_order is not None and lc.cycle.days:
        cycles = (Decimal(lc.days_since_last_order) / lc.cycle.days).quantize(CENT)
        recency = grade_value(cycles, t["order_recency"])
    else:
        cycles = recency = None
    return CoreScores(revenue, share, recency, cycles)


def core_measures(
    m: HealthInputs | AccountMetrics, settings: EffectiveSettings
) -> list[GradedMeasure]:
    """:func:`core_scores` with their labels, weights and a sentence each."""
    scores = core_scores(m, settings)
    if m.growth is not None:
        revenue_text = (
            f"revenue {m.revenue} against {m.revenue_previous} the period before ({m.growth:+} %)"
        )
    elif scores.revenue_trend is not None:
        revenue_text = "revenue where there was none the period before"
    else:
        revenue_text = "no revenue in either period"
    share_text = (
        "share of wallet unknown in one of the periods"
        if scores.share_trend is None
        else (
            f"share of wallet {m.share_previous_value} % → {m.share_value} % "
            f"({m.share_change_points:+} points)"
        )
    )
    lc = m.lifecycle
    recency_text = (
        "no orders yet"
        if scores.order_recency is None
        else (
            f"last order {lc.days_since_last_order} days ago = {scores.cycles_since_order} "
            f"purchase cycles of {lc.cycle.days} days"
        )
    )
    return [
        GradedMeasure(
            key,
            CORE_LABELS[key],
            score,
            settings.weight(key),
            text,
        )
        for key, score, text in (
            ("revenue_trend", scores.revenue_trend, revenue_text),
            ("share_trend", scores.share_trend, share_text),
            ("order_recency", scores.order_recency, recency_text),
        )
    ]


def previous_scores(account_ids: Sequence[int], before: date) -> dict[int, Decimal]:
    """The latest stored score before ``before`` (the first day of the current month).

    One row per account (the database picks each account's latest month), not the
    whole history: the dashboard asks this for every account it shows.
    """
    scored = AccountHealthScore.score.is_not(None)
    latest = (
        select(
            AccountHealthScore.account_id,
            func.max(AccountHealthScore.period_start).label("period_start"),
        )
        .where(
            among(AccountHealthScore.account_id, account_ids),
            AccountHealthScore.period_start < before,
            scored,
        )
        .group_by(AccountHealthScore.account_id)
        .subquery()
    )
    stmt = select(AccountHealthScore.account_id, AccountHealthScore.score).join(
        latest,
        and_(
            AccountHealthScore.account_id == latest.c.account_id,
            AccountHealthScore.period_start == latest.c.period_start,
        ),
    )
    return {account_id: Decimal(str(score)) for account_id, score in db.session.execute(stmt)}


def score_accounts(accounts: Sequence[AccountMetrics], as_of: date) -> dict[int, HealthScore]:
    """Health of each account as of ``as_of`` with its previous stored score; bounded queries."""
    if not accounts:
        return {}
    settings = effective_settings()
    ids = [a.account_id for a in accounts]
    plugin_measures: dict[int, list[GradedMeasure]] = {}
    for measure in plugin_host().call("account_health_measures", account_ids=ids, as_of=as_of):
        plugin_measures.setdefault(measure.account_id, []).append(
            GradedMeasure(
                measure.key,
                measure.label,
                Decimal(measure.score),
                settings.weight(measure.key, measure.default_weight),
                measure.explanation,
            )
        )
    previous = previous_scores(ids, as_of.replace(day=1))
    revenue_weight, share_weight, recency_weight = (settings.weight(k) for k in CORE_LABELS)
    no_extra: list[GradedMeasure] = []
    result = {}
    for a in accounts:
        inputs = HealthInputs.of(a)
        core = core_scores(inputs, settings)
        scored = [
            (core.revenue_trend, revenue_weight),
            (core.share_trend, share_weight),
            (core.order_recency, recency_weight),
        ]
        extra = plugin_measures.get(a.account_id, no_extra)
        if extra:
            scored += [(m.score, m.weight) for m in extra]
        # The score from the numbers alone; the measures with their sentences are
        # written again from the same rule only when someone reads them.
        result[a.account_id] = combine_scores(
            scored,
            partial(_measures, inputs, settings, extra),
            previous.get(a.account_id),
            amber_from=settings.amber_from,
            green_from=settings.green_from,
        )
    return result


def _measures(
    inputs: HealthInputs, settings: EffectiveSettings, extra: list[GradedMeasure]
) -> list[GradedMeasure]:
    return core_measures(inputs, settings) + extra


def measures_json(score: HealthScore) -> list[dict[str, Any]]:
    return [
        {
            "key": m.key,
            "label": m.label,
            "score": None if m.score is None else str(m.score),
            "weight": str(m.weight),
            "explanation": m.explanation,
        }
        for m in score.measures
    ]


def store_month(month_start: date, scores: dict[int, HealthScore]) -> int:
    """Replace the stored scores of ``month_start`` for these accounts (caller commits)."""
    from sqlalchemy import delete, insert

    ids = list(scores)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        db.session.execute(
            delete(AccountHealthScore).where(
                AccountHealthScore.account_id.in_(chunk),
                AccountHealthScore.period_start == month_start,
            )
        )
    rows = [
        {
            "account_id": i,
            "period_start": month_start,
            "score": s.score,
            "grade": s.grade.value if s.grade else None,
            "measures": measures_json(s),
        }
        for i, s in scores.items()
    ]
    if rows:
        db.session.execute(insert(AccountHealthScore), rows)
    return len(rows)
