"""List statements for the things that hang off one account."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from b2b_loyalty.models import Order, Stakeholder, SupplierRanking, WalletEstimate


def stakeholders_statement(account_id: int) -> Select:
    return (
        select(Stakeholder)
        .where(Stakeholder.account_id == account_id)
        .order_by(Stakeholder.circle, Stakeholder.name, Stakeholder.id)
    )


def orders_statement(account_id: int) -> Select:
    return (
        select(Order)
        .where(Order.account_id == account_id)
        .options(joinedload(Order.category), selectinload(Order.pricing))
        .order_by(Order.order_date.desc(), Order.id.desc())
    )


def wallet_estimates_statement(account_id: int) -> Select:
    return (
        select(WalletEstimate)
        .where(WalletEstimate.account_id == account_id)
        .options(joinedload(WalletEstimate.category))
        .order_by(WalletEstimate.year.desc(), WalletEstimate.id)
    )


def supplier_rankings_statement(account_id: int) -> Select:
    return (
        select(SupplierRanking)
        .where(SupplierRanking.account_id == account_id)
        .order_by(SupplierRanking.year.desc(), SupplierRanking.id)
    )
