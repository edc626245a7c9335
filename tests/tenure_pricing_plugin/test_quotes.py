"""The tenure line in quotes (POST /api/v1/quotes), each stacking rule, the cap, and the
plugin switched off."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.tenure_pricing_plugin.helpers import years_of_contracts

QUOTE_DAY = date(2026, 6, 1)
# Three years and two months under contract on the quote day: the 4 % tier.
FIRST_START = date(2023, 4, 1)


@pytest.fixture
def volume_schedule(people, category):
    """All-units, per order: 5 % from 500 of list value, 12 % from 5,000."""
    from b2b_loyalty.services import discount_schedules as schedules

    version = schedules.create_schedule(
        people["finance"],
        {
            "name": "Lamps volume",
            "basis": "amount",
            "mode": "all_units",
            "scope": "per_order",
            "effective_from": date(2020, 1, 1),
            "tiers": [
                {"from": "0", "percent": "0"},
                {"from": "500", "percent": "5"},
                {"from": "5000", "percent": "12"},
            ],
        },
        currency="EUR",
    )
    schedules.submit(people["finance"], version)
    schedules.approve(people["finance2"], version, "ok")
    schedules.assign(people["finance"], version.family, category)
    return version


@pytest.fixture
def loyal_account(make_account, people, add_contract):
    account = make_account(people["manager"], "Loyal Industrial")
    years_of_contracts(add_contract, account, FIRST_START, 4)
    return account


def _quote(client, headers, account, quantity=100, unit_price="10"):
    response = client.post(
        "/api/v1/quotes",
        json={
            "account_id": account.id,
            "category": "Lamps",
            "quantity": quantity,
            "unit_price": unit_price,
            "date": QUOTE_DAY.isoformat(),
        },
        headers=headers,
    )
    assert response.status_code == 200, response.json
    return response.json


def test_quote_for_three_years_of_contracts_shows_volume_and_tenure_lines(
    client, api_headers, people, volume_schedule, loyal_account, approve_schedule
):
    approve_schedule(stacking="additive", max_total_percent="10")
    quote = _quote(client, api_headers(people["manager"]), loyal_account)
    assert quote["list_total"] == "1000.00"
    assert quote["effective_percent"] == "5.00" and quote["volume_discount_total"] == "50.00"
    [line] = quote["adjustments"]
    assert line["key"] == "tenure_pricing.tenure"
    assert Decimal(line["percent"]) == 4 and line["amount"] == "40.00"
    assert line["label"].startswith("Tenure discount (3 years 2 months")
    assert line["explanation"] == (
        "Tenure 4 % for 3 years 2 months since 2023-04-01. Additive with volume 5 % = 9 %."
    )
    assert quote["discount_total"] == "90.00" and quote["net_total"] == "910.00"


@pytest.mark.parametrize(
    ("rule", "cap", "extra", "net", "words"),
    [
        ("compound", "10", "38.00", "912.00", "Compound with volume 5 %: 1 − 0.95 × 0.96 = 8.8 %"),
        ("best_of", "10", "0.00", "950.00", "Best of volume 5 % and tenure 4 %: volume applies"),
        ("additive", "8", "30.00", "920.00", "capped at 8 % (maximum total discount)"),
        ("compound", "7", "20.00", "930.00", "capped at 7 %"),
    ],
)
def test_each_stacking_rule_and_the_cap_price_the_quote(
    client,
    api_headers,
    people,
    volume_schedule,
    loyal_account,
    approve_schedule,
    rule,
    cap,
    extra,
    net,
    words,
):
    approve_schedule(stacking=rule, max_total_percent=cap)
    quote = _quote(client, api_headers(people["manager"]), loyal_account)
    [line] = quote["adjustments"]
    assert line["amount"] == extra and words in line["explanation"]
    assert quote["net_total"] == net


def test_cap_below_the_volume_discount_takes_back_the_excess(
    client, api_headers, people, volume_schedule, loyal_account, approve_schedule
):
    """12 % volume, 4 % tenure, cap 10 %: the tenure line is −2 % and the total is 10 %."""
    approve_schedule(stacking="additive", max_total_percent="10")
    quote = _quote(client, api_headers(people["manager"]), loyal_account, quantity=600)
    [line] = quote["adjustments"]
    assert quote["volume_discount_total"] == "720.00"
    assert Decimal(line["percent"]) == -2 and line["amount"] == "-120.00"
    assert quote["discount_total"] == "600.00" and quote["net_total"] == "5400.00"


def test_no_tenure_line_without_contracts_or_without_a_schedule(
    client, api_headers, people, volume_schedule, make_account, loyal_account, approve_schedule
):
    headers = api_headers(people["manager"])
    assert _quote(client, headers, loyal_account)["adjustments"] == []  # no schedule yet
    approve_schedule()
    newcomer = make_account(people["manager"], "Newcomer Ltd")
    assert _quote(client, headers, newcomer)["adjustments"] == []
    assert _quote(client, headers, newcomer)["net_total"] == "950.00"


def test_saved_order_keeps_the_tenure_line(
    app, client, api_headers, people, volume_schedule, loyal_account, approve_schedule
):
    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import Order

    approve_schedule()
    response = client.post(
        "/api/v1/quotes",
        json={
            "account_id": loyal_account.id,
            "category": "Lamps",
            "quantity": 100,
            "unit_price": "10",
            "date": QUOTE_DAY.isoformat(),
            "save": True,
        },
        headers=api_headers(people["manager"]),
    )
    assert response.status_code == 201
    order = db.session.get(Order, response.json["order_id"])
    assert order.net_amount == Decimal("910.00") and order.discount_amount == Decimal("90.00")
    assert order.pricing.breakdown["adjustments"][0]["key"] == "tenure_pricing.tenure"


def test_quote_page_shows_the_tenure_line(
    client, login, people, volume_schedule, loyal_account, approve_schedule, category
):
    approve_schedule()
    login(people["manager"])
    page = client.get(
        f"/pricing/quote?account_id={loyal_account.id}&category_id={category.id}"
        f"&quantity=100&unit_price=10&date={QUOTE_DAY.isoformat()}"
    ).get_data(as_text=True)
    assert "Tenure discount (3 years 2 months" in page
    assert "Additive with volume 5 % = 9 %" in page


@pytest.mark.parametrize("plugins", ["none", "engagement"])
def test_with_the_plugin_disabled_quotes_are_volume_only_and_contract_screens_are_gone(
    make_app, api_headers, people, volume_schedule, loyal_account, approve_schedule, plugins
):
    from tests.conftest import PASSWORD

    approve_schedule()
    headers = api_headers(people["manager"])
    client = make_app(B2B_LOYALTY_PLUGINS=plugins).test_client()
    quote = client.post(
        "/api/v1/quotes",
        json={
            "account_id": loyal_account.id,
            "category": "Lamps",
            "quantity": 100,
            "unit_price": "10",
            "date": QUOTE_DAY.isoformat(),
        },
        headers=headers,
    ).json
    assert quote["adjustments"] == [] and quote["net_total"] == "950.00"
    assert (
        client.get(
            f"/api/v1/accounts/{loyal_account.id}/contracts",
            headers=headers,
        ).status_code
        == 404
    )
    client.post("/login", data={"email": people["manager"].email, "password": PASSWORD})
    page = client.get(f"/accounts/{loyal_account.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Contracts and tenure" not in html and "Contracts expiring" not in html
    assert client.get("/tenure/contracts/expiring").status_code == 404
    assert client.get("/accounts/").status_code == 200
    assert client.get("/pricing/schedules/").status_code == 200
