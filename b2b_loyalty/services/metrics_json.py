"""Metrics as JSON (Decimals as strings), for the API; the pages render the same objects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from b2b_loyalty.services.health import measures_json
from b2b_loyalty.services.portfolio_metrics import AccountMetrics, PortfolioMetrics


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _share(share) -> dict[str, Any]:  # noqa: ANN001
    return {
        "value": _s(share.value),
        "status": share.status.value,
        "our_revenue": _s(share.our_revenue),
        "wallet_estimate": _s(share.wallet_estimate),
        "headroom": _s(share.headroom),
        "note": share.note,
    }


def account_metrics_json(m: AccountMetrics) -> dict[str, Any]:
    return {
        "account_id": m.account_id,
        "name": m.name,
        "owner_id": m.owner_id,
        "revenue": _s(m.revenue),
        "revenue_previous": _s(m.revenue_previous),
        "growth_percent": _s(m.growth),
        "orders": m.orders,
        "average_order_value": _s(m.average_order_value),
        "categories_bought": m.categories,
        "gross_margin": _s(m.gross_margin),
        "share_of_wallet": _share(m.share),
        "share_of_wallet_previous": _share(m.share_previous),
        "share_change_points": _s(m.share_change_points),
        "share_of_wallet_estimate": None
        if m.share_estimate is None
        else {
            "value": _s(m.share_estimate.value),
            "rank": m.share_estimate.rank,
            "suppliers": m.share_estimate.suppliers,
            "implied_wallet": _s(m.share_estimate.implied_wallet),
            "formula": m.share_estimate.formula,
        },
        "segment": {
            "value": m.segment.segment.value,
            "reason": m.segment.reason,
            "source": m.segment.source.value,
        },
        "lifecycle": {"stage": m.lifecycle.stage.value, "reason": m.lifecycle.reason},
        "abc_class": m.abc.value,
        "clv": None
        if m.clv is None
        else {
            "value": _s(m.clv.value),
            "average_margin_per_period": _s(m.clv.average_margin_per_period),
            "retention_rate": _s(m.clv.retention_rate),
            "expected_periods": _s(m.clv.expected_periods),
            "formula": m.clv.formula,
        },
        "alerts": [{"key": a.key, "message": a.message, "severity": a.severity} for a in m.alerts],
        "health": None
        if m.health is None
        else {
            "score": _s(m.health.score),
            "grade": m.health.grade.value if m.health.grade else None,
            "previous": _s(m.health.previous),
            "trend": m.health.trend.value,
            "formula": m.health.formula,
            "measures": measures_json(m.health),
        },
        "attention": m.attention,
    }


def portfolio_json(p: PortfolioMetrics) -> dict[str, Any]:
    return {
        "period": {"from": p.period.start.isoformat(), "to": p.period.end.isoformat()},
        "previous_period": {"from": p.previous.start.isoformat(), "to": p.previous.end.isoformat()},
        "accounts": len(p.accounts),
        "revenue": _s(p.revenue),
        "revenue_previous": _s(p.revenue_previous),
        "growth_percent": _s(p.growth),
        "orders": p.orders,
        "average_order_value": _s(p.average_order_value),
        "purchase_frequency": _s(p.purchase_frequency),
        "retention_rate": {
            "value": _s(p.retention.value),
            "clients_at_start": p.retention.clients_at_start,
            "clients_at_end": p.retention.clients_at_end,
            "new_clients": p.retention.new_clients,
            "formula": p.retention.formula,
        },
        "churn_rate": {
            "value": _s(p.churn.value),
            "clients_lost": p.churn.clients_lost,
            "formula": p.churn.formula,
        },
        "net_revenue_retention": {
            "value": _s(p.net_revenue_retention.value),
            "formula": p.net_revenue_retention.formula,
        },
        "repeat_purchase_rate": {
            "value": _s(p.repeat_purchase.value),
            "formula": p.repeat_purchase.formula,
        },
        "pareto": {
            "share_of_accounts_in_a": _s(p.pareto.share_of_accounts_in_a),
            "a_accounts": p.pareto.a_accounts,
            "b_accounts": p.pareto.b_accounts,
            "c_accounts": p.pareto.c_accounts,
        },
        "segments": dict(p.segments),
        "abc_classes": dict(p.abc),
        "lifecycle": dict(p.lifecycle),
        "health_grades": dict(p.health_grades),
        "by_manager": [
            {
                "owner_id": r.owner_id,
                "owner_name": r.owner_name,
                "accounts": r.accounts,
                "revenue": _s(r.revenue),
                "growth_percent": _s(r.growth),
                "a_accounts": r.a_accounts,
                "needing_attention": r.needing_attention,
            }
            for r in p.by_manager
        ],
        "needing_attention": [
            {"account_id": a.account_id, "name": a.name, "reasons": a.attention}
            for a in p.attention
        ],
    }
