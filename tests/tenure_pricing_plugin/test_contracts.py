"""Contracts through pages and the API: recording, bad input, the tenure endpoint."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from b2b_loyalty.models import AuditEntry
from plugins.tenure_pricing.models import TenureContract
from tests.tenure_pricing_plugin.helpers import (
    count_change_entries,
    count_rows,
    years_of_contracts,
)

GOOD = {
    "number": "FA-2026-01",
    "start_date": "2026-01-01",
    "end_date": "2026-12-31",
    "term_months": 12,
    "auto_renew": True,
    "status": "active",
    "annual_value": "120000.00",
    "membership_fee": "2400",
    "membership_discount_percent": "4",
    "document_ref": "DMS-77",
    "notes": "Framework agreement",
}


@pytest.fixture
def account(make_account, people):
    return make_account(people["manager"], "Contracted GmbH")


def test_api_creates_lists_reads_patches_and_deletes_a_contract(
    client, api_headers, people, account
):
    headers = api_headers(people["manager"])
    base = f"/api/v1/accounts/{account.id}/contracts"
    created = client.post(base, json=GOOD, headers=headers)
    assert created.status_code == 201, created.json
    body = created.json
    assert {k: body[k] for k in GOOD} == {
        **GOOD,
        "membership_fee": "2400.00",
        "membership_discount_percent": "4.0000",
    }
    listed = client.get(base, headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["number"] == "FA-2026-01"
    patched = client.patch(
        f"{base}/{body['id']}",
        json={"status": "terminated", "end_date": "2026-08-31", "version": body["version"]},
        headers=headers,
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["status"] == "terminated" and patched.json["auto_renew"] is True
    assert client.get(f"{base}/{body['id']}", headers=headers).json["end_date"] == "2026-08-31"
    assert client.delete(f"{base}/{body['id']}", headers=headers).status_code == 204
    actions = [e.action for e in AuditEntry.query.filter_by(entity="tenure_contract")]
    assert actions == ["created", "updated", "deleted"]


def test_api_derives_the_end_from_the_term(client, api_headers, people, account):
    response = client.post(
        f"/api/v1/accounts/{account.id}/contracts",
        json={"number": "T-1", "start_date": "2024-02-29", "term_months": 12, "annual_value": 0},
        headers=api_headers(people["manager"]),
    )
    assert response.status_code == 201, response.json
    assert response.json["end_date"] == "2025-02-27" and response.json["status"] == "active"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end_date": "2025-12-31"}, "end_date", "The contract cannot end before it starts."),
        ({"membership_fee": "-10"}, "membership_fee", "A fee cannot be negative."),
        (
            {"membership_discount_percent": "101"},
            "membership_discount_percent",
            "A percent runs from 0 to 100.",
        ),
        ({"annual_value": "-1"}, "annual_value", "The annual value cannot be negative."),
        ({"status": "signed"}, "status", None),
        ({"number": ""}, "number", "Give the contract number."),
        ({"term_months": 0, "end_date": None}, "term_months", "A term runs from 1 to 240 months."),
        ({"start_date": "2026-02-30"}, "start_date", None),
        # A term added to the last years of the calendar overflowed it (was a 500).
        (
            {"start_date": "9999-12-01", "end_date": None},
            "start_date",
            "Give a date between 1901 and 2998.",
        ),
        ({"annual_value": "1e30"}, "annual_value", "Keep it below a trillion."),
        ({"colour": "red"}, "colour", "Unknown field."),
    ],
)
def test_api_bad_input_gets_a_clear_error_and_writes_nothing(
    client, api_headers, people, account, change, field, message
):
    before = (count_rows(TenureContract), count_change_entries())
    response = client.post(
        f"/api/v1/accounts/{account.id}/contracts",
        json={**GOOD, **change},
        headers=api_headers(people["manager"]),
    )
    assert response.status_code == 422
    errors = response.json["error"]["fields"]
    assert field in errors
    if message:
        assert message in errors[field]
    assert (count_rows(TenureContract), count_change_entries()) == before


def test_overlapping_active_contracts_are_refused_and_nothing_is_written(
    client, api_headers, people, account
):
    headers = api_headers(people["manager"])
    base = f"/api/v1/accounts/{account.id}/contracts"
    assert client.post(base, json=GOOD, headers=headers).status_code == 201
    before = (count_rows(TenureContract), count_change_entries())
    overlapping = {
        **GOOD,
        "number": "FA-2026-02",
        "start_date": "2026-06-01",
        "end_date": "2027-05-31",
    }
    response = client.post(base, json=overlapping, headers=headers)
    assert response.status_code == 422
    [message] = response.json["error"]["fields"]["start_date"]
    assert message.startswith("Overlaps the active contract FA-2026-01 (2026-01-01 – 2026-12-31)")
    assert (count_rows(TenureContract), count_change_entries()) == before
    # The same dates as a draft (a renewal being negotiated) are fine.
    assert (
        client.post(base, json={**overlapping, "status": "draft"}, headers=headers).status_code
        == 201
    )


def test_a_patch_that_breaks_a_rule_changes_nothing(client, api_headers, people, account):
    headers = api_headers(people["manager"])
    base = f"/api/v1/accounts/{account.id}/contracts"
    item = client.post(base, json=GOOD, headers=headers).json
    response = client.patch(
        f"{base}/{item['id']}",
        json={"end_date": "2025-01-01", "version": item["version"]},
        headers=headers,
    )
    assert response.status_code == 422
    assert "end_date" in response.json["error"]["fields"]
    assert client.get(f"{base}/{item['id']}", headers=headers).json["end_date"] == "2026-12-31"


def test_duplicate_contract_number_is_refused(client, api_headers, people, account):
    headers = api_headers(people["manager"])
    base = f"/api/v1/accounts/{account.id}/contracts"
    client.post(base, json={**GOOD, "status": "expired"}, headers=headers)
    response = client.post(
        base, json={**GOOD, "start_date": "2027-01-01", "end_date": "2027-12-31"}, headers=headers
    )
    assert response.status_code == 422 and "number" in response.json["error"]["fields"]


def test_sales_lead_reads_contracts_but_cannot_write(client, api_headers, people, account):
    base = f"/api/v1/accounts/{account.id}/contracts"
    headers = api_headers(people["lead"])
    assert client.get(base, headers=headers).status_code == 200
    assert client.post(base, json=GOOD, headers=headers).status_code == 403
    assert count_rows(TenureContract) == 0


def test_contract_form_records_a_contract(client, login, people, account):
    login(people["manager"])
    page = client.get(f"/tenure/accounts/{account.id}/contracts/new")
    assert page.status_code == 200 and "New contract" in page.get_data(as_text=True)
    response = client.post(
        f"/tenure/accounts/{account.id}/contracts/new",
        data={**GOOD, "auto_renew": "y", "term_months": ""},
    )
    assert response.status_code == 302
    contract = TenureContract.query.one()
    assert (contract.term_months, contract.auto_renew) == (12, True)
    detail = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "FA-2026-01" in detail and "Contracts and tenure" in detail


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_date": "2025-12-01"}, "The contract cannot end before it starts."),
        ({"membership_fee": "-5"}, "A fee cannot be negative."),
        ({"membership_discount_percent": "150"}, "A percent runs from 0 to 100."),
    ],
)
def test_contract_form_shows_errors_beside_fields_and_writes_nothing(
    client, login, people, account, change, message
):
    login(people["manager"])
    response = client.post(f"/tenure/accounts/{account.id}/contracts/new", data={**GOOD, **change})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count_rows(TenureContract) == 0


def test_contract_form_refuses_an_overlap(client, login, people, account, add_contract):
    add_contract(account, date(2026, 1, 1), 12, status="active", number="OLD-1")
    login(people["manager"])
    response = client.post(f"/tenure/accounts/{account.id}/contracts/new", data=GOOD)
    assert response.status_code == 422
    assert "Overlaps the active contract OLD-1" in response.get_data(as_text=True)
    assert count_rows(TenureContract) == 1


def test_edit_and_delete_a_contract(client, login, people, account, add_contract):
    contract = add_contract(account, date(2026, 1, 1), 12, status="active", number="E-1")
    login(people["manager"])
    edit_url = f"/tenure/accounts/{account.id}/contracts/{contract.id}/edit"
    assert "E-1" in client.get(edit_url).get_data(as_text=True)
    response = client.post(edit_url, data={**GOOD, "number": "E-1", "notes": "changed"})
    assert response.status_code == 302
    delete_url = f"/tenure/accounts/{account.id}/contracts/{contract.id}/delete"
    assert "cannot be undone" in client.get(delete_url).get_data(as_text=True)
    assert client.post(delete_url).status_code == 302
    assert count_rows(TenureContract) == 0


def test_tenure_endpoint_states_tenure_with_its_reason(
    client, api_headers, people, account, add_contract, approve_schedule
):
    approve_schedule()
    contracts = years_of_contracts(add_contract, account, date(2022, 9, 1), 2)
    # A 12-day gap before the third contract: within the 30-day grace.
    add_contract(account, contracts[-1].end_date + timedelta(days=13), 24, status="active")
    response = client.get(
        f"/api/v1/accounts/{account.id}/tenure?on=2025-11-01",
        headers=api_headers(people["manager"]),
    )
    assert response.status_code == 200
    body = response.json
    assert (body["since"], body["months"], body["years"], body["percent"]) == (
        "2022-09-01",
        38,
        3,
        "4.0000",
    )
    assert (
        body["reason"] == "3 years 2 months since 2022-09-01; gap of 12 days in 2024 within grace"
    )
    assert body["schedule"]["stacking"] == "additive"
    bad = client.get(
        f"/api/v1/accounts/{account.id}/tenure?on=someday", headers=api_headers(people["manager"])
    )
    assert bad.status_code == 422 and "on" in bad.json["error"]["fields"]


def test_tenure_endpoint_without_contracts(client, api_headers, people, account):
    body = client.get(
        f"/api/v1/accounts/{account.id}/tenure", headers=api_headers(people["manager"])
    ).json
    assert body["months"] == 0 and body["since"] is None and body["percent"] == "0"
    assert body["reason"] == "no tenure: no signed contract yet"
