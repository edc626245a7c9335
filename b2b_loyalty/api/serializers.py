"""Model -> JSON. Decimals as strings (exact), dates ISO 8601, every resource its ``id``.

Records people edit also carry ``version`` (their row version): a PATCH sends it
back, and a stale one is answered 409 (see ``api/row_versions.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from b2b_loyalty.models import (
    Account,
    Order,
    ProductCategory,
    Stakeholder,
    SupplierRanking,
    WalletEstimate,
)
from b2b_loyalty.models.columns import as_utc


def iso_datetime(value: datetime | None) -> str | None:
    """ISO 8601 with its UTC offset; SQLite hands back naive datetimes, stored in UTC."""
    return None if value is None else as_utc(value).isoformat()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return iso_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def account_json(account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "name": account.name,
        "tax_id": account.tax_id,
        "industry": account.industry,
        "region": account.region,
        "size_band": account.size_band,
        "owner_id": account.owner_id,
        "team_ids": [u.id for u in account.team],
        "notes": account.notes,
        "created_at": _plain(account.created_at),
        "updated_at": _plain(account.updated_at),
        "version": account.row_version,
    }


def stakeholder_json(person: Stakeholder) -> dict[str, Any]:
    return {
        "id": person.id,
        "account_id": person.account_id,
        "name": person.name,
        "title": person.title,
        "department": person.department,
        "email": person.email,
        "phone": person.phone,
        "circle": person.circle,
        "buying_role": person.buying_role,
        "stance": person.stance,
        "influence": person.influence,
        "reports_to_id": person.reports_to_id,
        "active": person.active,
        "notes": person.notes,
        "version": person.row_version,
    }


def order_json(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "account_id": order.account_id,
        "date": _plain(order.order_date),
        "category_id": order.category_id,
        "category": order.category.name,
        "quantity": _plain(order.quantity),
        "unit_price": _plain(order.unit_price),
        "list_amount": _plain(order.list_amount),
        "discount_amount": _plain(order.discount_amount),
        "net_amount": _plain(order.net_amount),
        "unit_cost": _plain(order.unit_cost),
        "currency": order.currency,
        "external_ref": order.external_ref,
        "version": order.row_version,
    }


def wallet_estimate_json(estimate: WalletEstimate) -> dict[str, Any]:
    return {
        "id": estimate.id,
        "account_id": estimate.account_id,
        "year": estimate.year,
        "category_id": estimate.category_id,
        "category": estimate.category.name if estimate.category else None,
        "estimated_spend": _plain(estimate.estimated_spend),
        "source": estimate.source,
        "confidence": estimate.confidence,
        "note": estimate.note,
    }


def category_json(category: ProductCategory) -> dict[str, Any]:
    return {"id": category.id, "name": category.name}


def supplier_ranking_json(ranking: SupplierRanking) -> dict[str, Any]:
    return {
        "id": ranking.id,
        "account_id": ranking.account_id,
        "year": ranking.year,
        "rank": ranking.rank,
        "supplier_count": ranking.supplier_count,
        "source": ranking.source,
        "note": ranking.note,
    }
