"""Recording what a client spends in total on a category: share of wallet's denominator."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from b2b_loyalty.access import scoped_get
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, User, WalletEstimate
from b2b_loyalty.services.categories import find_category
from b2b_loyalty.services.errors import NotFound, ValidationFailed
from b2b_loyalty.services.permissions import require_account_editor
from b2b_loyalty.services.transaction import unit_of_work
from b2b_loyalty.services.values import clean

WALLET_FIELDS = ("year", "estimated_spend", "source", "confidence", "note")


def get_wallet_estimate(account: Account, estimate_id: int) -> WalletEstimate:
    estimate = scoped_get(WalletEstimate, estimate_id)
    if estimate is None or estimate.account_id != account.id:
        raise NotFound("No such wallet estimate at this account.")
    return estimate


def _apply(estimate: WalletEstimate, account: Account, data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for field in WALLET_FIELDS:
        if field in data:
            setattr(estimate, field, clean(data[field]))
    if "category" in data or "category_id" in data:
        if data.get("category") or data.get("category_id"):
            try:
                estimate.category = find_category(data.get("category"), data.get("category_id"))
            except ValidationFailed as exc:
                errors.update(exc.fields)
        else:
            estimate.category = None
    category_id = estimate.category.id if estimate.category else None
    stmt = select(WalletEstimate.id).where(
        WalletEstimate.account_id == account.id,
        WalletEstimate.year == estimate.year,
        WalletEstimate.category_id.is_(None)
        if category_id is None
        else WalletEstimate.category_id == category_id,
    )
    if estimate.id is not None:
        stmt = stmt.where(WalletEstimate.id != estimate.id)
    if db.session.execute(stmt).first():
        errors["year"] = ["This account already has an estimate for that year and category."]
    if errors:
        raise ValidationFailed("The wallet estimate has errors.", errors)


def create_wallet_estimate(actor: User, account: Account, data: dict[str, Any]) -> WalletEstimate:
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        estimate = WalletEstimate(account_id=account.id)
        _apply(estimate, account, data)
        db.session.add(estimate)
    return estimate


def update_wallet_estimate(
    actor: User, account: Account, estimate: WalletEstimate, data: dict[str, Any]
) -> WalletEstimate:
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        _apply(estimate, account, data)
    return estimate


def delete_wallet_estimate(actor: User, estimate: WalletEstimate) -> None:
    require_account_editor(actor)
    with unit_of_work():
        db.session.delete(estimate)
