"""The declarations of the account's child resources for the API."""

from __future__ import annotations

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
    current_values=lambda s: {
        k: v for k, v in stakeholder_json(s).items() if k not in ("id", "account_id")
    },
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
    current_values=lambda o: {
        k: v
        for k, v in order_json(o).items()
        if k
        in (
            "date",
            "category_id",
            "quantity",
            "unit_price",
            "discount_amount",
            "unit_cost",
            "currency",
            "external_ref",
        )
    },
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
    current_values=lambda w: {
        k: v
        for k, v in wallet_estimate_json(w).items()
        if k in ("year", "category_id", "estimated_spend", "source", "confidence", "note")
    },
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
    current_values=lambda r: {
        k: v for k, v in supplier_ranking_json(r).items() if k not in ("id", "account_id")
    },
)

ALL = (STAKEHOLDERS, ORDERS, WALLET_ESTIMATES, SUPPLIER_RANKINGS)
