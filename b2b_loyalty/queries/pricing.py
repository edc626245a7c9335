"""Queries that position a quote: which schedule applies, and the volume already bought.

Also the lock that keeps two orders of one account from being priced on the same
prior volume (:func:`lock_account_for_pricing`).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from b2b_loyalty.access import SKIP_SCOPE_OPTION
from b2b_loyalty.domain.discount_schedule import Basis, Scope
from b2b_loyalty.domain.schedule_workflow import IN_FORCE
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Order, ScheduleAssignment, ScheduleVersion


def lock_account_for_pricing(account_id: int) -> None:
    """Hold the account's order-writing lock until the current transaction ends.

    Call it first in every transaction that prices an order with the account's
    prior volume or changes that volume (order create/update/delete), before
    anything is read. Without it two orders saved at the same moment both read
    the same prior volume, and the second is priced as if the first did not
    exist (a lower tier than the client reached). With it the second waits until
    the first commits, then reads a prior volume that includes it.

    PostgreSQL: a row lock on the account, ``SELECT ... FOR UPDATE``. It excludes
    the other order writers of this account (they take the same lock), and also
    the key-share lock that the foreign key check of *any* new order of the
    account takes, so even a writer that does not call this function (a
    spreadsheet import) waits, or is waited for. The price is that other rows
    referencing the account (a stakeholder, an interaction) wait for the few
    milliseconds of a pricing transaction too. Under READ COMMITTED, the level
    the app uses, every statement after the lock sees what the previous holder
    committed.

    SQLite: the database has a single writer, so the lock is the write lock,
    taken by ``BEGIN IMMEDIATE``. The pysqlite driver starts a transaction only
    at the first INSERT/UPDATE/DELETE, so the reads before that (the prior
    volume) would run outside any transaction and race. Beginning the
    transaction as a write makes a second writer wait (up to the driver's busy
    timeout, 5 s by default) before it reads. If a transaction is already open,
    the driver opened it for a write, which already holds the write lock.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    db.session.execute(
        select(Account.id)
        .where(Account.id == account_id)
        .with_for_update()
        # The caller has already checked the account is visible; a scoped statement
        # would add the access criteria (and their subquery) to the locking SELECT.
        .execution_options(**{SKIP_SCOPE_OPTION: True})
    )


def applicable_schedule(
    account_id: int, category_id: int, on: date
) -> tuple[ScheduleVersion | None, str]:
    """The version in force on ``on`` for the account and category, and where it came from.

    An account-specific assignment overrides the category default. Returns
    (None, reason) when no schedule applies, so the quote can say so.
    """
    assignments = db.session.scalars(
        select(ScheduleAssignment).where(
            ScheduleAssignment.category_id == category_id,
            or_(
                ScheduleAssignment.account_id == account_id, ScheduleAssignment.account_id.is_(None)
            ),
        )
    ).all()
    if not assignments:
        return None, "no discount schedule is assigned to this category"
    assignment = min(assignments, key=lambda a: a.account_id is None)
    source = "account-specific schedule" if assignment.account_id else "category default schedule"
    version = db.session.scalar(
        select(ScheduleVersion)
        .where(
            ScheduleVersion.family_id == assignment.family_id,
            ScheduleVersion.status.in_([s.value for s in IN_FORCE]),
            ScheduleVersion.effective_from <= on,
            or_(ScheduleVersion.effective_to.is_(None), ScheduleVersion.effective_to >= on),
        )
        .options(selectinload(ScheduleVersion.tiers), selectinload(ScheduleVersion.family))
        .order_by(ScheduleVersion.version.desc())
        .limit(1)
    )
    if version is None:
        return None, f"the {source} has no approved version in force on {on.isoformat()}"
    return version, source


def period_start(scope: Scope, on: date) -> date | None:
    """First day counted for a cumulative schedule (None for a per-order one)."""
    if scope is Scope.CUMULATIVE_CALENDAR_YEAR:
        return date(on.year, 1, 1)
    if scope is Scope.CUMULATIVE_ROLLING_12_MONTHS:
        return on - timedelta(days=364)
    return None


def prior_volume(
    account_id: int, category_id: int, basis: Basis, scope: Scope, on: date
) -> Decimal:
    """Units (quantity basis) or list value (amount basis) of the account's orders in
    the category from the period's start up to and including ``on``; 0 per order."""
    start = period_start(scope, on)
    if start is None:
        return Decimal(0)
    measure = Order.quantity if basis is Basis.QUANTITY else Order.list_amount
    total = db.session.scalar(
        select(func.coalesce(func.sum(measure), 0)).where(
            Order.account_id == account_id,
            Order.category_id == category_id,
            Order.order_date >= start,
            Order.order_date <= on,
        )
    )
    return Decimal(str(total)).quantize(
        Decimal("0.001") if basis is Basis.QUANTITY else Decimal("0.01")
    )
