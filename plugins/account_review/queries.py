"""Every SELECT of the account review plugin; the access rule filters each one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from b2b_loyalty.extensions import db
from b2b_loyalty.models import (
    Account,
    AuditEntry,
    Order,
    ScheduleFamily,
    ScheduleVersion,
)


def account_for_review(account_id: int) -> Account | None:
    """The account with its owner, through SQL so the access rule applies (None: not visible)."""
    return db.session.scalar(
        select(Account).where(Account.id == account_id).options(joinedload(Account.owner))
    )


def orders_between(account_id: int, first: date, last: date) -> list[Order]:
    """The account's orders dated in [first, last] with category and pricing record (2 statements)."""
    return list(
        db.session.scalars(
            select(Order)
            .where(
                Order.account_id == account_id,
                Order.order_date >= first,
                Order.order_date <= last,
            )
            .options(joinedload(Order.category), selectinload(Order.pricing))
            .order_by(Order.order_date, Order.id)
        )
    )


def visible_account_ids() -> list[int]:
    """Ids of every account the current user may see, by name."""
    return list(db.session.scalars(select(Account.id).order_by(Account.name, Account.id)))


def schedule_families() -> list[ScheduleFamily]:
    """Every schedule with its versions, tiers and the people who drafted and decided them."""
    return list(
        db.session.scalars(
            select(ScheduleFamily)
            .options(
                selectinload(ScheduleFamily.versions).options(
                    selectinload(ScheduleVersion.tiers),
                    joinedload(ScheduleVersion.created_by),
                    joinedload(ScheduleVersion.decided_by),
                )
            )
            .order_by(ScheduleFamily.name, ScheduleFamily.id)
        )
    )


def audit_trail(family_ids: Sequence[int]) -> dict[int, list[AuditEntry]]:
    """The audit entries of the given schedules, oldest first, grouped by schedule (1 statement)."""
    if not family_ids:
        return {}
    grouped: dict[int, list[AuditEntry]] = defaultdict(list)
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.schedule_family_id.in_(list(family_ids)))
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    for entry in db.session.scalars(stmt):
        grouped[entry.schedule_family_id].append(entry)
    return grouped
