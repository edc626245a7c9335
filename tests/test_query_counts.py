"""List and account pages cost the same number of SQL statements at any size."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Order, Stakeholder, account_team


def _grow_portfolio(owner, helper, category, n_accounts: int) -> Account:
    """Add accounts with people, team members and orders, in bulk."""
    start = db.session.query(Account).count()
    rows = [
        {
            "name": f"Account {start + i:04d}",
            "owner_id": owner.id,
            "region": "North",
            "industry": "Steel",
        }
        for i in range(n_accounts)
    ]
    db.session.execute(insert(Account), rows)
    accounts = db.session.query(Account).order_by(Account.id).all()
    new = accounts[start:]
    db.session.execute(
        insert(account_team), [{"account_id": a.id, "user_id": helper.id} for a in new]
    )
    db.session.execute(
        insert(Stakeholder),
        [
            {
                "account_id": a.id,
                "name": f"Person {a.id}-{c}",
                "circle": c,
                "stance": "neutral",
                "influence": 3,
                "active": True,
                "reports_to_id": None,
            }
            for a in new
            for c in (1, 2, 3)
        ],
    )
    db.session.execute(
        insert(Order),
        [
            {
                "account_id": a.id,
                "order_date": date(2026, 1, 1) + timedelta(days=k),
                "category_id": category.id,
                "quantity": Decimal(1),
                "unit_price": Decimal(10),
                "list_amount": Decimal(10),
                "discount_amount": Decimal(0),
                "net_amount": Decimal(10),
                "currency": "EUR",
            }
            for a in new
            for k in range(3)
        ],
    )
    db.session.commit()
    return accounts[0]


def _statements(client, count_statements, path: str) -> int:
    with count_statements() as seen:
        response = client.get(path)
    assert response.status_code == 200
    return len(seen)


@pytest.mark.parametrize("role", ["account_manager", "sales_lead"])
def test_accounts_list_costs_the_same_for_10_and_200_accounts(
    client, login, make_user, category, count_statements, role
):
    owner = make_user("account_manager")
    helper = make_user("account_manager")
    viewer = owner if role == "account_manager" else make_user(role)
    login(viewer)
    _grow_portfolio(owner, helper, category, 10)
    small = _statements(client, count_statements, "/accounts/?per_page=200")
    _grow_portfolio(owner, helper, category, 190)
    large = _statements(client, count_statements, "/accounts/?per_page=200")
    assert small == large
    assert "Account 0199" in client.get("/accounts/?per_page=200&sort=name").get_data(as_text=True)


def test_api_accounts_list_costs_the_same_for_10_and_200_accounts(
    client, api_headers, make_user, category, count_statements
):
    owner = make_user("account_manager")
    headers = api_headers(owner)
    helper = make_user("account_manager")
    _grow_portfolio(owner, helper, category, 10)

    def cost() -> int:
        with count_statements() as seen:
            response = client.get("/api/v1/accounts?per_page=200", headers=headers)
        assert response.status_code == 200
        return len(seen), response.json["total"]

    cost()  # a token's first use in a minute is recorded (token_used); measure the next ones
    small, total_small = cost()
    _grow_portfolio(owner, helper, category, 190)
    large, total_large = cost()
    assert (total_small, total_large) == (10, 200)
    assert small == large


def test_account_page_costs_the_same_for_10_and_200_accounts(
    client, login, make_user, category, count_statements
):
    owner = make_user("account_manager")
    helper = make_user("account_manager")
    login(owner)
    first = _grow_portfolio(owner, helper, category, 10)
    small = _statements(client, count_statements, f"/accounts/{first.id}")
    _grow_portfolio(owner, helper, category, 190)
    large = _statements(client, count_statements, f"/accounts/{first.id}")
    assert small == large
    assert small <= 50  # metrics panel, people, orders, estimates and every plugin panel


def test_long_id_lists_travel_as_one_parameter(app, make_user, make_account, count_statements):
    """100,000 ids in one query: beyond SQLite's and PostgreSQL's bound-parameter limits
    as a plain IN list; ``among`` sends them as one array value and finds the same rows."""
    from sqlalchemy import func, select

    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import Account
    from b2b_loyalty.queries.id_lists import among

    owner = make_user("account_manager")
    accounts = [make_account(owner, f"Client {i}") for i in range(3)]
    wanted = [accounts[0].id, accounts[2].id, *range(10**6, 10**6 + 100_000)]
    with count_statements() as statements:
        found = db.session.scalars(select(Account.id).where(among(Account.id, wanted))).all()
    assert sorted(found) == [accounts[0].id, accounts[2].id]
    assert len(statements) == 1 and statements[0].count("?") + statements[0].count("%(") <= 2
    few = db.session.scalar(
        select(func.count()).select_from(Account).where(among(Account.id, [accounts[1].id]))
    )
    assert few == 1
