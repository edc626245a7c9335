"""Concurrent edits of contracts (issue 9): a stale edit is refused, the first edit stays.

Contracts carry ``version`` (their ``row_version``, revision ten0002). Two
people read a contract; the first saves; the second, still on the version it
read, gets 409 from the API or the form again from the page, and the contract
keeps the first edit. A change that loses a race with one committed between
loading and flushing gets the same 409 (StaleDataError).
"""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import select, update

from b2b_loyalty.extensions import db
from plugins.tenure_pricing.models import TenureContract
from tests.conftest import PASSWORD

FORM = {
    "number": "E-1",
    "start_date": "2026-01-01",
    "end_date": "2026-12-31",
    "term_months": "12",
    "status": "active",
    "annual_value": "100000",
}


@pytest.fixture
def account(make_account, people):
    return make_account(people["manager"], "Contracted GmbH", team_ids=[people["other_manager"].id])


@pytest.fixture
def contract(account, add_contract):
    return add_contract(account, date(2026, 1, 1), 12, status="active", number="E-1")


def stored_notes(contract_id: int) -> str | None:
    with db.engine.connect() as conn:
        table = TenureContract.__table__
        return conn.execute(select(table.c.notes).where(table.c.id == contract_id)).scalar_one()


def test_api_second_contract_editor_gets_409_and_the_first_edit_stays(
    client, api_headers, people, account, contract
):
    """Catches a contract PATCH that overwrites a colleague's change it never saw."""
    url = f"/api/v1/accounts/{account.id}/contracts/{contract.id}"
    first, second = api_headers(people["manager"]), api_headers(people["other_manager"])
    read_first = client.get(url, headers=first).json
    read_second = client.get(url, headers=second).json
    assert read_first["version"] == read_second["version"] == 1
    saved = client.patch(
        url, json={"notes": "renewal agreed", "version": read_first["version"]}, headers=first
    )
    assert saved.status_code == 200 and saved.json["version"] == 2
    refused = client.patch(
        url, json={"notes": "to be terminated", "version": read_second["version"]}, headers=second
    )
    assert refused.status_code == 409
    conflict = refused.json["error"]["conflict"]
    assert conflict["changes"] == {
        "notes": {"yours": "to be terminated", "current": "renewal agreed"}
    }
    assert (conflict["sent_version"], conflict["current_version"]) == (1, 2)
    assert stored_notes(contract.id) == "renewal agreed"


def test_api_contract_change_that_loses_a_race_gets_409(
    client, api_headers, people, account, contract, monkeypatch
):
    """Catches a change flushed over one committed after it was loaded (StaleDataError)."""
    from plugins.tenure_pricing.services import contracts as service

    url = f"/api/v1/accounts/{account.id}/contracts/{contract.id}"
    headers = api_headers(people["manager"])
    read = client.get(url, headers=headers).json
    real_check = service.check_row_version

    def check_then_lose_the_race(record, sent_version):  # noqa: ANN001, ANN202
        real_check(record, sent_version)
        table = TenureContract.__table__
        with db.engine.begin() as conn:
            conn.execute(
                update(table)
                .where(table.c.id == contract.id)
                .values(notes="theirs", row_version=table.c.row_version + 1)
            )

    monkeypatch.setattr(service, "check_row_version", check_then_lose_the_race)
    response = client.patch(
        url, json={"notes": "mine", "version": read["version"]}, headers=headers
    )
    assert response.status_code == 409
    assert response.json["error"]["conflict"]["current"]["notes"] == "theirs"
    assert stored_notes(contract.id) == "theirs"


def test_page_second_contract_editor_gets_the_form_back_with_the_current_values(
    app, people, account, contract
):
    """Catches a stale contract form saving over a colleague's edit without a word."""
    url = f"/tenure/accounts/{account.id}/contracts/{contract.id}/edit"
    clients = []
    for user in (people["manager"], people["other_manager"]):
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        clients.append(client)
    stamps = []
    for client in clients:
        page = client.get(url).get_data(as_text=True)
        stamps.append(
            {
                "stamp-row_version": "1",
                "stamp-loaded": html.unescape(
                    page.split('name="stamp-loaded"')[1].split('value="')[1].split('"')[0]
                ),
            }
        )
    saved = clients[0].post(url, data={**FORM, **stamps[0], "notes": "renewal agreed"})
    assert saved.status_code == 302
    refused = clients[1].post(url, data={**FORM, **stamps[1], "notes": "to be terminated"})
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409
    assert "Someone else saved this contract" in page
    assert "now “renewal agreed”; you had entered “to be terminated”" in page
    assert "renewal agreed</textarea>" in page  # the form shows the current notes
    assert stored_notes(contract.id) == "renewal agreed"
