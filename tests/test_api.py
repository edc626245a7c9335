"""The JSON API v1: shapes, paging, field names and status codes."""

from __future__ import annotations

import pytest


@pytest.fixture
def manager(make_user):
    return make_user("account_manager")


@pytest.fixture
def headers(api_headers, manager):
    return api_headers(manager)


def test_account_crud_round_trip(client, headers, manager, make_user):
    teammate = make_user("account_manager")
    body = {
        "name": "ООО «Северный Ветер»",
        "tax_id": "7701234567",
        "industry": "Energy",
        "region": "Северо-Запад",
        "size_band": "250-999",
        "team_ids": [teammate.id],
        "notes": "Met at the trade fair.",
    }
    created = client.post("/api/v1/accounts", json=body, headers=headers)
    assert created.status_code == 201, created.json
    account = created.json
    assert isinstance(account["id"], int)
    assert {k: account[k] for k in body} == body
    assert account["owner_id"] == manager.id
    fetched = client.get(f"/api/v1/accounts/{account['id']}", headers=headers).json
    assert fetched["name"] == "ООО «Северный Ветер»"
    patched = client.patch(
        f"/api/v1/accounts/{account['id']}",
        json={"region": "Урал", "team_ids": [], "version": fetched["version"]},
        headers=headers,
    )
    assert patched.status_code == 200
    assert patched.json["region"] == "Урал" and patched.json["team_ids"] == []
    assert patched.json["industry"] == "Energy"  # untouched fields stay
    assert client.delete(f"/api/v1/accounts/{account['id']}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/accounts/{account['id']}", headers=headers).status_code == 404


def test_stakeholder_crud_with_field_names(client, headers, manager, make_account):
    account = make_account(manager)
    base = f"/api/v1/accounts/{account.id}/stakeholders"
    boss = client.post(
        base,
        json={
            "name": "Olga Ivanova",
            "title": "CEO",
            "circle": 1,
            "buying_role": "decision_maker",
            "stance": "supporter",
            "influence": 5,
        },
        headers=headers,
    )
    assert boss.status_code == 201, boss.json
    assert boss.json["active"] is True  # default when omitted
    report = client.post(
        base,
        json={
            "name": "Petr",
            "title": "Accountant",
            "department": "Finance",
            "email": "petr@example.com",
            "phone": "+7 900",
            "circle": 2,
            "reports_to_id": boss.json["id"],
            "active": False,
            "notes": "n",
        },
        headers=headers,
    )
    assert report.status_code == 201, report.json
    assert report.json["reports_to_id"] == boss.json["id"]
    assert report.json["active"] is False
    assert report.json["stance"] == "neutral" and report.json["influence"] == 3
    listing = client.get(base, headers=headers).json
    assert [s["name"] for s in listing["items"]] == ["Olga Ivanova", "Petr"]
    patched = client.patch(
        f"{base}/{report.json['id']}",
        json={"circle": 3, "version": report.json["version"]},
        headers=headers,
    )
    assert patched.json["circle"] == 3 and patched.json["title"] == "Accountant"
    assert client.delete(f"{base}/{boss.json['id']}", headers=headers).status_code == 204
    # The report's manager was deleted: the line is cleared, not left dangling.
    assert client.get(f"{base}/{report.json['id']}", headers=headers).json["reports_to_id"] is None


def test_orders_use_decimal_strings_and_iso_dates(client, headers, manager, make_account, category):
    account = make_account(manager)
    base = f"/api/v1/accounts/{account.id}/orders"
    created = client.post(
        base,
        json={
            "date": "2026-02-14",
            "category": "Lamps",
            "quantity": "350",
            "unit_price": "10.00",
            "unit_cost": "6.5",
            "external_ref": "INV-1",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.json
    order = created.json
    assert order["date"] == "2026-02-14"
    assert order["list_amount"] == "3500.00" and order["net_amount"] == "3500.00"
    assert order["currency"] == "EUR"
    assert isinstance(order["unit_price"], str)
    duplicate = client.post(
        base,
        json={
            "date": "2026-02-15",
            "category_id": category.id,
            "quantity": 1,
            "unit_price": 1,
            "external_ref": "INV-1",
        },
        headers=headers,
    )
    assert duplicate.status_code == 422
    assert "external_ref" in duplicate.json["error"]["fields"]
    patched = client.patch(
        f"{base}/{order['id']}",
        json={"quantity": 100, "version": order["version"]},
        headers=headers,
    )
    assert patched.json["list_amount"] == "1000.00"
    assert patched.json["external_ref"] == "INV-1"


def test_wallet_estimates_crud(client, headers, manager, make_account, category):
    account = make_account(manager)
    base = f"/api/v1/accounts/{account.id}/wallet-estimates"
    total = client.post(
        base,
        json={
            "year": 2026,
            "estimated_spend": "250000.00",
            "source": "annual report",
            "confidence": "medium",
        },
        headers=headers,
    )
    assert total.status_code == 201, total.json
    assert total.json["category"] is None
    per_category = client.post(
        base,
        json={"year": 2026, "category": "Lamps", "estimated_spend": "40000", "confidence": "high"},
        headers=headers,
    )
    assert per_category.status_code == 201
    assert per_category.json["category_id"] == category.id
    again = client.post(base, json={"year": 2026, "estimated_spend": "1"}, headers=headers)
    assert again.status_code == 422
    bad_confidence = client.post(
        base, json={"year": 2025, "estimated_spend": "1", "confidence": "sure"}, headers=headers
    )
    assert bad_confidence.status_code == 422
    assert "confidence" in bad_confidence.json["error"]["fields"]


def test_lists_are_paged(client, headers, manager, make_account):
    for i in range(7):
        make_account(manager, f"Paged {i}")
    page = client.get(
        "/api/v1/accounts", query_string={"per_page": 3, "page": 3}, headers=headers
    ).json
    assert page["total"] == 7 and page["pages"] == 3 and page["page"] == 3
    assert [a["name"] for a in page["items"]] == ["Paged 6"]
    junk = client.get(
        "/api/v1/accounts", query_string={"per_page": "lots", "page": "-2"}, headers=headers
    )
    assert junk.status_code == 200 and junk.json["page"] == 1


def test_categories_everyone_reads_finance_and_admin_create(client, api_headers, make_user):
    finance = api_headers(make_user("finance"))
    manager = api_headers(make_user("account_manager"))
    created = client.post("/api/v1/categories", json={"name": "Cable"}, headers=finance)
    assert created.status_code == 201 and created.json["name"] == "Cable"
    assert (
        client.post("/api/v1/categories", json={"name": "cable"}, headers=finance).status_code
        == 422
    )
    assert (
        client.post("/api/v1/categories", json={"name": "Other"}, headers=manager).status_code
        == 403
    )
    assert client.post("/api/v1/categories", json={"name": 5}, headers=finance).status_code == 422
    names = [c["name"] for c in client.get("/api/v1/categories", headers=manager).json["items"]]
    assert names == ["Cable"]


def test_unknown_api_path_and_method_answer_json(client, headers):
    missing = client.get("/api/v1/nothing-here", headers=headers)
    assert missing.status_code == 404 and missing.json["error"]["message"]
    wrong_method = client.put("/api/v1/accounts", headers=headers)
    assert wrong_method.status_code == 405 and "error" in wrong_method.json


def test_revoked_or_expired_token_is_refused(app, client, manager):
    from datetime import UTC, datetime, timedelta

    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import ApiToken
    from b2b_loyalty.services.users import issue_api_token

    plain = issue_api_token(manager)
    token = ApiToken.query.one()
    token.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    assert (
        client.get("/api/v1/accounts", headers={"Authorization": f"Bearer {plain}"}).status_code
        == 401
    )
    token.expires_at = None
    token.revoked_at = datetime.now(UTC)
    db.session.commit()
    assert (
        client.get("/api/v1/accounts", headers={"Authorization": f"Bearer {plain}"}).status_code
        == 401
    )


def test_api_ignores_the_browser_session(client, login, manager):
    """The API is exempt from CSRF, so a session cookie must never authenticate it."""
    login(manager)
    assert client.get("/api/v1/accounts").status_code == 401
