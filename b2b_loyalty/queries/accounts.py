"""Queries for the accounts list and the account page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, asc, desc, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Order, ProductCategory, Stakeholder, User, WalletEstimate

SORTABLE = ("name", "industry", "region", "owner", "stakeholders", "revenue_12m", "last_order")


@dataclass(frozen=True)
class AccountFilters:
    search: str = ""
    owner_id: int | None = None
    region: str = ""
    industry: str = ""
    sort: str = "name"
    descending: bool = False


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def account_rows_statement(filters: AccountFilters, today: date | None = None) -> Select:
    """One SELECT of accounts with owner, people count, 12-month revenue and last order.

    The aggregates are correlated sub-selects, so the statement count does not
    grow with the number of accounts.
    """
    today = today or date.today()
    stakeholder_count = (
        select(func.count(Stakeholder.id))
        .where(Stakeholder.account_id == Account.id, Stakeholder.active.is_(True))
        .correlate(Account)
        .scalar_subquery()
        .label("stakeholder_count")
    )
    revenue_12m = (
        select(func.coalesce(func.sum(Order.net_amount), 0))
        .where(Order.account_id == Account.id, Order.order_date > today - timedelta(days=365))
        .correlate(Account)
        .scalar_subquery()
        .label("revenue_12m")
    )
    last_order = (
        select(func.max(Order.order_date))
        .where(Order.account_id == Account.id)
        .correlate(Account)
        .scalar_subquery()
        .label("last_order")
    )
    owner = User.__table__.alias("owner")
    stmt = select(
        Account, owner.c.name.label("owner_name"), stakeholder_count, revenue_12m, last_order
    ).join(owner, owner.c.id == Account.owner_id)
    if filters.search:
        pattern = f"%{_escape_like(filters.search.strip())}%"
        stmt = stmt.where(
            or_(
                Account.name.ilike(pattern, escape="\\"),
                Account.tax_id.ilike(pattern, escape="\\"),
                Account.industry.ilike(pattern, escape="\\"),
            )
        )
    if filters.owner_id:
        stmt = stmt.where(Account.owner_id == filters.owner_id)
    if filters.region:
        stmt = stmt.where(Account.region == filters.region)
    if filters.industry:
        stmt = stmt.where(Account.industry == filters.industry)
    order_column = {
        "name": func.lower(Account.name),
        "industry": func.lower(Account.industry),
        "region": func.lower(Account.region),
        "owner": func.lower(owner.c.name),
        "stakeholders": stakeholder_count,
        "revenue_12m": revenue_12m,
        "last_order": last_order,
    }.get(filters.sort, func.lower(Account.name))
    direction = desc if filters.descending else asc
    # Account.id breaks ties so pages never overlap or skip rows.
    return stmt.order_by(direction(order_column), Account.id)


def filter_choices() -> dict[str, list]:
    """Regions, industries and owners among the visible accounts, for the filter boxes."""
    regions = db.session.scalars(
        select(Account.region)
        .where(Account.region.is_not(None))
        .distinct()
        .order_by(Account.region)
    ).all()
    industries = db.session.scalars(
        select(Account.industry)
        .where(Account.industry.is_not(None))
        .distinct()
        .order_by(Account.industry)
    ).all()
    visible_owner_ids = select(Account.owner_id).distinct()
    owners = db.session.execute(
        select(User.id, User.name)
        .where(User.id.in_(visible_owner_ids.scalar_subquery()))
        .order_by(User.name)
    ).all()
    return {"regions": list(regions), "industries": list(industries), "owners": owners}


def account_with_people(account_id: int) -> Account | None:
    """The account with owner, team, stakeholders and wallet estimates loaded eagerly."""
    return db.session.scalar(
        select(Account)
        .where(Account.id == account_id)
        .options(
            joinedload(Account.owner),
            selectinload(Account.team),
            selectinload(Account.stakeholders).joinedload(Stakeholder.reports_to),
            selectinload(Account.wallet_estimates).joinedload(WalletEstimate.category),
            selectinload(Account.supplier_rankings),
        )
    )


def all_categories() -> list[ProductCategory]:
    return list(db.session.scalars(select(ProductCategory).order_by(ProductCategory.name)))


def active_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))
