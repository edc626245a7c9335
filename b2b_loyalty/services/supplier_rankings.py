"""Recording where a client ranks us among its suppliers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from b2b_loyalty.access import scoped_get
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, SupplierRanking, User
from b2b_loyalty.services.errors import NotFound, ValidationFailed
from b2b_loyalty.services.permissions import require_account_editor
from b2b_loyalty.services.transaction import unit_of_work
from b2b_loyalty.services.values import clean

FIELDS = ("year", "rank", "supplier_count", "source", "note")


def get_supplier_ranking(account: Account, ranking_id: int) -> SupplierRanking:
    ranking = scoped_get(SupplierRanking, ranking_id)
    if ranking is None or ranking.account_id != account.id:
        raise NotFound("No such supplier ranking at this account.")
    return ranking


def _apply(ranking: SupplierRanking, account: Account, data: dict[str, Any]) -> None:
    for field in FIELDS:
        if field in data:
            setattr(ranking, field, clean(data[field]))
    errors: dict[str, list[str]] = {}
    if (
        ranking.rank is not None
        and ranking.supplier_count is not None
        and not (1 <= ranking.rank <= ranking.supplier_count)
    ):
        errors["rank"] = [
            f"The rank must be between 1 and the number of suppliers ({ranking.supplier_count})."
        ]
    stmt = select(SupplierRanking.id).where(
        SupplierRanking.account_id == account.id, SupplierRanking.year == ranking.year
    )
    if ranking.id is not None:
        stmt = stmt.where(SupplierRanking.id != ranking.id)
    if db.session.execute(stmt).first():
        errors["year"] = ["This account already has a ranking for that year."]
    if errors:
        raise ValidationFailed("The ranking has errors.", errors)


def create_supplier_ranking(actor: User, account: Account, data: dict[str, Any]) -> SupplierRanking:
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        ranking = SupplierRanking(account_id=account.id)
        _apply(ranking, account, data)
        db.session.add(ranking)
    return ranking


def update_supplier_ranking(
    actor: User, account: Account, ranking: SupplierRanking, data: dict[str, Any]
) -> SupplierRanking:
    require_account_editor(actor)
    with unit_of_work(), db.session.no_autoflush:
        _apply(ranking, account, data)
    return ranking


def delete_supplier_ranking(actor: User, ranking: SupplierRanking) -> None:
    require_account_editor(actor)
    with unit_of_work():
        db.session.delete(ranking)
