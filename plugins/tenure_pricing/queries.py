"""The plugin's reads: each a bounded number of statements, whatever the data size.

Every ORM query here is filtered by the central record-level rule
(``b2b_loyalty.access``): contracts carry ``__account_scope__``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from b2b_loyalty.domain.money import round_money
from b2b_loyalty.domain.schedule_workflow import IN_FORCE
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, AuditEntry, Order
from b2b_loyalty.plugin_api.request_memo import once_per_request
from b2b_loyalty.queries.id_lists import among
from plugins.tenure_pricing.domain.contracts import SIGNED, ContractStatus
from plugins.tenure_pricing.domain.tenure import CoverPeriod
from plugins.tenure_pricing.models import TenureContract, TenureSchedule

AUDIT_ENTITY = "tenure_schedule"
CONTRACT_AUDIT_ENTITY = "tenure_contract"
_SIGNED_VALUES = [s.value for s in SIGNED]


def contracts_statement(account_id: int) -> Select:
    """An account's contracts, latest first (for pages and the API)."""
    return (
        select(TenureContract)
        .where(TenureContract.account_id == account_id)
        .order_by(TenureContract.start_date.desc(), TenureContract.id.desc())
    )


def contracts_of(account_id: int) -> list[TenureContract]:
    """An account's contracts, latest first; read once per page (its contracts panel and
    the health hook both ask)."""
    return once_per_request(
        ("tenure_contracts", account_id),
        lambda: list(db.session.scalars(contracts_statement(account_id))),
    )


def contracts_by_account(account_ids: Sequence[int]) -> dict[int, list[TenureContract]]:
    """Contracts of many accounts in one statement, grouped by account, latest first."""
    grouped: dict[int, list[TenureContract]] = defaultdict(list)
    if not account_ids:
        return grouped
    if len(set(account_ids)) == 1:  # one account, as its page reads them
        (account_id,) = set(account_ids)
        grouped[account_id] = contracts_of(account_id)
        return grouped
    rows = db.session.scalars(
        select(TenureContract)
        .where(among(TenureContract.account_id, account_ids))
        .order_by(TenureContract.start_date.desc(), TenureContract.id.desc())
    )
    for contract in rows:
        grouped[contract.account_id].append(contract)
    return grouped


def cover_periods(contracts: Sequence[TenureContract]) -> list[CoverPeriod]:
    """The signed contracts as periods of cover (drafts never count)."""
    return [CoverPeriod(c.start_date, c.end_date) for c in contracts if c.status in _SIGNED_VALUES]


def account_cover_periods(account_id: int) -> list[CoverPeriod]:
    rows = db.session.execute(
        select(TenureContract.start_date, TenureContract.end_date).where(
            TenureContract.account_id == account_id,
            TenureContract.status.in_(_SIGNED_VALUES),
        )
    )
    return [CoverPeriod(start, end) for start, end in rows]


def schedule_in_force(on: date) -> TenureSchedule | None:
    """The approved (or since retired) version whose dates cover ``on``, with its tiers.

    One statement: the tiers come joined, in a subquery limited to the one version.
    """
    return (
        db.session.scalars(
            select(TenureSchedule)
            .where(
                TenureSchedule.status.in_([s.value for s in IN_FORCE]),
                TenureSchedule.effective_from <= on,
                or_(TenureSchedule.effective_to.is_(None), TenureSchedule.effective_to >= on),
            )
            .options(joinedload(TenureSchedule.tiers))
            .order_by(TenureSchedule.effective_from.desc(), TenureSchedule.version.desc())
            .limit(1)
        )
        .unique()
        .first()
    )


def all_schedules() -> list[TenureSchedule]:
    return list(
        db.session.scalars(
            select(TenureSchedule)
            .options(selectinload(TenureSchedule.tiers))
            .order_by(TenureSchedule.version.desc())
        )
    )


def schedule_with_people(schedule_id: int) -> TenureSchedule | None:
    return db.session.scalar(
        select(TenureSchedule)
        .where(TenureSchedule.id == schedule_id)
        .options(
            selectinload(TenureSchedule.tiers),
            joinedload(TenureSchedule.created_by),
            joinedload(TenureSchedule.decided_by),
        )
    )


def schedule_audit_statement() -> Select:
    return (
        select(AuditEntry)
        .where(AuditEntry.entity == AUDIT_ENTITY)
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )


def expiring_statement(today: date, until: date) -> Select:
    """Active contracts ending in [today, until], soonest first, with their account and owner.

    ``renewal_id``: a later draft or active contract of the same account, if any.
    """
    later = aliased(TenureContract)
    renewal = (
        select(later.id)
        .where(
            later.account_id == TenureContract.account_id,
            later.start_date > TenureContract.end_date,
            later.status.in_([ContractStatus.DRAFT.value, ContractStatus.ACTIVE.value]),
        )
        .order_by(later.start_date)
        .limit(1)
        .correlate(TenureContract)
        .scalar_subquery()
    )
    return (
        select(TenureContract, renewal.label("renewal_id"))
        .join(Account, Account.id == TenureContract.account_id)
        .where(
            TenureContract.status == ContractStatus.ACTIVE.value,
            and_(TenureContract.end_date >= today, TenureContract.end_date <= until),
        )
        .options(joinedload(TenureContract.account).joinedload(Account.owner))
        .order_by(TenureContract.end_date, Account.name, TenureContract.id)
    )


@dataclass(frozen=True)
class OrderTotals:
    """An account's orders over a period: list and net money, units, and cost where known.

    ``costed_list``/``cost`` cover only the orders with a unit cost, so the margin
    they give is not diluted by orders without one.
    """

    list_amount: Decimal = Decimal(0)
    net_amount: Decimal = Decimal(0)
    quantity: Decimal = Decimal(0)
    costed_list: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)

    @property
    def margin_percent(self) -> Decimal | None:
        """Gross margin of the costed orders in percent of list (None without costs)."""
        if not self.costed_list:
            return None
        return (self.costed_list - self.cost) * 100 / self.costed_list

    @property
    def average_unit_price(self) -> Decimal | None:
        return self.list_amount / self.quantity if self.quantity else None


def order_totals(
    account_ids: Sequence[int], start: date, end: date, currency: str = "EUR"
) -> dict[int, OrderTotals]:
    """Order totals per account for orders dated in [start, end], in one statement."""
    if not account_ids:
        return {}
    has_cost = Order.unit_cost.is_not(None)
    rows = db.session.execute(
        select(
            Order.account_id,
            func.coalesce(func.sum(Order.list_amount), 0),
            func.coalesce(func.sum(Order.net_amount), 0),
            func.coalesce(func.sum(Order.quantity), 0),
            func.coalesce(func.sum(case((has_cost, Order.list_amount), else_=0)), 0),
            func.coalesce(func.sum(case((has_cost, Order.quantity * Order.unit_cost), else_=0)), 0),
        )
        .where(
            among(Order.account_id, account_ids),
            Order.order_date >= start,
            Order.order_date <= end,
        )
        .group_by(Order.account_id)
    )
    # SQLite sums Numeric columns as floats: bring them back to exact cents.
    totals = {}
    for account_id, list_amount, net, quantity, costed_list, cost in rows:
        totals[account_id] = OrderTotals(
            list_amount=round_money(Decimal(str(list_amount)), currency),
            net_amount=round_money(Decimal(str(net)), currency),
            quantity=Decimal(str(quantity)).quantize(Decimal("0.001")),
            costed_list=round_money(Decimal(str(costed_list)), currency),
            cost=round_money(Decimal(str(cost)), currency),
        )
    return totals
