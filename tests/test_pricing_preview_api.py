"""POST /api/v1/pricing/preview: the stateless calculator, and its refusals."""

from __future__ import annotations

import pytest

LAMPS = [
    {"from": "0", "percent": "0"},
    {"from": "100", "percent": "5"},
    {"from": "200", "percent": "10"},
    {"from": "300", "percent": "20"},
]
COATS = [
    {"from": "0", "percent": "0"},
    {"from": "10000", "percent": "5"},
    {"from": "20000", "percent": "10"},
]


@pytest.fixture
def headers(api_headers, make_user):
    return api_headers(make_user("account_manager"))


def test_lamp_packs_reference_example(client, headers):
    body = {
        "basis": "quantity",
        "mode": "incremental",
        "tiers": LAMPS,
        "quantity": 350,
        "unit_price": "10.00",
        "unit_cost": "6.00",
    }
    response = client.post("/api/v1/pricing/preview", json=body, headers=headers)
    assert response.status_code == 200, response.json
    result = response.json
    assert result["net_total"] == "3250.00"
    assert result["list_total"] == "3500.00" and result["discount_total"] == "250.00"
    assert [line["net"] for line in result["lines"]] == ["1000.00", "950.00", "900.00", "400.00"]
    assert result["lines"][3]["to"] is None and result["lines"][0]["to"] == "100"
    assert result["next_tier"] is None
    assert result["margin"]["gross_profit_before"] == "1400.00"
    assert result["margin"]["gross_profit_after"] == "1150.00"
    assert result["cliffs"] == []


def test_coat_all_units_reference_example_with_cliffs(client, headers):
    body = {
        "basis": "amount",
        "mode": "all_units",
        "tiers": COATS,
        "amount": "22000.00",
        "margin_percent": "30",
    }
    result = client.post("/api/v1/pricing/preview", json=body, headers=headers).json
    assert result["net_total"] == "19800.00"
    assert result["effective_percent"] == "10.00"
    assert [c["threshold"] for c in result["cliffs"]] == ["10000", "20000"]
    assert result["margin"]["share_of_profit_given_away"] == "33.33"


def test_next_tier_hint(client, headers):
    body = {
        "basis": "quantity",
        "mode": "incremental",
        "tiers": LAMPS,
        "quantity": 150,
        "unit_price": "10",
    }
    hint = client.post("/api/v1/pricing/preview", json=body, headers=headers).json["next_tier"]
    assert hint == {"volume_needed": "50", "percent": "10", "from": "200"}


def test_prior_volume_positions_a_cumulative_order(client, headers):
    whole = {
        "basis": "quantity",
        "mode": "incremental",
        "tiers": LAMPS,
        "quantity": 350,
        "unit_price": "10",
    }
    first = {**whole, "quantity": 150}
    second = {**whole, "quantity": 200, "prior_volume": 150}
    a = client.post("/api/v1/pricing/preview", json=first, headers=headers).json
    b = client.post("/api/v1/pricing/preview", json=second, headers=headers).json
    total = client.post("/api/v1/pricing/preview", json=whole, headers=headers).json
    from decimal import Decimal

    assert Decimal(a["net_total"]) + Decimal(b["net_total"]) == Decimal(total["net_total"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tiers": None}, "tiers"),
        ({"tiers": []}, "tiers"),
        (
            {
                "tiers": [
                    {"from": "0", "percent": "0"},
                    {"from": "100", "percent": "5"},
                    {"from": "50", "percent": "9"},
                ]
            },
            "tiers.2.from",
        ),
        ({"tiers": [{"from": "0", "percent": "150"}]}, "tiers.0.percent"),
        ({"tiers": [{"from": "10", "percent": "5"}]}, "tiers.0.from"),
        ({"quantity": "lots"}, "quantity"),
        ({"quantity": -5}, "quantity"),
        ({"unit_price": "ten"}, "unit_price"),
        ({"basis": "weight"}, "basis"),
        ({"mode": "magic"}, "mode"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_bodies_get_422_with_field_errors(client, headers, change, field):
    body = {
        "basis": "quantity",
        "mode": "incremental",
        "tiers": LAMPS,
        "quantity": 350,
        "unit_price": "10.00",
    }
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    response = client.post("/api/v1/pricing/preview", json=body, headers=headers)
    assert response.status_code == 422, response.json
    fields = response.json["error"]["fields"]
    assert any(key == field or key.startswith(field) for key in fields), fields


def test_preview_needs_a_token(client):
    assert client.post("/api/v1/pricing/preview", json={}).status_code == 401
