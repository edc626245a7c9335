"""Record-level access: another manager's contracts are 404; the expiring list is scoped."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from plugins.tenure_pricing.models import TenureContract
from tests.tenure_pricing_plugin.helpers import count_rows


@pytest.fixture
def theirs(make_account, people, add_contract):
    account = make_account(people["other_manager"], "Not Yours AG")
    contract = add_contract(
        account, date.today() - timedelta(days=300), 12, status="active", number="THEIRS-1"
    )
    return account, contract


@pytest.fixture
def mine(make_account, people, add_contract):
    account = make_account(people["manager"], "Mine GmbH")
    contract = add_contract(
        account, date.today() - timedelta(days=320), 12, status="active", number="MINE-1"
    )
    return account, contract


def test_manager_gets_404_for_another_managers_contracts_through_the_api(
    client, api_headers, people, theirs
):
    account, contract = theirs
    headers = api_headers(people["manager"])
    base = f"/api/v1/accounts/{account.id}/contracts"
    assert client.get(base, headers=headers).status_code == 404
    assert client.get(f"{base}/{contract.id}", headers=headers).status_code == 404
    assert (
        client.patch(f"{base}/{contract.id}", json={"notes": "x"}, headers=headers).status_code
        == 404
    )
    assert client.delete(f"{base}/{contract.id}", headers=headers).status_code == 404
    assert client.post(base, json={"number": "X"}, headers=headers).status_code == 404
    assert client.get(f"/api/v1/accounts/{account.id}/tenure", headers=headers).status_code == 404
    assert count_rows(TenureContract) == 1


def test_contract_of_another_account_is_404_even_with_a_visible_account(
    client, api_headers, people, mine, theirs
):
    account, _ = mine
    _, contract = theirs
    url = f"/api/v1/accounts/{account.id}/contracts/{contract.id}"
    assert client.get(url, headers=api_headers(people["manager"])).status_code == 404


def test_manager_gets_404_for_another_managers_contract_pages(client, login, people, theirs):
    account, contract = theirs
    login(people["manager"])
    base = f"/tenure/accounts/{account.id}/contracts"
    for url in (
        f"{base}/new",
        f"{base}/{contract.id}/edit",
        f"{base}/{contract.id}/delete",
        f"{base}/{contract.id}/renewal",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base}/{contract.id}/delete").status_code == 404
    assert count_rows(TenureContract) == 1


def test_expiring_list_shows_a_manager_only_their_own(client, login, people, mine, theirs):
    login(people["manager"])
    page = client.get("/tenure/contracts/expiring").get_data(as_text=True)
    assert "MINE-1" in page and "THEIRS-1" not in page
    assert "Your accounts" in page


def test_expiring_list_shows_leadership_everything(client, login, people, mine, theirs):
    login(people["lead"])
    page = client.get("/tenure/contracts/expiring").get_data(as_text=True)
    assert "MINE-1" in page and "THEIRS-1" in page
    assert people["other_manager"].name in page  # the owner column


def test_team_member_sees_the_accounts_contracts(client, api_headers, people, theirs, make_user):
    from b2b_loyalty.services.accounts import update_account

    account, _ = theirs
    update_account(people["admin"], account, {"team_ids": [people["manager"].id]})
    listed = client.get(
        f"/api/v1/accounts/{account.id}/contracts", headers=api_headers(people["manager"])
    )
    assert listed.status_code == 200 and listed.json["total"] == 1


def test_sales_lead_cannot_open_the_contract_form(client, login, people, mine):
    account, _ = mine
    login(people["lead"])
    assert client.get(f"/tenure/accounts/{account.id}/contracts/new").status_code == 403
