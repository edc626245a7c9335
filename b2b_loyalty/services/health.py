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
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, select

from b2b_loyalty.domain.core_health import (
    CORE_LABELS,
    EffectiveSettings,
    HealthInputs,
    core_measures,
    core_scores,
)
from b2b_loyalty.domain.health_score import GradedMeasure, HealthScore, Thresholds, combine_scores
from b2b_loyalty.extensions import db
from b2b_loyalty.models import AccountHealthScore, HealthSettings
from b2b_loyalty.plugin_host import plugin_host
from b2b_loyalty.queries.id_lists import among

if TYPE_CHECKING:
    from b2b_loyalty.services.portfolio_metrics import AccountMetrics

DEFAULT_THRESHOLDS = {
    "revenue_trend": {"poor": "-20", "good": "10"},
    "share_trend": {"poor": "-10", "good": "5"},
    "order_recency": {"poor": "2", "good": "1"},
}


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


def _inputs(m: AccountMetrics) -> HealthInputs:
    return HealthInputs(
        m.growth,
        m.revenue,
        m.revenue_previous,
        m.share_value,
        m.share_previous_value,
        m.share_change_points,
        m.days_since_last_order,
        m.cycle_days,
    )


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
        inputs = _inputs(a)
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
