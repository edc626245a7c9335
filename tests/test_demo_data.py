"""The demo portfolio behind ``b2b-loyalty demo``: realistic, complete, idempotent, deterministic."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from b2b_loyalty.demo_data import DEMO_PASSWORD, build_demo, demo_window
from b2b_loyalty.domain.decision_circles import BuyingRole, Stance
from b2b_loyalty.domain.money import round_money
from b2b_loyalty.domain.roles import Role
from b2b_loyalty.extensions import db
from b2b_loyalty.models import (
    Account,
    Order,
    ProductCategory,
    Stakeholder,
    User,
    WalletEstimate,
    account_team,
)
from b2b_loyalty.models.account import SIZE_BANDS
from b2b_loyalty.models.wallet_estimate import CONFIDENCE_LEVELS
from b2b_loyalty.services.users import MIN_PASSWORD_LENGTH
from tests.conftest import _empty_all_tables

AS_OF = date(2026, 11, 26)
WINDOW_START, WINDOW_END = date(2024, 12, 1), date(2026, 11, 25)
TABLES = (User, Account, Stakeholder, ProductCategory, Order, WalletEstimate)


def _counts() -> dict[str, int]:
    counts = {
        m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES
    }
    counts["account_team"] = db.session.scalar(select(func.count()).select_from(account_team))
    return counts


def _digest(*, with_orders: bool = True) -> str:
    """SHA-256 of everything the demo wrote, by content (never by generated ids)."""
    owner, member, boss = aliased(User), aliased(User), aliased(Stakeholder)
    lines: list[str] = []
    lines += [
        f"user|{u.email}|{u.name}|{u.role}|{u.locale}|{u.active}"
        for u in db.session.scalars(select(User))
    ]
    lines += [f"category|{n}" for n in db.session.scalars(select(ProductCategory.name))]
    accounts = select(
        Account.name,
        Account.tax_id,
        Account.industry,
        Account.region,
        Account.size_band,
        Account.notes,
        owner.email,
    ).join(owner, Account.owner_id == owner.id)
    lines += ["account|" + "|".join(map(str, row)) for row in db.session.execute(accounts)]
    team = (
        select(Account.name, member.email)
        .select_from(account_team)
        .join(Account, account_team.c.account_id == Account.id)
        .join(member, account_team.c.user_id == member.id)
    )
    lines += ["team|" + "|".join(row) for row in db.session.execute(team)]
    people = (
        select(
            Account.name,
            Stakeholder.name,
            Stakeholder.title,
            Stakeholder.department,
            Stakeholder.email,
            Stakeholder.phone,
            Stakeholder.circle,
            Stakeholder.buying_role,
            Stakeholder.stance,
            Stakeholder.influence,
            Stakeholder.active,
            Stakeholder.notes,
            boss.name,
        )
        .select_from(Stakeholder)
        .join(Account, Stakeholder.account_id == Account.id)
        .outerjoin(boss, Stakeholder.reports_to_id == boss.id)
    )
    lines += ["person|" + "|".join(map(str, row)) for row in db.session.execute(people)]
    if with_orders:
        orders = (
            select(
                Account.name,
                Order.external_ref,
                Order.order_date,
                ProductCategory.name,
                Order.quantity,
                Order.unit_price,
                Order.list_amount,
                Order.discount_amount,
                Order.net_amount,
                Order.unit_cost,
                Order.currency,
            )
            .select_from(Order)
            .join(Account, Order.account_id == Account.id)
            .join(ProductCategory, Order.category_id == ProductCategory.id)
        )
        lines += ["order|" + "|".join(map(str, row)) for row in db.session.execute(orders)]
        wallets = (
            select(
                Account.name,
                WalletEstimate.year,
                ProductCategory.name,
                WalletEstimate.estimated_spend,
                WalletEstimate.source,
                WalletEstimate.confidence,
                WalletEstimate.note,
            )
            .select_from(WalletEstimate)
            .join(Account, WalletEstimate.account_id == Account.id)
            .outerjoin(ProductCategory, WalletEstimate.category_id == ProductCategory.id)
        )
        lines += ["wallet|" + "|".join(map(str, row)) for row in db.session.execute(wallets)]
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def test_window_runs_24_months_up_to_the_day_before_as_of():
    assert demo_window(AS_OF) == (WINDOW_START, WINDOW_END)
    assert demo_window(date(2026, 1, 15)) == (date(2024, 2, 1), date(2026, 1, 14))
    assert len(DEMO_PASSWORD) >= MIN_PASSWORD_LENGTH


def test_demo_has_users_for_every_role_and_accounts_over_four_managers(app):
    summary = build_demo(AS_OF)

    assert summary.created
    roles = Counter(db.session.scalars(select(User.role)))
    assert roles == {"admin": 1, "sales_lead": 1, "finance": 1, "account_manager": 4}
    assert Counter(role for _, role in summary.logins) == roles
    assert {r.value for r in Role} == set(roles)

    accounts = db.session.scalars(select(Account)).all()
    assert 28 <= len(accounts) <= 32
    per_owner = Counter(a.owner.email for a in accounts)
    assert len(per_owner) == 4 and min(per_owner.values()) >= 5
    assert {a.owner.role for a in accounts} == {Role.ACCOUNT_MANAGER.value}
    assert all(a.tax_id for a in accounts)
    assert len({a.tax_id for a in accounts}) == len(accounts)
    assert {a.size_band for a in accounts} <= set(SIZE_BANDS)
    assert len({a.industry for a in accounts}) >= 6
    assert len({a.region for a in accounts}) >= 6
    teams = [a for a in accounts if a.team]
    assert len(teams) >= 3
    assert all(a.owner not in a.team for a in teams)
    assert sum(1 for a in accounts if a.notes) >= 10


def test_demo_stakeholders_cover_the_circles_with_realistic_gaps(app):
    build_demo(AS_OF)
    people = db.session.scalars(select(Stakeholder)).all()
    by_account: dict[int, list[Stakeholder]] = defaultdict(list)
    for person in people:
        by_account[person.account_id].append(person)

    assert len(by_account) == db.session.scalar(select(func.count(Account.id)))
    assert all(1 <= len(p) <= 8 for p in by_account.values())
    assert {p.circle for p in people} == {1, 2, 3}
    circles = {a: {p.circle for p in ps} for a, ps in by_account.items()}
    assert all(1 in c for c in circles.values())  # someone who decides or buys
    assert sum(1 for c in circles.values() if 3 not in c) >= 5
    assert sum(1 for c in circles.values() if c == {1, 2, 3}) >= 10
    assert sum(1 for ps in by_account.values() if len(ps) == 1) >= 3

    stances = Counter(p.stance for p in people)
    assert set(stances) <= {s.value for s in Stance}
    assert stances["neutral"] + stances["supporter"] > len(people) / 2
    assert stances["champion"] >= 3 and stances["skeptic"] >= 3 and stances["blocker"] >= 1
    assert {p.buying_role for p in people} <= {r.value for r in BuyingRole}
    assert {p.influence for p in people} <= set(range(1, 6))
    assert len({p.influence for p in people}) >= 4
    assert 2 <= sum(1 for p in people if not p.active) <= len(people) // 5
    # Titles fit the circle.
    titles = {p.circle: set() for p in people}
    for p in people:
        titles[p.circle].add(p.title)
    assert "Procurement Director" in titles[1] and "Chief Executive Officer" in titles[1]
    assert "Chief Accountant" in titles[2] and "Legal Counsel" in titles[2]
    assert "IT Security Lead" in titles[3] or "Chief Information Officer" in titles[3]

    # Reports-to lines stay inside the account and never loop.
    lines = [p for p in people if p.reports_to_id is not None]
    assert len(lines) >= 10
    manager_of = {p.id: p.reports_to_id for p in people}
    account_of = {p.id: p.account_id for p in people}
    for p in lines:
        assert account_of[p.reports_to_id] == p.account_id
        seen, current = set(), p.id
        while current is not None:
            assert current not in seen, f"reports-to loop through {p.name}"
            seen.add(current)
            current = manager_of[current]


def test_demo_orders_span_two_years_with_seasonality_and_consistent_amounts(app):
    build_demo(AS_OF)
    orders = db.session.scalars(select(Order)).all()

    assert 1500 <= len(orders) <= 3000
    assert {o.currency for o in orders} == {app.config["BASE_CURRENCY"]}
    assert len({o.category_id for o in orders}) >= 5
    dates = [o.order_date for o in orders]
    assert min(dates) >= WINDOW_START and max(dates) <= WINDOW_END
    months = Counter((d.year, d.month) for d in dates)
    assert len(months) == 24
    assert all(d.weekday() < 5 for d in dates)
    by_month = Counter()
    for (_, month), n in months.items():
        by_month[month] += n
    average = len(orders) / 12
    assert by_month[8] < average and by_month[1] < average
    assert by_month[5] > average and by_month[11] > average

    for o in orders:
        assert o.quantity == o.quantity.to_integral_value() and o.quantity >= 1
        assert o.unit_price == round_money(o.unit_price)
        assert o.list_amount == round_money(o.quantity * o.unit_price)
        assert Decimal(0) <= o.discount_amount <= round_money(o.list_amount / 10)
        assert o.net_amount == o.list_amount - o.discount_amount
        assert Decimal("0.55") <= o.unit_cost / o.unit_price <= Decimal("0.75")
        assert re.fullmatch(r"INV-\d{4}-\d{6}", o.external_ref)
        assert o.external_ref.startswith(f"INV-{o.order_date.year}-")
    assert len({o.external_ref for o in orders}) == len(orders)
    assert 0 < sum(1 for o in orders if o.discount_amount) < len(orders)

    first = dict(
        db.session.execute(
            select(Order.account_id, func.min(Order.order_date)).group_by(Order.account_id)
        ).all()
    )
    last = dict(
        db.session.execute(
            select(Order.account_id, func.max(Order.order_date)).group_by(Order.account_id)
        ).all()
    )
    lost = [a for a, d in last.items() if d < date(2026, 5, 26)]  # silent for 6+ months
    new = [a for a, d in first.items() if d >= date(2026, 8, 1)]  # first order in 3 months
    assert len(lost) >= 2 and len(new) >= 2
    breadth = Counter(account for account, _ in {(o.account_id, o.category_id) for o in orders})
    assert max(breadth.values()) >= 4 and sum(1 for n in breadth.values() if n >= 3) >= 15
    # Bigger clients buy more.
    revenue = defaultdict(Decimal)
    for o in orders:
        revenue[o.account.size_band] += o.net_amount
    assert revenue["5000+"] > revenue["1-49"] * 20


def test_demo_wallet_estimates_for_both_years_leave_some_accounts_unknown(app):
    build_demo(AS_OF)
    estimates = db.session.scalars(select(WalletEstimate)).all()
    accounts = db.session.scalar(select(func.count(Account.id)))

    assert {e.year for e in estimates} == {2025, 2026}
    with_estimate = {e.account_id for e in estimates}
    assert accounts - 8 <= len(with_estimate) <= accounts - 3
    assert any(e.category_id is None for e in estimates)
    assert any(e.category_id is not None for e in estimates)
    assert {e.source for e in estimates} == {
        "annual report",
        "procurement interview",
        "industry benchmark",
    }
    assert {e.confidence for e in estimates} <= set(CONFIDENCE_LEVELS)
    assert all(e.estimated_spend > 0 for e in estimates)
    keys = [(e.account_id, e.year, e.category_id) for e in estimates]
    assert len(keys) == len(set(keys))  # the service refuses duplicates, so must the demo
    for account_id in with_estimate:
        years = {e.year for e in estimates if e.account_id == account_id}
        assert years == {2025, 2026}
    # Mostly plausible shares, and one estimate our own sales already exceed.
    revenue = defaultdict(Decimal)
    for o in db.session.scalars(select(Order)):
        revenue[(o.account_id, o.order_date.year, o.category_id)] += o.net_amount
    shares = [
        revenue[(e.account_id, 2025, e.category_id)] / e.estimated_spend
        for e in estimates
        if e.year == 2025 and e.category_id is not None
    ]
    assert sum(1 for s in shares if Decimal("0.1") <= s <= 1) >= len(shares) - 2
    assert any(s > 1 for s in shares)


def test_cyrillic_names_survive_the_round_trip(app):
    build_demo(AS_OF)
    db.session.expire_all()

    names = set(db.session.scalars(select(Account.name)))
    assert "ООО «Северсталь-Логистика»" in names
    assert sum(1 for n in names if re.search("[А-Яа-яЁё]", n)) >= 3
    russian = db.session.scalar(select(Account).where(Account.name == "ООО «Северсталь-Логистика»"))
    assert russian.stakeholders
    assert all(re.search("[А-Яа-яЁё]", p.name) for p in russian.stakeholders)
    assert all(p.email is None or p.email.isascii() for p in russian.stakeholders)


def test_building_twice_changes_nothing(app, count_statements):
    first = build_demo(AS_OF)
    before, digest = _counts(), _digest()

    with count_statements() as seen:
        again = build_demo(date(2027, 3, 1))  # even with another date

    assert not again.created
    assert not [s for s in seen if re.match(r"\s*(INSERT|UPDATE|DELETE)", s, re.I)]
    assert _counts() == before and _digest() == digest
    assert again.logins == first.logins
    assert (again.users, again.accounts, again.stakeholders, again.orders) == (
        first.users,
        first.accounts,
        first.stakeholders,
        first.orders,
    )
    assert (again.wallet_estimates, again.first_order, again.last_order) == (
        first.wallet_estimates,
        first.first_order,
        first.last_order,
    )
    assert first.describe().startswith("Built")
    assert "already there" in again.describe()
    for text in (first.describe(), again.describe()):
        assert f"{first.accounts} accounts" in text and f"{first.orders:,} orders" in text
    assert first.orders == before["orders"] and first.users == before["users"]


def test_builds_on_fresh_databases_are_identical_and_move_only_with_the_date(app):
    build_demo(AS_OF)
    digest, people = _digest(), _digest(with_orders=False)

    _empty_all_tables()
    build_demo(AS_OF)  # the same date: the very same data
    assert _digest() == digest

    _empty_all_tables()
    build_demo(date(2026, 12, 10))  # a month later: same clients, orders a month on
    assert _digest(with_orders=False) == people
    first, last = db.session.execute(
        select(func.min(Order.order_date), func.max(Order.order_date))
    ).one()
    assert first >= date(2025, 1, 1) and last <= date(2026, 12, 9)


def test_every_demo_login_works(app, client):
    summary = build_demo(AS_OF)

    assert len(summary.logins) == 7
    assert db.session.scalar(select(func.count(func.distinct(User.password_hash)))) == 1
    for email, role in summary.logins:
        client.post("/logout")
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, (email, role)
        assert client.get("/accounts/").status_code == 200
    client.post("/logout")
    wrong = client.post("/login", data={"email": summary.logins[0][0], "password": "not-the-demo"})
    assert wrong.status_code == 401


def test_demo_schedules_are_approved_and_price_quotes(app):
    from sqlalchemy import select as sa_select

    from b2b_loyalty.models import ScheduleAssignment, ScheduleVersion

    build_demo(AS_OF)
    statuses = sorted(db.session.scalars(sa_select(ScheduleVersion.status)).all())
    assert statuses == ["approved", "approved", "pending_approval"]
    assert db.session.query(ScheduleAssignment).count() == 2
