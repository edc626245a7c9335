"""Schedules in the application: versions, four-eyes approval, audit trail, quotes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import AuditEntry, Order, ScheduleFamily
from b2b_loyalty.services.security_audit import SECURITY_ACTIONS

LAMPS = [
    {"from": "0", "percent": "0"},
    {"from": "100", "percent": "5"},
    {"from": "200", "percent": "10"},
    {"from": "300", "percent": "20"},
]


@pytest.fixture
def people(make_user):
    return {
        "drafter": make_user("finance", name="Frida Finance"),
        "approver": make_user("finance", name="Fred Finance"),
        "manager": make_user("account_manager", name="Mia Manager"),
        "lead": make_user("sales_lead"),
        "admin": make_user("admin"),
    }


@pytest.fixture
def h(api_headers, people):
    return {name: api_headers(user) for name, user in people.items()}


def _create(client, headers, **extra):
    body = {
        "name": "Lamps annual",
        "basis": "quantity",
        "mode": "incremental",
        "scope": "cumulative_calendar_year",
        "tiers": LAMPS,
        "effective_from": "2026-01-01",
        **extra,
    }
    response = client.post("/api/v1/discount-schedules", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def test_finance_drafts_and_another_finance_user_approves(client, h):
    draft = _create(client, h["drafter"])
    assert draft["status"] == "draft" and draft["version"] == 1
    submitted = client.post(
        f"/api/v1/discount-schedules/{draft['id']}/submit", headers=h["drafter"]
    ).json
    assert submitted["status"] == "pending_approval"
    own = client.post(
        f"/api/v1/discount-schedules/{draft['id']}/approve",
        json={"comment": "ok"},
        headers=h["drafter"],
    )
    assert own.status_code == 403
    assert "someone else" in own.json["error"]["message"]
    manager = client.post(
        f"/api/v1/discount-schedules/{draft['id']}/approve",
        json={"comment": "ok"},
        headers=h["manager"],
    )
    assert manager.status_code == 403
    approved = client.post(
        f"/api/v1/discount-schedules/{draft['id']}/approve",
        json={"comment": "Margin checked"},
        headers=h["approver"],
    )
    assert approved.status_code == 200
    assert (
        approved.json["status"] == "approved"
        and approved.json["decision_comment"] == "Margin checked"
    )


def test_account_manager_and_sales_lead_cannot_draft(client, h):
    for who in ("manager", "lead"):
        response = client.post(
            "/api/v1/discount-schedules",
            json={"name": "X", "basis": "quantity", "mode": "incremental", "tiers": LAMPS},
            headers=h[who],
        )
        assert response.status_code == 403


def test_reject_needs_a_reason_and_returns_draft_for_editing(client, h):
    draft = _create(client, h["drafter"])
    client.post(f"/api/v1/discount-schedules/{draft['id']}/submit", headers=h["drafter"])
    no_reason = client.post(
        f"/api/v1/discount-schedules/{draft['id']}/reject", json={}, headers=h["approver"]
    )
    assert no_reason.status_code == 422
    rejected = client.post(
        f"/api/v1/discount-schedules/{draft['id']}/reject",
        json={"comment": "20% is too deep"},
        headers=h["approver"],
    )
    assert rejected.json["status"] == "rejected"
    edited = client.patch(
        f"/api/v1/discount-schedules/{draft['id']}",
        json={"tiers": LAMPS[:3], "row_version": rejected.json["row_version"]},
        headers=h["drafter"],
    )
    assert (
        edited.status_code == 200
        and edited.json["status"] == "draft"
        and len(edited.json["tiers"]) == 3
    )


def test_invalid_schedule_is_refused_with_field_errors(client, h):
    response = client.post(
        "/api/v1/discount-schedules",
        json={
            "name": "",
            "basis": "quantity",
            "mode": "incremental",
            "tiers": [{"from": "5", "percent": "101"}],
        },
        headers=h["drafter"],
    )
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert "name" in fields and "tiers.0.from" in fields and "tiers.0.percent" in fields
    assert db.session.scalar(select(ScheduleFamily.id)) is None


def _approve(client, h, schedule_id):
    client.post(f"/api/v1/discount-schedules/{schedule_id}/submit", headers=h["drafter"])
    response = client.post(
        f"/api/v1/discount-schedules/{schedule_id}/approve",
        json={"comment": "ok"},
        headers=h["approver"],
    )
    assert response.status_code == 200, response.json


def test_approved_schedule_is_immutable_and_edits_make_a_new_version(
    client, h, people, make_account, category
):
    from b2b_loyalty.services.discount_schedules import assign, get_version

    v1 = _create(client, h["drafter"])
    _approve(client, h, v1["id"])
    assert (
        client.patch(
            f"/api/v1/discount-schedules/{v1['id']}",
            json={"tiers": LAMPS[:2], "row_version": get_version(v1["id"]).row_version},
            headers=h["drafter"],
        ).status_code
        == 409
    )
    assign(people["drafter"], get_version(v1["id"]).family, category)
    account = make_account(people["manager"], "Lamp Buyer")
    # An order priced under version 1 ...
    quote = client.post(
        "/api/v1/quotes",
        json={
            "account_id": account.id,
            "category": "Lamps",
            "quantity": 350,
            "unit_price": "10.00",
            "date": "2026-03-02",
            "save": True,
        },
        headers=h["manager"],
    )
    assert quote.status_code == 201, quote.json
    assert quote.json["net_total"] == "3250.00"
    order_id = quote.json["order_id"]
    # ... then finance makes version 2 (deeper top tier) from April.
    v2 = client.post(
        f"/api/v1/discount-schedules/{v1['id']}/new-version",
        json={"effective_from": "2026-04-01"},
        headers=h["drafter"],
    )
    assert v2.status_code == 201 and v2.json["version"] == 2 and v2.json["status"] == "draft"
    tiers = [*LAMPS[:3], {"from": "300", "percent": "25"}]
    client.patch(
        f"/api/v1/discount-schedules/{v2.json['id']}",
        json={"tiers": tiers, "row_version": v2.json["row_version"]},
        headers=h["drafter"],
    )
    _approve(client, h, v2.json["id"])
    old = client.get(f"/api/v1/discount-schedules/{v1['id']}", headers=h["drafter"]).json
    assert old["status"] == "retired" and old["effective_to"] == "2026-03-31"
    assert old["tiers"] == [
        {
            "from": str(Decimal(t["from"]).quantize(Decimal("0.0001"))),
            "percent": str(Decimal(t["percent"]).quantize(Decimal("0.0001"))),
        }
        for t in LAMPS
    ]
    # The old order still shows its original breakdown and version.
    order = db.session.get(Order, order_id)
    assert order.pricing.breakdown["schedule"]["version"] == 1
    assert order.pricing.breakdown["net_total"] == "3250.00"
    assert [line["percent"] for line in order.pricing.breakdown["lines"]][-1].startswith("20")
    # A quote dated in March still uses version 1; in May version 2 (prior 350 this year).
    march = client.post(
        "/api/v1/quotes",
        json={
            "account_id": account.id,
            "category": "Lamps",
            "quantity": 10,
            "unit_price": "10",
            "date": "2026-03-20",
        },
        headers=h["manager"],
    ).json
    assert march["schedule"]["version"] == 1 and march["prior_volume"].startswith("350")
    may = client.post(
        "/api/v1/quotes",
        json={
            "account_id": account.id,
            "category": "Lamps",
            "quantity": 10,
            "unit_price": "10",
            "date": "2026-05-04",
        },
        headers=h["manager"],
    ).json
    assert may["schedule"]["version"] == 2
    assert may["lines"][0]["percent"].startswith("25") and may["net_total"] == "75.00"


def test_every_change_is_in_the_audit_log(client, h, people, category):
    from b2b_loyalty.services.discount_schedules import assign, get_version

    v1 = _create(client, h["drafter"])
    client.patch(
        f"/api/v1/discount-schedules/{v1['id']}",
        json={"tiers": LAMPS[:3], "row_version": v1["row_version"]},
        headers=h["drafter"],
    )
    _approve(client, h, v1["id"])
    assign(people["drafter"], get_version(v1["id"]).family, category)
    v2 = client.post(
        f"/api/v1/discount-schedules/{v1['id']}/new-version", json={}, headers=h["drafter"]
    ).json
    client.post(f"/api/v1/discount-schedules/{v2['id']}/submit", headers=h["drafter"])
    client.post(
        f"/api/v1/discount-schedules/{v2['id']}/reject",
        json={"comment": "no"},
        headers=h["approver"],
    )
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.not_in(SECURITY_ACTIONS)).order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == [
        "created",
        "updated",
        "submitted",
        "approved",
        "assigned",
        "new_version",
        "submitted",
        "rejected",
    ]
    updated = entries[1]
    assert len(updated.before["tiers"]) == 4 and len(updated.after["tiers"]) == 3
    assert updated.actor_id == people["drafter"].id
    assert entries[3].actor_id == people["approver"].id
    assert all(e.schedule_family_id == v1["family_id"] for e in entries)


def test_audit_log_cannot_be_edited_or_deleted(client, h):
    from b2b_loyalty.models.audit_entry import AuditLogIsAppendOnly

    _create(client, h["drafter"])
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.not_in(SECURITY_ACTIONS))
    ).one()
    entry.comment = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.not_in(SECURITY_ACTIONS))
        ).one()
    )
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert (
        db.session.scalars(select(AuditEntry).where(AuditEntry.action.not_in(SECURITY_ACTIONS)))
        .one()
        .comment
        is None
    )


def test_quote_without_a_schedule_is_list_price_and_says_why(
    client, h, people, make_account, category
):
    account = make_account(people["manager"])
    result = client.post(
        "/api/v1/quotes",
        json={"account_id": account.id, "category": "Lamps", "quantity": 3, "unit_price": "2.50"},
        headers=h["manager"],
    ).json
    assert result["schedule"] is None
    assert "no discount schedule" in result["schedule_source"]
    assert result["net_total"] == "7.50"


def test_account_specific_schedule_overrides_the_default(client, h, people, make_account, category):
    from b2b_loyalty.services.discount_schedules import assign, get_version

    default = _create(client, h["drafter"], name="Default")
    special = _create(
        client,
        h["drafter"],
        name="Special",
        scope="per_order",
        tiers=[{"from": "0", "percent": "7"}],
    )
    for s in (default, special):
        _approve(client, h, s["id"])
    account = make_account(people["manager"], "Special Co")
    other = make_account(people["manager"], "Ordinary Co")
    assign(people["drafter"], get_version(default["id"]).family, category)
    assign(people["drafter"], get_version(special["id"]).family, category, account)
    q = {"category": "Lamps", "quantity": 10, "unit_price": "10", "date": "2026-06-01"}
    special_quote = client.post(
        "/api/v1/quotes", json={**q, "account_id": account.id}, headers=h["manager"]
    ).json
    ordinary_quote = client.post(
        "/api/v1/quotes", json={**q, "account_id": other.id}, headers=h["manager"]
    ).json
    assert special_quote["schedule"]["name"] == "Special" and special_quote["net_total"] == "93.00"
    assert special_quote["schedule_source"] == "account-specific schedule"
    assert (
        ordinary_quote["schedule"]["name"] == "Default" and ordinary_quote["net_total"] == "100.00"
    )


def test_quote_for_someone_elses_account_is_404(client, h, make_user, make_account, category):
    stranger_account = make_account(make_user("account_manager"), "Not Yours")
    response = client.post(
        "/api/v1/quotes",
        json={
            "account_id": stranger_account.id,
            "category": "Lamps",
            "quantity": 1,
            "unit_price": "1",
        },
        headers=h["manager"],
    )
    assert response.status_code == 404


def test_quote_bad_input_is_422(client, h, people, make_account, category):
    account = make_account(people["manager"])
    response = client.post(
        "/api/v1/quotes",
        json={"account_id": account.id, "category": "Nope", "quantity": "x", "unit_price": -1},
        headers=h["manager"],
    )
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"category", "quantity", "unit_price"}


def test_quote_includes_plugin_price_adjustments(
    make_app, people, make_account, category, api_headers
):
    """The test plugin adds a 1 % stage-20 adjustment; the quote shows it as a line."""
    app = make_app(B2B_LOYALTY_PLUGINS="all,testplugin")
    client = app.test_client()
    account = make_account(people["manager"])
    result = client.post(
        "/api/v1/quotes",
        json={"account_id": account.id, "category": "Lamps", "quantity": 10, "unit_price": "10"},
        headers=api_headers(people["manager"]),
    ).json
    assert (
        result["adjustments"][0]["key"] == "testplugin"
        and result["adjustments"][0]["amount"] == "1.00"
    )
    assert result["net_total"] == "99.00"


def test_rolling_window_counts_the_last_365_days(app, people, make_account, category):
    from b2b_loyalty.domain.discount_schedule import Basis, Scope
    from b2b_loyalty.queries.pricing import prior_volume
    from b2b_loyalty.services.orders import create_order

    account = make_account(people["manager"])
    for day, qty in ((date(2025, 6, 1), 5), (date(2025, 6, 2), 7), (date(2026, 5, 31), 11)):
        create_order(
            people["manager"],
            account,
            {
                "date": day,
                "category_id": category.id,
                "quantity": Decimal(qty),
                "unit_price": Decimal(1),
            },
        )
    assert (
        prior_volume(
            account.id,
            category.id,
            Basis.QUANTITY,
            Scope.CUMULATIVE_ROLLING_12_MONTHS,
            date(2026, 6, 1),
        )
        == 18
    )
    assert (
        prior_volume(
            account.id,
            category.id,
            Basis.QUANTITY,
            Scope.CUMULATIVE_CALENDAR_YEAR,
            date(2026, 6, 1),
        )
        == 11
    )
    assert (
        prior_volume(account.id, category.id, Basis.AMOUNT, Scope.PER_ORDER, date(2026, 6, 1)) == 0
    )
