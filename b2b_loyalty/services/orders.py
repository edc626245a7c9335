"""Recording orders; amounts are computed once here and stored as priced."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import select

from b2b_loyalty.access import scoped_get
from b2b_loyalty.db_limits import MAX_MONEY
from b2b_loyalty.domain.money import ZERO, round_money
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Order, User
from b2b_loyalty.queries.pricing import lock_account_for_pricing
from b2b_loyalty.services.categories import find_category
from b2b_loyalty.services.errors import NotFound, ValidationFailed, field_error
from b2b_loyalty.services.order_stats import refresh_order_stats
from b2b_loyalty.services.permissions import require_account_editor
from b2b_loyalty.services.row_versions import check_row_version, mark_edited
from b2b_loyalty.services.transaction import unit_of_work
from b2b_loyalty.services.values import clean


def check_order_size(list_amount: Decimal) -> None:
    """Refuse an order whose list value the money columns (Numeric(16, 2)) cannot hold."""
    if list_amount >= MAX_MONEY:
        raise ValidationFailed(
            "The order is too large.",
            {"quantity": ["Quantity × price must stay below 100,000,000,000,000."]},
        )


def get_order(account: Account, order_id: int) -> Order:
    order = scoped_get(Order, order_id)
    if order is None or order.account_id != account.id:
        raise NotFound("No such order at this account.")
    return order


def _apply(order: Order, account: Account, data: dict[str, Any]) -> None:
    base_currency = current_app.config["BASE_CURRENCY"]
    errors: dict[str, list[str]] = {}
    if data.get("category_id") or data.get("category"):
        try:
            order.category = find_category(data.get("category"), data.get("category_id"))
        except ValidationFailed as exc:
            errors.update(exc.fields)
    elif order.category_id is None:
        errors["category"] = ["Choose a product category."]
    for field in ("quantity", "unit_price", "unit_cost", "external_ref"):
        if field in data:
            setattr(order, field, clean(data[field]))
    if "date" in data:
        order.order_date = data["date"]
    # Repeated from the form for callers without one (CLI, imports, plugins).
    if order.order_date is None:
        errors["date"] = ["Give the order date."]
    for field, label in (("quantity", "Quantity"), ("unit_price", "The price")):
        value = getattr(order, field)
        if value is None:
            errors[field] = [f"{label} is required."]
        elif value < 0:
            errors[field] = [f"{label} cannot be negative."]
    if order.unit_cost is not None and order.unit_cost < 0:
        errors["unit_cost"] = ["A cost cannot be negative."]
    if errors:
        raise ValidationFailed("The order has errors.", errors)
    currency = (data.get("currency") or order.currency or base_currency).strip().upper()
    if currency != base_currency:
        errors["currency"] = [
            f"This deployment keeps its books in {base_currency}; convert the order first."
        ]
    order.currency = currency
    order.list_amount = round_money(order.quantity * order.unit_price, currency)
    check_order_size(order.list_amount)
    discount = data.get("discount_amount", order.discount_amount) or ZERO
    if discount < 0:
        errors["discount_amount"] = ["A discount cannot be negative."]
    elif discount > order.list_amount:
        errors["discount_amount"] = ["The discount cannot exceed the list amount."]
    order.discount_amount = round_money(Decimal(discount), currency)
    order.net_amount = order.list_amount - order.discount_amount
    if order.external_ref:
        stmt = select(Order.id).where(
            Order.account_id == account.id, Order.external_ref == order.external_ref
        )
        if order.id is not None:
            stmt = stmt.where(Order.id != order.id)
        if db.session.execute(stmt).first():
            errors["external_ref"] = [
                "Another order of this account already has this external reference."
            ]
    if errors:
        raise ValidationFailed("The order has errors.", errors)


def create_order(actor: User, account: Account, data: dict[str, Any]) -> Order:
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        # Orders change the account's cumulative volume: wait for a quote being saved.
        lock_account_for_pricing(account.id)
        order = Order(account_id=account.id)
        _apply(order, account, data)
        db.session.add(order)
        db.session.flush()
        refresh_order_stats([account.id])
    return order


def update_order(
    actor: User,
    account: Account,
    order: Order,
    data: dict[str, Any],
    *,
    expected_version: int | None = None,
) -> Order:
    """Change the given fields; ``expected_version`` is the ``row_version`` the editor read."""
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        check_row_version(order, expected_version)
        lock_account_for_pricing(account.id)
        mark_edited(order)
        _apply(order, account, data)
        db.session.flush()
        refresh_order_stats([account.id])
    return order


def delete_order(actor: User, order: Order, *, expected_version: int | None = None) -> None:
    """``expected_version``: the ``row_version`` the deleting user saw (see delete_account)."""
    require_account_editor(actor)
    check_row_version(order, expected_version)
    with unit_of_work():
        account_id = order.account_id
        lock_account_for_pricing(account_id)
        db.session.delete(order)
        db.session.flush()
        refresh_order_stats([account_id])


__all__ = ["create_order", "delete_order", "field_error", "get_order", "update_order"]
