"""The pricing pages: schedule editor and approval, preview, quote, finance overview, audit."""

from __future__ import annotations

from sqlalchemy import select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Order, ScheduleVersion


def _schedule_form(
    name="Lamps", rows=(("0", "0"), ("100", "5"), ("200", "10"), ("300", "20")), **extra
):
    data = {
        "name": name,
        "basis": "quantity",
        "mode": "incremental",
        "scope": "per_order",
        "effective_from": "2026-01-01",
        "change_note": "first",
    }
    for i, (start, percent) in enumerate(rows):
        data[f"tiers-{i}-from_value"] = start
        data[f"tiers-{i}-percent"] = percent
    data.update(extra)
    return data


def test_finance_drafts_submits_and_a_colleague_approves_in_the_pages(
    client, login, make_user, category
):
    drafter, approver = make_user("finance"), make_user("finance")
    login(drafter)
    assert client.get("/pricing/schedules/new").status_code == 200
    response = client.post("/pricing/schedules/new", data=_schedule_form())
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    version = db.session.scalars(select(ScheduleVersion)).one()
    page = client.get(f"/pricing/schedules/{version.id}").get_data(as_text=True)
    assert "Submit for approval" in page and "<svg" in page
    assert client.post(f"/pricing/schedules/{version.id}/submit").status_code == 302
    page = client.get(f"/pricing/schedules/{version.id}").get_data(as_text=True)
    assert "Waiting for another finance user" in page and ">Approve<" not in page
    login(approver)
    assert ">Approve<" in client.get(f"/pricing/schedules/{version.id}").get_data(as_text=True)
    client.post(f"/pricing/schedules/{version.id}/approve", data={"comment": "fine"})
    db.session.expire_all()
    assert db.session.get(ScheduleVersion, version.id).status == "approved"


def test_schedule_editor_shows_engine_errors_beside_the_cells(client, login, make_user):
    login(make_user("finance"))
    response = client.post(
        "/pricing/schedules/new",
        data=_schedule_form(rows=(("5", "0"), ("100", "150"), ("50", "5"))),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count('class="errors"') >= 3
    assert db.session.scalar(select(ScheduleVersion.id)) is None


def test_schedule_editor_adds_a_row_without_saving(client, login, make_user):
    login(make_user("finance"))
    response = client.post("/pricing/schedules/new", data={**_schedule_form(), "add_row": "1"})
    assert response.status_code == 200
    assert 'name="tiers-4-from_value"' in response.get_data(as_text=True)
    assert db.session.scalar(select(ScheduleVersion.id)) is None


def test_account_manager_reads_schedules_but_cannot_author(client, login, make_user):
    login(make_user("account_manager"))
    assert client.get("/pricing/schedules/").status_code == 200
    assert client.get("/pricing/schedules/new").status_code == 403
    assert client.post("/pricing/schedules/new", data=_schedule_form()).status_code == 403
    assert client.get("/pricing/finance").status_code == 403
    assert client.get("/pricing/audit").status_code == 403


def test_preview_shows_breakdown_margin_and_cliffs(client, login, make_user):
    from b2b_loyalty.services.discount_schedules import create_schedule

    finance = make_user("finance")
    version = create_schedule(
        finance,
        {
            "name": "Coats",
            "basis": "amount",
            "mode": "all_units",
            "tiers": [
                {"from": 0, "percent": 0},
                {"from": 10000, "percent": 5},
                {"from": 20000, "percent": 10},
            ],
        },
        currency="EUR",
    )
    login(finance)
    page = client.get(f"/pricing/schedules/{version.id}?volume=22000&margin_percent=30").get_data(
        as_text=True
    )
    assert "€19,800.00" in page
    assert "Share of gross profit given away" in page and "33.33" in page
    assert "9,500.01" in page  # the first cliff starts there


def test_manager_quotes_and_saves_an_order_with_its_breakdown(
    client, login, make_user, make_account, category
):
    from b2b_loyalty.services.discount_schedules import approve, assign, create_schedule, submit

    drafter, approver, manager = (
        make_user("finance"),
        make_user("finance"),
        make_user("account_manager"),
    )
    version = create_schedule(
        drafter,
        {
            "name": "Lamps",
            "basis": "quantity",
            "mode": "incremental",
            "effective_from": "2026-01-01",
            "tiers": [
                {"from": 0, "percent": 0},
                {"from": 100, "percent": 5},
                {"from": 200, "percent": 10},
                {"from": 300, "percent": 20},
            ],
        },
        currency="EUR",
    )
    submit(drafter, version)
    approve(approver, version, "ok")
    assign(drafter, version.family, category)
    account = make_account(manager, "Quote Co")
    login(manager)
    query = {
        "account_id": account.id,
        "category_id": category.id,
        "quantity": "350",
        "unit_price": "10.00",
        "date": "2026-05-05",
    }
    page = client.get("/pricing/quote", query_string=query).get_data(as_text=True)
    assert "€3,250.00" in page and "Lamps, version 1" in page
    response = client.post("/pricing/quote", data={**query, "save": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    order = db.session.scalars(select(Order)).one()
    assert str(order.net_amount) == "3250.00"
    assert order.pricing.breakdown["lines"][1]["percent"].startswith("5")
    account_page = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert f"/accounts/{account.id}/orders/{order.id}/pricing" in account_page
    explained = client.get(f"/accounts/{account.id}/orders/{order.id}/pricing").get_data(
        as_text=True
    )
    assert "Lamps, version 1" in explained and "€950.00" in explained and "€3,250.00" in explained


def test_quote_page_does_not_offer_other_managers_accounts(
    client, login, make_user, make_account, category
):
    mine, theirs = make_user("account_manager"), make_user("account_manager")
    make_account(mine, "Mine Ltd")
    other = make_account(theirs, "Theirs Ltd")
    login(mine)
    page = client.get("/pricing/quote").get_data(as_text=True)
    assert "Mine Ltd" in page and "Theirs Ltd" not in page
    response = client.get(
        "/pricing/quote",
        query_string={
            "account_id": other.id,
            "category_id": category.id,
            "quantity": 1,
            "unit_price": 1,
        },
    )
    assert response.status_code == 404


def test_sales_lead_can_quote_but_not_save(client, login, make_user, make_account, category):
    account = make_account(make_user("account_manager"))
    login(make_user("sales_lead"))
    query = {
        "account_id": account.id,
        "category_id": category.id,
        "quantity": "1",
        "unit_price": "1",
    }
    assert client.get("/pricing/quote", query_string=query).status_code == 200
    assert client.post("/pricing/quote", data={**query, "save": "1"}).status_code == 403
    assert db.session.scalar(select(Order.id)) is None


def test_a_quote_too_large_to_price_or_store_is_refused_with_a_reason(
    client, login, make_user, make_account, category
):
    """1e309 units once broke the engine's rounding (500); a trillion × a trillion is
    priced but no money column holds it, so saving it must say so, not fail in the
    database (PostgreSQL refuses the value)."""
    manager = make_user()
    account = make_account(manager)
    login(manager)
    query = {"account_id": account.id, "category_id": category.id, "unit_price": "1"}
    for quantity in ("1e309", "1000000000000"):
        response = client.get("/pricing/quote", query_string={**query, "quantity": quantity})
        assert response.status_code == 422, quantity
        assert "Keep it below a trillion." in response.get_data(as_text=True)
    huge = {**query, "quantity": "999999999999", "unit_price": "999999999999"}
    assert client.get("/pricing/quote", query_string=huge).status_code == 200
    response = client.post("/pricing/quote", data={**huge, "save": "1"})
    assert response.status_code == 422
    assert "must stay below 100,000,000,000,000" in response.get_data(as_text=True)
    assert db.session.scalar(select(Order.id)) is None


def test_finance_overview_and_audit_log(client, login, make_user, category):
    from b2b_loyalty.services.discount_schedules import approve, create_schedule, submit

    drafter, approver = make_user("finance"), make_user("finance")
    version = create_schedule(
        drafter,
        {
            "name": "Coats",
            "basis": "amount",
            "mode": "all_units",
            "effective_from": "2026-01-01",
            "tiers": [
                {"from": 0, "percent": 0},
                {"from": 10000, "percent": 5},
                {"from": 20000, "percent": 10},
            ],
        },
        currency="EUR",
    )
    submit(drafter, version)
    approve(approver, version, "ok")
    pending = create_schedule(
        drafter,
        {
            "name": "Pending one",
            "basis": "amount",
            "mode": "all_units",
            "tiers": [{"from": 0, "percent": 1}],
        },
        currency="EUR",
    )
    submit(drafter, pending)
    login(approver)
    page = client.get("/pricing/finance?margin_percent=30").get_data(as_text=True)
    assert "Pending one v1" in page
    assert "Coats" in page and "€2,000.00" in page  # 10 % of 20,000
    assert "33.33 %" in page  # 10 % discount at 30 % margin gives away a third of the profit
    audit = client.get(f"/pricing/audit?schedule={version.family_id}").get_data(as_text=True)
    assert "approved" in audit and "Pending one" in audit  # the filter box lists every schedule
