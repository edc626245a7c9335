"""Concurrent edits (issue 9): an edit based on an outdated version never overwrites silently.

Two checks are proven for each versioned record (accounts, stakeholders,
orders, discount schedules; contracts in ``tenure_pricing_plugin``):

* **the version the editor saw**: two editors read version N; the first saves
  (N+1); the second still sends N and gets 409 (API) or the form back with the
  current values (pages), and the row keeps the first edit;
* **the race inside one request**: another transaction commits between the
  request loading the row and flushing its change (simulated by committing a
  change on a separate connection right after the version check passed); the
  ORM's ``WHERE row_version = :loaded`` matches nothing, StaleDataError becomes
  the same 409 / conflict page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Table, select, update

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Order, ScheduleVersion, Stakeholder
from tests.conftest import PASSWORD

LAMPS = [
    {"from": "0", "percent": "0"},
    {"from": "100", "percent": "5"},
]


# ---------------------------------------------------------------------------- helpers


def stored(model: type, record_id: int, column: str) -> Any:
    """A column as committed in the database (not the test session's identity map)."""
    with db.engine.connect() as conn:
        return conn.execute(
            select(model.__table__.c[column]).where(model.__table__.c.id == record_id)
        ).scalar_one()


def commit_elsewhere(table: Table, record_id: int, **values: Any) -> None:
    """Another user's transaction: change the row and move its version on, committed."""
    with db.engine.begin() as conn:
        conn.execute(
            update(table)
            .where(table.c.id == record_id)
            .values(**values, row_version=table.c.row_version + 1)
        )


@pytest.fixture
def race(monkeypatch):
    """Commit a concurrent change right after the service's version check passed.

    The request has loaded the row and checked the version its client sent; the
    change is committed on a separate connection before the request flushes,
    which is the window only StaleDataError can catch.
    """

    def arm(service_module: Any, table: Table, record_id: int, **values: Any) -> list[int]:
        real_check = service_module.check_row_version
        fired: list[int] = []

        def check_then_lose_the_race(record: Any, sent_version: int | None) -> None:
            real_check(record, sent_version)
            if not fired:
                fired.append(record_id)
                commit_elsewhere(table, record_id, **values)

        monkeypatch.setattr(service_module, "check_row_version", check_then_lose_the_race)
        return fired

    return arm


def hidden_inputs(page: str) -> dict[str, str]:
    found = {}
    for tag in re.findall(r"<input[^>]*>", page):
        if 'type="hidden"' not in tag:
            continue
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            found[html.unescape(name.group(1))] = html.unescape(value.group(1) if value else "")
    return found


def input_value(page: str, name: str) -> str | None:
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag:
            value = re.search(r'value="([^"]*)"', tag)
            return html.unescape(value.group(1)) if value else ""
    return None


def logged_in_client(app, user):  # noqa: ANN001, ANN201
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def manager(make_user):
    return make_user("account_manager", name="Mia Manager")


@pytest.fixture
def teammate(make_user):
    return make_user("account_manager", name="Tom Teammate")


@pytest.fixture
def account(make_account, manager, teammate):
    return make_account(manager, "Acme Industrial", team_ids=[teammate.id], region="North")


# ------------------------------------------------------------------------------- API


def _second_editor_is_refused(
    client,  # noqa: ANN001
    url: str,
    first: dict[str, str],
    second: dict[str, str],
    headers_first: dict[str, str],
    headers_second: dict[str, str],
    key: str = "version",
) -> dict[str, Any]:
    """Both read; the first PATCHes; the second PATCHes with what it read. Its 409 body."""
    read_by_first = client.get(url, headers=headers_first).json
    read_by_second = client.get(url, headers=headers_second).json
    assert read_by_first[key] == read_by_second[key]
    saved = client.patch(url, json={**first, key: read_by_first[key]}, headers=headers_first)
    assert saved.status_code == 200, saved.json
    assert saved.json[key] == read_by_first[key] + 1
    refused = client.patch(url, json={**second, key: read_by_second[key]}, headers=headers_second)
    assert refused.status_code == 409, refused.json
    conflict = refused.json["error"]["conflict"]
    assert conflict["version_key"] == key
    assert conflict["sent_version"] == read_by_second[key]
    assert conflict["current_version"] == saved.json[key]
    assert conflict["current"] == saved.json
    return refused.json["error"]


def test_api_second_account_editor_gets_409_and_the_first_edit_stays(
    client, api_headers, manager, teammate, account
):
    """Catches a PATCH that ignores the version it was based on (lost update)."""
    error = _second_editor_is_refused(
        client,
        f"/api/v1/accounts/{account.id}",
        {"name": "Acme Group"},
        {"name": "Acme Ltd", "region": "South"},
        api_headers(manager),
        api_headers(teammate),
    )
    # Every field sent that differs from the record now, with both values.
    assert error["conflict"]["changes"] == {
        "name": {"yours": "Acme Ltd", "current": "Acme Group"},
        "region": {"yours": "South", "current": "North"},
    }
    assert "name" in error["fields"] and "version" in error["message"]
    assert stored(Account, account.id, "name") == "Acme Group"
    assert stored(Account, account.id, "region") == "North"


def test_api_second_stakeholder_editor_gets_409(client, api_headers, manager, teammate, account):
    """Catches a lost update of a person (the second PATCH would reset the circle)."""
    from b2b_loyalty.services.stakeholders import create_stakeholder

    person = create_stakeholder(manager, account, {"name": "Olga", "circle": 1})
    error = _second_editor_is_refused(
        client,
        f"/api/v1/accounts/{account.id}/stakeholders/{person.id}",
        {"circle": 2},
        {"circle": 3, "title": "CFO"},
        api_headers(manager),
        api_headers(teammate),
    )
    assert error["conflict"]["changes"]["circle"] == {"yours": 3, "current": 2}
    assert stored(Stakeholder, person.id, "circle") == 2
    assert stored(Stakeholder, person.id, "title") is None


def test_api_second_order_editor_gets_409(
    client, api_headers, manager, teammate, account, category
):
    """Catches a lost update of an order's quantity (and so of its amounts)."""
    from b2b_loyalty.services.orders import create_order

    order = create_order(
        manager,
        account,
        {
            "date": date(2026, 3, 1),
            "category_id": category.id,
            "quantity": Decimal(10),
            "unit_price": Decimal(2),
        },
    )
    error = _second_editor_is_refused(
        client,
        f"/api/v1/accounts/{account.id}/orders/{order.id}",
        {"quantity": "20"},
        {"quantity": 30},
        api_headers(manager),
        api_headers(teammate),
    )
    assert error["conflict"]["changes"] == {"quantity": {"yours": 30, "current": "20.000"}}
    assert stored(Order, order.id, "quantity") == Decimal(20)
    assert stored(Order, order.id, "list_amount") == Decimal(40)


def test_api_second_schedule_editor_gets_409_on_row_version(client, api_headers, make_user):
    """Catches a lost update of a draft's tiers; the row version is ``row_version`` here."""
    drafter, colleague = make_user("finance"), make_user("finance")
    created = client.post(
        "/api/v1/discount-schedules",
        json={"name": "Lamps", "basis": "quantity", "mode": "incremental", "tiers": LAMPS},
        headers=api_headers(drafter),
    ).json
    assert created["version"] == 1 and created["row_version"] == 1
    deeper = [LAMPS[0], {"from": "100", "percent": "7"}]
    error = _second_editor_is_refused(
        client,
        f"/api/v1/discount-schedules/{created['id']}",
        {"tiers": deeper},
        {"tiers": [LAMPS[0], {"from": "50", "percent": "5"}], "change_note": "earlier"},
        api_headers(drafter),
        api_headers(colleague),
        key="row_version",
    )
    assert set(error["conflict"]["changes"]) == {"tiers", "change_note"}
    version = db.session.get(ScheduleVersion, created["id"])
    db.session.refresh(version)
    assert [str(t.percent) for t in version.tiers] == ["0.0000", "7.0000"]
    assert version.change_note is None
    assert version.version == 1  # the schedule's own number did not move


def test_api_patch_without_a_version_is_refused_and_changes_nothing(
    client, api_headers, manager, account
):
    """Catches a PATCH that skips the check by leaving the version out."""
    url = f"/api/v1/accounts/{account.id}"
    for body in ({"name": "X"}, {"name": "X", "version": "1"}, {"name": "X", "version": True}):
        response = client.patch(url, json=body, headers=api_headers(manager))
        assert response.status_code == 422
        assert "version" in response.json["error"]["fields"]
    assert stored(Account, account.id, "name") == "Acme Industrial"


def test_api_schedule_approval_names_the_version_approved(client, api_headers, make_user):
    """Catches approving a draft that changed after the approver read it."""
    drafter, approver = make_user("finance"), make_user("finance")
    created = client.post(
        "/api/v1/discount-schedules",
        json={"name": "Lamps", "basis": "quantity", "mode": "incremental", "tiers": LAMPS},
        headers=api_headers(drafter),
    ).json
    submitted = client.post(
        f"/api/v1/discount-schedules/{created['id']}/submit",
        json={"row_version": created["row_version"]},
        headers=api_headers(drafter),
    )
    assert submitted.status_code == 200
    stale = client.post(
        f"/api/v1/discount-schedules/{created['id']}/approve",
        json={"comment": "ok", "row_version": created["row_version"]},
        headers=api_headers(approver),
    )
    assert stale.status_code == 409
    assert stale.json["error"]["conflict"]["current"]["status"] == "pending_approval"
    assert stored(ScheduleVersion, created["id"], "status") == "pending_approval"
    approved = client.post(
        f"/api/v1/discount-schedules/{created['id']}/approve",
        json={"comment": "ok", "row_version": submitted.json["row_version"]},
        headers=api_headers(approver),
    )
    assert approved.status_code == 200


# ------------------------------------------------------------- API: the race at flush


def test_api_account_change_that_loses_a_race_gets_the_same_409(
    client, api_headers, manager, account, race
):
    """Catches a race the version check cannot see: StaleDataError must become a 409."""
    from b2b_loyalty.services import accounts as service

    url = f"/api/v1/accounts/{account.id}"
    read = client.get(url, headers=api_headers(manager)).json
    fired = race(service, Account.__table__, account.id, name="Saved Meanwhile")
    response = client.patch(
        url, json={"notes": "mine", "version": read["version"]}, headers=api_headers(manager)
    )
    assert fired, "the concurrent change was not made"
    assert response.status_code == 409, response.json
    conflict = response.json["error"]["conflict"]
    assert conflict["sent_version"] == read["version"]
    assert conflict["current_version"] == read["version"] + 1
    assert conflict["current"]["name"] == "Saved Meanwhile"
    assert stored(Account, account.id, "notes") is None


@pytest.mark.parametrize("kind", ["stakeholder", "order", "schedule"])
def test_api_child_and_schedule_changes_that_lose_a_race_get_409(
    client, api_headers, manager, account, category, make_user, race, kind
):
    """The same race for people, orders (which also take the pricing lock) and drafts."""
    from b2b_loyalty.services import discount_schedules, orders, stakeholders

    if kind == "stakeholder":
        person = stakeholders.create_stakeholder(manager, account, {"name": "Olga", "circle": 1})
        url, headers = f"/api/v1/accounts/{account.id}/stakeholders/{person.id}", None
        module, table, row_id, theirs, mine = (
            stakeholders,
            Stakeholder.__table__,
            person.id,
            {"title": "CEO"},
            {"circle": 2},
        )
        key = "version"
    elif kind == "order":
        order = orders.create_order(
            manager,
            account,
            {
                "date": date(2026, 3, 1),
                "category_id": category.id,
                "quantity": Decimal(10),
                "unit_price": Decimal(2),
            },
        )
        url, headers = f"/api/v1/accounts/{account.id}/orders/{order.id}", None
        module, table, row_id, theirs, mine = (
            orders,
            Order.__table__,
            order.id,
            {"external_ref": "THEIRS"},
            {"quantity": "11"},
        )
        key = "version"
    else:
        finance = make_user("finance")
        version = discount_schedules.create_schedule(
            finance,
            {"name": "Lamps", "basis": "quantity", "mode": "incremental", "tiers": LAMPS},
            currency="EUR",
        )
        url, headers = f"/api/v1/discount-schedules/{version.id}", api_headers(finance)
        module, table, row_id, theirs, mine = (
            discount_schedules,
            ScheduleVersion.__table__,
            version.id,
            {"change_note": "theirs"},
            {"tiers": LAMPS[:1]},
        )
        key = "row_version"
    headers = headers or api_headers(manager)
    read = client.get(url, headers=headers).json
    fired = race(module, table, row_id, **theirs)
    response = client.patch(url, json={**mine, key: read[key]}, headers=headers)
    assert fired and response.status_code == 409, response.json
    current = response.json["error"]["conflict"]["current"]
    assert {k: current[k] for k in theirs} == theirs
    assert stored(type_of(table), row_id, "row_version") == read[key] + 1


def type_of(table: Table) -> type:
    return {m.local_table: m.class_ for m in db.Model.registry.mappers}[table]


# ------------------------------------------------------------------------------ pages


def _edit_page_conflict(
    app,  # noqa: ANN001
    first_user,  # noqa: ANN001
    second_user,  # noqa: ANN001
    url: str,
    first_change: dict[str, str],
    second_change: dict[str, str],
    form_of: Callable[[str], dict[str, str]],
) -> str:
    """Two editors open ``url``; the first saves; the second saves from its stale page.

    Returns the second editor's page, which must be the form again (409).
    """
    first, second = logged_in_client(app, first_user), logged_in_client(app, second_user)
    page_first = first.get(url).get_data(as_text=True)
    page_second = second.get(url).get_data(as_text=True)
    assert hidden_inputs(page_first)["stamp-row_version"] == "1"
    saved = first.post(url, data={**form_of(page_first), **first_change})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    refused = second.post(url, data={**form_of(page_second), **second_change})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409, page[:2000]
    assert "Someone else saved this" in page and "Nothing you entered was saved" in page
    # Saving again from the refreshed form would be a deliberate overwrite: it carries
    # the current version and values.
    assert hidden_inputs(page)["stamp-row_version"] == "2"
    return page


def _account_form(page: str) -> dict[str, Any]:
    values: dict[str, Any] = hidden_inputs(page)
    for name in ("name", "tax_id", "industry", "region"):
        values[name] = input_value(page, name) or ""
    team = re.search(r'<select[^>]*name="team_ids"[^>]*>(.*?)</select>', page, re.S)
    values["team_ids"] = re.findall(r'<option selected value="(\d+)"', team.group(1))
    return values


def test_page_second_account_editor_sees_the_current_values_and_what_changed(
    app, manager, teammate, account
):
    """Catches a stale account form overwriting a colleague's edit without a word."""
    page = _edit_page_conflict(
        app,
        manager,
        teammate,
        f"/accounts/{account.id}/edit",
        {"name": "Acme Group"},
        {"name": "Acme Ltd", "region": "South"},
        _account_form,
    )
    assert input_value(page, "name") == "Acme Group"  # the form shows the current value
    assert input_value(page, "region") == "North"
    # The note names the field someone else changed and what this editor had entered.
    assert "now “Acme Group”; you had entered “Acme Ltd”" in html.unescape(page)
    assert "Changed by someone else to “Acme Group”" in html.unescape(page)
    # The region, which only this editor changed, is listed as theirs, to be redone.
    assert "Your other changes, not saved either" in page
    assert "<strong>Region</strong>: you had entered “South” (it is “North”)" in html.unescape(page)
    assert stored(Account, account.id, "name") == "Acme Group"
    assert stored(Account, account.id, "region") == "North"


def _stakeholder_form(page: str) -> dict[str, str]:
    values = hidden_inputs(page)
    values.update(name=input_value(page, "name") or "", circle="1", influence="3")
    values.update(stance="neutral", active="y")
    return values


def test_page_second_stakeholder_editor_gets_the_conflict(app, manager, teammate, account):
    from b2b_loyalty.services.stakeholders import create_stakeholder

    person = create_stakeholder(manager, account, {"name": "Olga", "circle": 1})
    page = _edit_page_conflict(
        app,
        manager,
        teammate,
        f"/accounts/{account.id}/stakeholders/{person.id}/edit",
        {"name": "Olga Ivanova"},
        {"name": "Olga I."},
        _stakeholder_form,
    )
    assert input_value(page, "name") == "Olga Ivanova"
    assert stored(Stakeholder, person.id, "name") == "Olga Ivanova"


def test_page_second_order_editor_gets_the_conflict(app, manager, teammate, account, category):
    from b2b_loyalty.services.orders import create_order

    order = create_order(
        manager,
        account,
        {
            "date": date(2026, 3, 1),
            "category_id": category.id,
            "quantity": Decimal(10),
            "unit_price": Decimal(2),
        },
    )

    def form_of(page: str) -> dict[str, str]:
        values = hidden_inputs(page)
        values.update(date="2026-03-01", category_id=str(category.id), unit_price="2")
        values["quantity"] = input_value(page, "quantity") or ""
        return values

    page = _edit_page_conflict(
        app,
        manager,
        teammate,
        f"/accounts/{account.id}/orders/{order.id}/edit",
        {"quantity": "20"},
        {"quantity": "30"},
        form_of,
    )
    assert input_value(page, "quantity") == "20.000"
    assert input_value(page, "date") == "2026-03-01"
    assert stored(Order, order.id, "quantity") == Decimal(20)


def test_page_second_schedule_editor_gets_the_conflict(app, make_user):
    from b2b_loyalty.services.discount_schedules import create_schedule

    drafter, colleague = make_user("finance"), make_user("finance")
    version = create_schedule(
        drafter,
        {"name": "Lamps", "basis": "quantity", "mode": "incremental", "tiers": LAMPS},
        currency="EUR",
    )

    def form_of(page: str) -> dict[str, str]:
        values = hidden_inputs(page)
        values.update(basis="quantity", mode="incremental", scope="per_order")
        values.update({"effective_from": input_value(page, "effective_from") or ""})
        values.update({"tiers-0-from_value": "0", "tiers-0-percent": "0"})
        values.update({"tiers-1-from_value": "100", "tiers-1-percent": "5"})
        return values

    page = _edit_page_conflict(
        app,
        drafter,
        colleague,
        f"/pricing/schedules/{version.id}/edit",
        {"tiers-1-percent": "7"},
        {"tiers-1-percent": "6"},
        form_of,
    )
    percents = re.findall(r'name="tiers-\d+-percent"[^>]*value="([^"]*)"', page)
    assert percents[:2] == ["0", "7"]
    assert "100 → 7 %" in html.unescape(page) and "100 → 6 %" in html.unescape(page)
    tiers = db.session.scalars(
        select(ScheduleVersion).where(ScheduleVersion.id == version.id)
    ).one()
    db.session.refresh(tiers)
    assert [str(t.percent) for t in tiers.tiers] == ["0.0000", "7.0000"]


def test_page_account_change_that_loses_a_race_gets_the_conflict(app, manager, account, race):
    """The flush-time race on a page: the form comes back, nothing of it is written."""
    from b2b_loyalty.services import accounts as service

    client = logged_in_client(app, manager)
    url = f"/accounts/{account.id}/edit"
    form = _account_form(client.get(url).get_data(as_text=True))
    race(service, Account.__table__, account.id, name="Saved Meanwhile")
    response = client.post(url, data={**form, "notes": "mine"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "Changed by someone else to “Saved Meanwhile”" in page
    assert stored(Account, account.id, "notes") is None


def test_page_schedule_decision_acts_only_on_the_version_shown(app, make_user):
    """Catches approving a draft edited after the approver opened the page."""
    from b2b_loyalty.services.discount_schedules import create_schedule, submit

    drafter, approver = make_user("finance"), make_user("finance")
    version = create_schedule(
        drafter,
        {"name": "Lamps", "basis": "quantity", "mode": "incremental", "tiers": LAMPS},
        currency="EUR",
    )
    client = logged_in_client(app, approver)
    detail = client.get(f"/pricing/schedules/{version.id}").get_data(as_text=True)
    shown = hidden_inputs(detail)["row_version"]
    submit(drafter, version)  # the page above showed the draft before this
    response = client.post(
        f"/pricing/schedules/{version.id}/approve",
        data={"comment": "ok", "row_version": shown},
        follow_redirects=True,
    )
    assert "Someone else changed this schedule version" in response.get_data(as_text=True)
    assert stored(ScheduleVersion, version.id, "status") == "pending_approval"
