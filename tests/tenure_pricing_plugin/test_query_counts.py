"""Pages, API and hooks run the same number of SQL statements at any data size (no N+1)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Order
from b2b_loyalty.plugin_host import plugin_host
from plugins.tenure_pricing.models import TenureContract


def _grow(owner, category, n_accounts: int, contracts_each: int) -> list[int]:
    """Accounts with consecutive yearly contracts ending within 60 days, and some orders."""
    start = db.session.query(Account).count()
    db.session.execute(
        insert(Account),
        [{"name": f"Account {start + i:04d}", "owner_id": owner.id} for i in range(n_accounts)],
    )
    ids = [a.id for a in db.session.query(Account).order_by(Account.id).all()[start:]]
    rows = []
    for account_id in ids:
        end = date.today() + timedelta(days=10 + account_id % 50)
        for k in range(contracts_each):
            last_day = end - timedelta(days=365 * k)
            rows.append(
                {
                    "account_id": account_id,
                    "number": f"N-{account_id}-{k}",
                    "start_date": last_day - timedelta(days=364),
                    "end_date": last_day,
                    "term_months": 12,
                    "auto_renew": False,
                    "status": "active" if k == 0 else "expired",
                    "annual_value": Decimal(1000),
                    "membership_fee": Decimal(100) if k == 0 else None,
                    "membership_discount_percent": Decimal(5) if k == 0 else None,
                }
            )
    db.session.execute(insert(TenureContract), rows)
    db.session.execute(
        insert(Order),
        [
            {
                "account_id": account_id,
                "order_date": date.today() - timedelta(days=k + 1),
                "category_id": category.id,
                "quantity": Decimal(1),
                "unit_price": Decimal(10),
                "list_amount": Decimal(10),
                "discount_amount": Decimal(0),
                "net_amount": Decimal(10),
                "unit_cost": Decimal(7),
                "currency": "EUR",
            }
            for account_id in ids
            for k in range(3)
        ],
    )
    db.session.commit()
    return ids


def _cost(client, count_statements, path: str, **kwargs) -> int:
    with count_statements() as seen:
        response = client.get(path, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return len(seen)


@pytest.fixture
def manager_with_schedule(people, approve_schedule):
    approve_schedule()
    return people["manager"]


def test_account_panel_costs_the_same_for_2_and_20_contracts(
    client, login, manager_with_schedule, category, count_statements
):
    login(manager_with_schedule)
    [small_id] = _grow(manager_with_schedule, category, 1, 2)
    [large_id] = _grow(manager_with_schedule, category, 1, 20)
    # A first page fills what the process keeps between requests (the company's ABC
    # ranking, until the orders change); without it the first count has one more.
    client.get(f"/accounts/{small_id}")
    small = _cost(client, count_statements, f"/accounts/{small_id}")
    large = _cost(client, count_statements, f"/accounts/{large_id}")
    assert small == large
    # The contracts panel and the health hook share one read of the account's contracts.
    with count_statements() as seen:
        client.get(f"/accounts/{large_id}")
    assert sum("FROM tenure_contracts" in s for s in seen) == 1


@pytest.mark.parametrize("role", ["account_manager", "sales_lead"])
def test_expiring_list_costs_the_same_for_5_and_60_accounts(
    client, login, manager_with_schedule, people, category, count_statements, role
):
    login(manager_with_schedule if role == "account_manager" else people["lead"])
    _grow(manager_with_schedule, category, 5, 3)
    small = _cost(client, count_statements, "/tenure/contracts/expiring?per_page=100")
    _grow(manager_with_schedule, category, 55, 3)
    large = _cost(client, count_statements, "/tenure/contracts/expiring?per_page=100")
    assert small == large
    assert "Account 0059" in client.get("/tenure/contracts/expiring?per_page=100").get_data(
        as_text=True
    )


def test_api_contract_list_costs_the_same_for_3_and_40_contracts(
    client, api_headers, manager_with_schedule, category, count_statements
):
    headers = api_headers(manager_with_schedule)
    [small_id] = _grow(manager_with_schedule, category, 1, 3)
    [large_id] = _grow(manager_with_schedule, category, 1, 40)
    # A token's first use in a minute is recorded (token_used); measure the next ones.
    client.get(f"/api/v1/accounts/{small_id}/contracts", headers=headers)
    small = _cost(
        client,
        count_statements,
        f"/api/v1/accounts/{small_id}/contracts?per_page=100",
        headers=headers,
    )
    large = _cost(
        client,
        count_statements,
        f"/api/v1/accounts/{large_id}/contracts?per_page=100",
        headers=headers,
    )
    assert small == large


@pytest.mark.parametrize(("hook", "most"), [("account_alerts", 2), ("account_health_measures", 3)])
def test_batch_hooks_cost_the_same_for_5_and_50_accounts(
    app, manager_with_schedule, category, count_statements, hook, most
):
    few = _grow(manager_with_schedule, category, 5, 3)
    many = few + _grow(manager_with_schedule, category, 45, 3)
    db.session.expire_all()
    with count_statements() as small:
        small_result = plugin_host().call(hook, account_ids=few, as_of=date.today())
    with count_statements() as large:
        large_result = plugin_host().call(hook, account_ids=many, as_of=date.today())
    assert len(small) == len(large) <= most
    assert len(small_result) == 5 and len(large_result) == 50


def test_price_adjustment_costs_two_statements_whatever_the_history(
    app, manager_with_schedule, category, count_statements
):
    from b2b_loyalty.plugin_api import QuoteContext

    [small_id] = _grow(manager_with_schedule, category, 1, 2)
    [large_id] = _grow(manager_with_schedule, category, 1, 30)

    def cost(account_id: int) -> int:
        quote = QuoteContext(
            account_id, category.id, Decimal(1), Decimal(100), Decimal(0), "EUR", date.today()
        )
        with count_statements() as seen:
            plugin_host().call("price_adjustments", quote=quote)
        return len(seen)

    assert cost(small_id) == cost(large_id) == 2
