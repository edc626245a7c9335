"""The declarations of the account's child resources for the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from b2b_loyalty.accounts.forms import (
    OrderForm,
    StakeholderForm,
    SupplierRankingForm,
    WalletEstimateForm,
)
from b2b_loyalty.api.child_resources import ChildResource
from b2b_loyalty.api.serializers import (
    order_json,
    stakeholder_json,
    supplier_ranking_json,
    wallet_estimate_json,
)
from b2b_loyalty.queries import account_children as queries
from b2b_loyalty.services import orders, stakeholders, supplier_rankings, wallet_estimates


def _all_but_ids(to_json: Callable[[Any], dict[str, Any]]) -> Callable[[Any], dict[str, Any]]:
    """A record's values as its serializer gives them, without ``id`` and ``account_id``."""
    return lambda item: {k: v for k, v in to_json(item).items() if k not in ("id", "account_id")}


def _only(to_json: Callable[[Any], dict[str, Any]], *keys: str) -> Callable[[Any], dict[str, Any]]:
    """A record's values as its serializer gives them, only ``keys``."""
    return lambda item: {k: v for k, v in to_json(item).items() if k in keys}


STAKEHOLDERS = ChildResource(
    path="stakeholders",
    endpoint="stakeholder",
    form_class=StakeholderForm,
    to_json=stakeholder_json,
    list_statement=queries.stakeholders_statement,
    get=stakeholders.get_stakeholder,
    create=stakeholders.create_stakeholder,
    update=stakeholders.update_stakeholder,
    delete=stakeholders.delete_stakeholder,
    defaults={"active": True, "stance": "neutral", "influence": 3},
    current_values=_all_but_ids(stakeholder_json),
    versioned=True,
)

ORDERS = ChildResource(
    path="orders",
    endpoint="order",
    form_class=OrderForm,
    to_json=order_json,
    list_statement=queries.orders_statement,
    get=orders.get_order,
    create=orders.create_order,
    update=orders.update_order,
    delete=orders.delete_order,
    defaults={},
    current_values=_only(
        order_json,
        "date",
        "category_id",
        "quantity",
        "unit_price",
        "discount_amount",
        "unit_cost",
        "currency",
        "external_ref",
    ),
    read_only=("id", "account_id", "list_amount", "net_amount"),
    alternatives=(("category", "category_id"),),
    versioned=True,
)

WALLET_ESTIMATES = ChildResource(
    path="wallet-estimates",
    endpoint="wallet_estimate",
    form_class=WalletEstimateForm,
    to_json=wallet_estimate_json,
    list_statement=queries.wallet_estimates_statement,
    get=wallet_estimates.get_wallet_estimate,
    create=wallet_estimates.create_wallet_estimate,
    update=wallet_estimates.update_wallet_estimate,
    delete=wallet_estimates.delete_wallet_estimate,
    defaults={},
    current_values=_only(
        wallet_estimate_json,
        "year",
        "category_id",
        "estimated_spend",
        "source",
        "confidence",
        "note",
    ),
    alternatives=(("category", "category_id"),),
)

SUPPLIER_RANKINGS = ChildResource(
    path="supplier-rankings",
    endpoint="supplier_ranking",
    form_class=SupplierRankingForm,
    to_json=supplier_ranking_json,
    list_statement=queries.supplier_rankings_statement,
    get=supplier_rankings.get_supplier_ranking,
    create=supplier_rankings.create_supplier_ranking,
    update=supplier_rankings.update_supplier_ranking,
    delete=supplier_rankings.delete_supplier_ranking,
    defaults={},
    current_values=_all_but_ids(supplier_ranking_json),
)

ALL = (STAKEHOLDERS, ORDERS, WALLET_ESTIMATES, SUPPLIER_RANKINGS)
