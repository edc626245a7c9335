"""Bad input gets a clear field error and writes nothing — never a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Order, Stakeholder


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def manager(make_user):
    return make_user("account_manager")


@pytest.fixture
def account(manager, make_account):
    return make_account(manager, "Volga Metals", tax_id="RU-7701")


def test_duplicate_tax_id_is_a_field_error_in_the_api(client, api_headers, manager, account):
    response = client.post(
        "/api/v1/accounts",
        json={"name": "Copycat", "tax_id": "RU-7701"},
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"]["tax_id"] == [
        "Another account already uses this tax id."
    ]
    assert _count(Account) == 1


def test_duplicate_tax_id_of_an_invisible_account_is_still_refused(
    client, api_headers, make_user, account
):
    other = make_user("account_manager")
    response = client.post(
        "/api/v1/accounts",
        json={"name": "Copycat", "tax_id": "RU-7701"},
        headers=api_headers(other),
    )
    assert response.status_code == 422
    assert "tax_id" in response.json["error"]["fields"]


def test_duplicate_tax_id_is_a_field_error_in_the_form(client, login, manager, account):
    login(manager)
    response = client.post("/accounts/new", data={"name": "Copycat", "tax_id": "RU-7701"})
    assert response.status_code == 422
    assert "Another account already uses this tax id." in response.get_data(as_text=True)
    assert _count(Account) == 1


def test_circle_4_is_refused(client, api_headers, login, manager, account):
    response = client.post(
        f"/api/v1/accounts/{account.id}/stakeholders",
        json={"name": "Ivan Petrov", "circle": 4},
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    assert "Circle must be 1" in response.json["error"]["fields"]["circle"][0]
    login(manager)
    response = client.post(
        f"/accounts/{account.id}/stakeholders/new",
        data={"name": "Ivan", "circle": "4", "influence": "3", "stance": "neutral"},
    )
    assert response.status_code == 422
    assert "Circle must be 1" in response.get_data(as_text=True)
    assert _count(Stakeholder) == 0


def test_influence_out_of_range_and_text_in_a_number(client, api_headers, manager, account):
    response = client.post(
        f"/api/v1/accounts/{account.id}/stakeholders",
        json={"name": "Anna", "circle": "one", "influence": 9},
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert set(fields) == {"circle", "influence"}
    # One clear message for a circle that is not a number, not WTForms' "could not
    # coerce" beside it.
    assert fields["circle"] == [
        "Circle must be 1 (decision makers), 2 (support functions) or 3 (influencers)."
    ]
    assert _count(Stakeholder) == 0


def test_negative_quantity_is_refused(client, api_headers, login, manager, account, category):
    response = client.post(
        f"/api/v1/accounts/{account.id}/orders",
        json={"date": "2026-03-01", "category": "Lamps", "quantity": -5, "unit_price": "10.00"},
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"]["quantity"] == ["Quantity cannot be negative."]
    login(manager)
    response = client.post(
        f"/accounts/{account.id}/orders/new",
        data={
            "date": "2026-03-01",
            "category_id": category.id,
            "quantity": "-5",
            "unit_price": "10",
        },
    )
    assert response.status_code == 422
    assert "Quantity cannot be negative." in response.get_data(as_text=True)
    assert _count(Order) == 0


@pytest.mark.parametrize("bad_date", ["2026-02-30", "01/03/2026", "yesterday", ""])
def test_malformed_date_is_refused(client, api_headers, manager, account, category, bad_date):
    response = client.post(
        f"/api/v1/accounts/{account.id}/orders",
        json={"date": bad_date, "category": "Lamps", "quantity": 5, "unit_price": "10.00"},
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    assert "date" in response.json["error"]["fields"]
    assert _count(Order) == 0


def test_unknown_category_is_refused(client, api_headers, manager, account, category):
    response = client.post(
        f"/api/v1/accounts/{account.id}/orders",
        json={"date": "2026-03-01", "category": "Unicorns", "quantity": 5, "unit_price": "10.00"},
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"]["category"] == ["Unknown category 'Unicorns'."]
    response = client.post(
        f"/api/v1/accounts/{account.id}/orders",
        json={"date": "2026-03-01", "category_id": 99999, "quantity": 5, "unit_price": "10.00"},
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    assert "category_id" in response.json["error"]["fields"]
    assert _count(Order) == 0


def test_reports_to_cycle_is_refused(client, api_headers, login, manager, account):
    from b2b_loyalty.services.stakeholders import create_stakeholder

    base = {"circle": 1, "stance": "neutral", "influence": 3, "active": True}
    ceo = create_stakeholder(manager, account, {**base, "name": "CEO"})
    cfo = create_stakeholder(manager, account, {**base, "name": "CFO", "reports_to_id": ceo.id})
    clerk = create_stakeholder(manager, account, {**base, "name": "Clerk", "reports_to_id": cfo.id})
    response = client.patch(
        f"/api/v1/accounts/{account.id}/stakeholders/{ceo.id}",
        json={"reports_to_id": clerk.id, "version": ceo.row_version},
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    assert "loop" in response.json["error"]["fields"]["reports_to_id"][0]
    response = client.patch(
        f"/api/v1/accounts/{account.id}/stakeholders/{ceo.id}",
        json={"reports_to_id": ceo.id, "version": ceo.row_version},
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    login(manager)
    response = client.post(
        f"/accounts/{account.id}/stakeholders/{ceo.id}/edit",
        data={
            "name": "CEO",
            "circle": "1",
            "influence": "3",
            "stance": "neutral",
            "active": "y",
            "reports_to_id": str(clerk.id),
        },
    )
    assert response.status_code == 422
    assert "loop" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Stakeholder, ceo.id).reports_to_id is None


def test_reports_to_must_be_at_the_same_account(
    client, api_headers, manager, account, make_account
):
    from b2b_loyalty.services.stakeholders import create_stakeholder

    other = make_account(manager, "Other Co")
    outsider = create_stakeholder(
        manager,
        other,
        {"name": "Out", "circle": 2, "stance": "neutral", "influence": 2, "active": True},
    )
    response = client.post(
        f"/api/v1/accounts/{account.id}/stakeholders",
        json={"name": "In", "circle": 1, "reports_to_id": outsider.id},
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    assert "same account" in response.json["error"]["fields"]["reports_to_id"][0]


def test_malformed_json_and_non_object_bodies_get_400(client, api_headers, manager):
    headers = {**api_headers(manager), "Content-Type": "application/json"}
    assert client.post("/api/v1/accounts", data="{not json", headers=headers).status_code == 400
    assert client.post("/api/v1/accounts", data="[1, 2]", headers=headers).status_code == 400


def test_unknown_field_is_reported_not_ignored(client, api_headers, manager, account):
    response = client.post(
        f"/api/v1/accounts/{account.id}/stakeholders",
        json={"name": "Typo", "circel": 1, "circle": 1},
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"circel": ["Unknown field."]}


def test_discount_above_list_is_refused(client, api_headers, manager, account, category):
    response = client.post(
        f"/api/v1/accounts/{account.id}/orders",
        json={
            "date": "2026-03-01",
            "category": "Lamps",
            "quantity": 1,
            "unit_price": "10",
            "discount_amount": "11",
        },
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    assert "discount_amount" in response.json["error"]["fields"]


def test_foreign_currency_is_refused_with_a_reason(client, api_headers, manager, account, category):
    response = client.post(
        f"/api/v1/accounts/{account.id}/orders",
        json={
            "date": "2026-03-01",
            "category": "Lamps",
            "quantity": 1,
            "unit_price": "10",
            "currency": "USD",
        },
        headers=api_headers(manager),
    )
    assert response.status_code == 422
    assert "EUR" in response.json["error"]["fields"]["currency"][0]


def test_order_amounts_are_computed_once_and_exactly(
    client, api_headers, manager, account, category
):
    response = client.post(
        f"/api/v1/accounts/{account.id}/orders",
        json={
            "date": "2026-03-01",
            "category": "lamps",
            "quantity": 3,
            "unit_price": 0.335,
            "discount_amount": "0.01",
        },
        headers=api_headers(manager),
    )
    assert response.status_code == 201, response.json
    body = response.json
    # 3 × 0.335 = 1.005, rounded half-up once to 1.01; net = 1.01 − 0.01.
    assert body["list_amount"] == "1.01"
    assert body["net_amount"] == "1.00"
    assert body["category"] == "Lamps"
    assert Decimal(body["quantity"]) == 3


def test_a_select_of_records_sent_a_non_id_says_what_to_do(
    client, login, manager, account, category
):
    """Select boxes of records (accounts, categories, team, people) answer a tampered,
    non-numeric value with one plain message, as a form error (422), not WTForms'
    "Invalid Choice: could not coerce."."""
    login(manager)
    quote = client.get(
        "/pricing/quote",
        query_string={"account_id": "x", "category_id": "y", "quantity": "1", "unit_price": "1"},
    )
    page = quote.get_data(as_text=True)
    assert quote.status_code == 422
    assert page.count("Choose one of the listed options.") == 2
    assert "coerce" not in page
    created = client.post("/accounts/new", data={"name": "Tampered AG", "team_ids": ["1", "z"]})
    assert created.status_code == 422
    assert "Choose one of the listed options." in created.get_data(as_text=True)
    assert _count(Account) == 1
