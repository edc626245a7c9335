"""Record-level access: a manager reaches only their own and their team's accounts."""

from __future__ import annotations

import pytest

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account


@pytest.fixture
def portfolio(make_user, make_account, category):
    """Two managers with one account each, a third account shared through the team."""
    from b2b_loyalty.services.orders import create_order
    from b2b_loyalty.services.stakeholders import create_stakeholder
    from b2b_loyalty.services.wallet_estimates import create_wallet_estimate

    alice = make_user("account_manager", name="Alice")
    bob = make_user("account_manager", name="Bob")
    alices = make_account(alice, "Alice Steelworks", tax_id="AL-1", region="North")
    bobs = make_account(bob, "Bob Logistics", tax_id="BO-1", region="South")
    shared = make_account(bob, "Shared Chemicals", team_ids=[alice.id])
    person = create_stakeholder(
        bob,
        bobs,
        {"name": "Bella Buyer", "circle": 1, "stance": "neutral", "influence": 3, "active": True},
    )
    from datetime import date
    from decimal import Decimal

    order = create_order(
        bob,
        bobs,
        {
            "date": date(2026, 1, 5),
            "category_id": category.id,
            "quantity": Decimal(3),
            "unit_price": Decimal("10"),
        },
    )
    estimate = create_wallet_estimate(bob, bobs, {"year": 2026, "estimated_spend": Decimal("1000")})
    return {
        "alice": alice,
        "bob": bob,
        "alices": alices,
        "bobs": bobs,
        "shared": shared,
        "person": person,
        "order": order,
        "estimate": estimate,
    }


def test_manager_cannot_open_other_managers_account_page(client, login, portfolio):
    login(portfolio["alice"])
    bobs = portfolio["bobs"]
    for path in (
        f"/accounts/{bobs.id}",
        f"/accounts/{bobs.id}/edit",
        f"/accounts/{bobs.id}/delete",
        f"/accounts/{bobs.id}/stakeholders/new",
        f"/accounts/{bobs.id}/stakeholders/{portfolio['person'].id}/edit",
        f"/accounts/{bobs.id}/orders/{portfolio['order'].id}/edit",
        f"/accounts/{bobs.id}/wallet-estimates/{portfolio['estimate'].id}/delete",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/accounts/{bobs.id}/delete").status_code == 404
    assert client.post(f"/accounts/{bobs.id}/edit", data={"name": "Hijacked"}).status_code == 404
    assert db.session.get(Account, bobs.id).name == "Bob Logistics"


def test_manager_reads_own_and_team_accounts(client, login, portfolio):
    login(portfolio["alice"])
    assert client.get(f"/accounts/{portfolio['alices'].id}").status_code == 200
    assert client.get(f"/accounts/{portfolio['shared'].id}").status_code == 200


def test_manager_list_and_search_show_only_their_accounts(client, login, portfolio):
    login(portfolio["alice"])
    page = client.get("/accounts/").get_data(as_text=True)
    assert "Alice Steelworks" in page and "Shared Chemicals" in page
    assert "Bob Logistics" not in page
    search = client.get("/accounts/", query_string={"q": "Bob"}).get_data(as_text=True)
    assert "Bob Logistics" not in search
    assert "No account matches" in search
    by_tax_id = client.get("/accounts/", query_string={"q": "BO-1"}).get_data(as_text=True)
    assert "Bob Logistics" not in by_tax_id
    # The owner filter box does not even list Bob unless he owns something visible.
    assert (
        client.get("/accounts/", query_string={"region": "South"})
        .get_data(as_text=True)
        .count("Bob Logistics")
        == 0
    )


def test_manager_gets_404_on_every_api_route_of_other_account(client, api_headers, portfolio):
    headers = api_headers(portfolio["alice"])
    bobs = portfolio["bobs"]
    base = f"/api/v1/accounts/{bobs.id}"
    calls = [
        ("GET", base, None),
        ("PATCH", base, {"name": "Hijacked"}),
        ("DELETE", base, None),
    ]
    for kind, item in (
        ("stakeholders", portfolio["person"]),
        ("orders", portfolio["order"]),
        ("wallet-estimates", portfolio["estimate"]),
    ):
        calls += [
            ("GET", f"{base}/{kind}", None),
            ("POST", f"{base}/{kind}", {"name": "X", "circle": 1}),
            ("GET", f"{base}/{kind}/{item.id}", None),
            ("PATCH", f"{base}/{kind}/{item.id}", {"name": "Y"}),
            ("DELETE", f"{base}/{kind}/{item.id}", None),
        ]
    for method, path, body in calls:
        response = client.open(path, method=method, json=body, headers=headers)
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.json["error"]["message"]
    db.session.expire_all()
    assert db.session.get(Account, bobs.id).name == "Bob Logistics"


def test_manager_api_list_and_search_show_only_their_accounts(client, api_headers, portfolio):
    headers = api_headers(portfolio["alice"])
    names = {a["name"] for a in client.get("/api/v1/accounts", headers=headers).json["items"]}
    assert names == {"Alice Steelworks", "Shared Chemicals"}
    found = client.get("/api/v1/accounts", query_string={"q": "Logistics"}, headers=headers).json
    assert found["items"] == [] and found["total"] == 0


def test_sales_lead_reads_everything_but_cannot_edit(
    client, login, api_headers, make_user, portfolio
):
    lead = make_user("sales_lead")
    login(lead)
    bobs = portfolio["bobs"]
    assert client.get(f"/accounts/{bobs.id}").status_code == 200
    page = client.get("/accounts/").get_data(as_text=True)
    assert "Bob Logistics" in page and "Alice Steelworks" in page
    assert client.get(f"/accounts/{bobs.id}/edit").status_code == 403
    assert client.post(f"/accounts/{bobs.id}/edit", data={"name": "Changed"}).status_code == 403
    assert client.post(f"/accounts/{bobs.id}/delete").status_code == 403
    assert client.get("/accounts/new").status_code == 403
    headers = api_headers(lead)
    assert client.get(f"/api/v1/accounts/{bobs.id}", headers=headers).status_code == 200
    assert (
        client.patch(f"/api/v1/accounts/{bobs.id}", json={"name": "C"}, headers=headers).status_code
        == 403
    )
    assert client.post("/api/v1/accounts", json={"name": "New"}, headers=headers).status_code == 403
    assert client.delete(f"/api/v1/accounts/{bobs.id}", headers=headers).status_code == 403
    response = client.post(
        f"/api/v1/accounts/{bobs.id}/stakeholders", json={"name": "Z", "circle": 1}, headers=headers
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Account, bobs.id).name == "Bob Logistics"
    assert db.session.query(Account).count() == 3


def test_finance_reads_every_account(client, api_headers, make_user, portfolio):
    headers = api_headers(make_user("finance"))
    assert client.get("/api/v1/accounts", headers=headers).json["total"] == 3


def test_central_rule_filters_child_rows_in_any_query(app, portfolio):
    """Even a query written without any filter sees only the user's rows."""
    from sqlalchemy import select

    from b2b_loyalty.access import AccessScope, set_access_scope
    from b2b_loyalty.models import Order, Stakeholder, WalletEstimate

    with app.test_request_context():
        set_access_scope(AccessScope.for_user(portfolio["alice"]))
        assert db.session.scalars(select(Stakeholder)).all() == []
        assert db.session.scalars(select(Order)).all() == []
        assert db.session.scalars(select(WalletEstimate)).all() == []
        names = {a.name for a in db.session.scalars(select(Account))}
        assert names == {"Alice Steelworks", "Shared Chemicals"}
        set_access_scope(AccessScope.for_user(portfolio["bob"]))
        assert len(db.session.scalars(select(Order)).all()) == 1
    db.session.info.clear()


def test_report_rows_on_the_connection_keep_the_rule(app, portfolio):
    """``access.scoped_rows`` runs report queries on the session's connection, where the
    session's listener does not run: the rule must come with the statement, subqueries
    and joins included, be skipped only when asked, and see the session's unsaved rows."""
    from sqlalchemy import func, select

    from b2b_loyalty.access import SKIP_SCOPE_OPTION, AccessScope, scoped_rows, set_access_scope
    from b2b_loyalty.models import Order, WalletEstimate

    names = select(Account.name).order_by(Account.name)
    per_account = select(Order.account_id.label("id"), Order.net_amount.label("amount")).subquery()
    totals = select(per_account.c.id, func.sum(per_account.c.amount)).group_by(per_account.c.id)
    estimates = select(Account.name, WalletEstimate.year).join(
        WalletEstimate, WalletEstimate.account_id == Account.id
    )
    with app.test_request_context():
        set_access_scope(AccessScope.for_user(portfolio["alice"]))
        assert [r.name for r in scoped_rows(names)] == ["Alice Steelworks", "Shared Chemicals"]
        assert scoped_rows(totals) == [] and scoped_rows(estimates) == []
        everyone = scoped_rows(names.execution_options(**{SKIP_SCOPE_OPTION: True}))
        assert len(everyone) == 3
        set_access_scope(AccessScope.for_user(portfolio["bob"]))
        assert [tuple(r) for r in scoped_rows(totals)] == [
            (portfolio["bobs"].id, portfolio["order"].net_amount)
        ]
        assert [tuple(r) for r in scoped_rows(estimates)] == [("Bob Logistics", 2026)]
        portfolio["shared"].name = "Shared Chemicals AG"  # not yet flushed
        assert "Shared Chemicals AG" in [r.name for r in scoped_rows(names)]
        db.session.rollback()
        set_access_scope(AccessScope(None, False))  # a request with nobody signed in
        assert scoped_rows(names) == []
    db.session.info.clear()


def test_request_without_a_user_sees_no_account(app, portfolio):
    from sqlalchemy import select

    with app.test_request_context():
        db.session.info.clear()
        assert db.session.scalars(select(Account)).all() == []


def test_manager_creating_account_owns_it_and_cannot_assign_owner(client, api_headers, portfolio):
    alice, bob = portfolio["alice"], portfolio["bob"]
    response = client.post(
        "/api/v1/accounts", json={"name": "Mine", "owner_id": bob.id}, headers=api_headers(alice)
    )
    assert response.status_code == 201
    assert response.json["owner_id"] == alice.id
    account_id = response.json["id"]
    response = client.patch(
        f"/api/v1/accounts/{account_id}",
        json={"owner_id": bob.id, "version": response.json["version"]},
        headers=api_headers(alice),
    )
    assert response.status_code == 200
    assert response.json["owner_id"] == alice.id


def test_admin_reassigns_owner(client, api_headers, make_user, portfolio):
    admin = make_user("admin")
    alices, bob = portfolio["alices"], portfolio["bob"]
    response = client.patch(
        f"/api/v1/accounts/{alices.id}",
        json={"owner_id": bob.id, "version": alices.row_version},
        headers=api_headers(admin),
    )
    assert response.status_code == 200
    assert response.json["owner_id"] == bob.id
    # Alice lost it with the reassignment.
    assert (
        client.get(
            f"/api/v1/accounts/{alices.id}", headers=api_headers(portfolio["alice"])
        ).status_code
        == 404
    )


def _fill(rule, account_id: int) -> str:
    url = rule.rule
    for arg in rule.arguments:
        url = url.replace(f"<int:{arg}>", str(account_id) if arg == "account_id" else "1")
        url = url.replace(f"<{arg}>", "submit")
    return url


def test_every_route_with_an_account_in_its_url_answers_404_for_a_stranger(
    make_app, make_user, make_account
):
    """Walks the URL map, core and every enabled plugin: no route forgets the rule."""
    app = make_app(B2B_LOYALTY_PLUGINS="all")
    with app.app_context():
        from b2b_loyalty.services.users import issue_api_token
        from tests.conftest import PASSWORD

        owner, stranger = make_user("account_manager"), make_user("account_manager")
        foreign = make_account(owner, "Not For Strangers")
        token = issue_api_token(stranger)
        stranger_email, foreign_id = stranger.email, foreign.id
    client = app.test_client()
    assert (
        client.post("/login", data={"email": stranger_email, "password": PASSWORD}).status_code
        == 302
    )
    checked = 0
    for rule in app.url_map.iter_rules():
        if "account_id" not in rule.arguments:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            headers = {"Authorization": f"Bearer {token}"} if rule.rule.startswith("/api/") else {}
            response = client.open(_fill(rule, foreign_id), method=method, json={}, headers=headers)
            assert response.status_code == 404, (rule.rule, method, response.status_code)
            checked += 1
    assert checked >= 30
