"""The import pages: upload, preview with mapping correction, commit, log, templates."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, ImportBatch, Order, Stakeholder
from tests.test_imports_support import (
    csv_bytes,
    order_rows,
    xlsx_bytes,
)

pytest_plugins = ["tests.test_imports_support"]


def _upload(client, entity: str, name: str, data: bytes, **extra):  # noqa: ANN001, ANN202
    return client.post(
        "/imports/",
        data={"entity": entity, "file": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )


def _batch_id(response) -> int:  # noqa: ANN001
    return int(re.search(r"/imports/(\d+)$", response.headers["Location"]).group(1))


def test_upload_shows_a_dry_run_then_commits_and_logs(
    client, login, maria, make_account, lamps_category
):
    make_account(maria, "Acme Industrial")
    login(maria)
    rows = order_rows(20)
    rows[5][3] = "-1"
    response = _upload(client, "orders", "orders.xlsx", xlsx_bytes(rows))
    assert response.status_code == 302
    batch_id = _batch_id(response)
    page = client.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert "Rejected rows" in page and "Quantity cannot be negative." in page
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0

    client.post(f"/imports/{batch_id}/commit", data={})
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0
    client.post(f"/imports/{batch_id}/commit", data={"skip_rejected": "y"})
    assert db.session.scalar(select(func.count()).select_from(Order)) == 19

    log = client.get("/imports/").get_data(as_text=True)
    assert "orders.xlsx" in log and "Imported" in log and "Maria Manager" in log
    csv_report = client.get(f"/imports/{batch_id}/rejected-rows.csv").get_data(as_text=True)
    assert "6,Quantity,quantity,'-1,Quantity cannot be negative." in csv_report
    # A committed import cannot run again.
    assert (
        client.post(f"/imports/{batch_id}/commit", data={"skip_rejected": "y"}).status_code == 302
    )
    assert db.session.scalar(select(func.count()).select_from(Order)) == 19


def test_the_mapping_can_be_corrected_on_the_preview(client, login, maria):
    login(maria)
    data = csv_bytes([["Firm", "Kind of business"], ["Acme", "Retail"]])
    batch_id = _batch_id(_upload(client, "accounts", "a.csv", data))
    page = client.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert "Map a column to: Name." in page
    response = client.post(
        f"/imports/{batch_id}/mapping", data={"column_0": "name", "column_1": "industry"}
    )
    assert response.status_code == 302
    batch = db.session.get(ImportBatch, batch_id)
    assert (batch.mapping, batch.status, batch.rows_created) == (["name", "industry"], "checked", 1)
    client.post(f"/imports/{batch_id}/commit", data={})
    assert db.session.scalar(select(Account.industry).where(Account.name == "Acme")) == "Retail"


def test_a_manager_sees_only_their_own_imports(client, login, maria, oleg):
    login(oleg)
    batch_id = _batch_id(_upload(client, "accounts", "theirs.csv", csv_bytes([["Name"], ["T"]])))
    login(maria)
    assert client.get(f"/imports/{batch_id}").status_code == 404
    assert "theirs.csv" not in client.get("/imports/").get_data(as_text=True)


def test_finance_cannot_open_the_import_pages(client, login, make_user, imports_app):
    login(make_user("finance"))
    assert client.get("/imports/").status_code == 403


def test_navigation_offers_import_to_managers_only(client, login, maria, make_user):
    login(maria)
    assert 'href="/imports/"' in client.get("/accounts/").get_data(as_text=True)
    login(make_user("sales_lead"))
    assert 'href="/imports/"' not in client.get("/accounts/").get_data(as_text=True)


def test_an_unreadable_upload_is_refused_on_the_form(client, login, maria):
    login(maria)
    response = _upload(client, "accounts", "old.xls", b"\xd0\xcf\x11\xe0junk")
    assert response.status_code == 422
    assert "save it as .xlsx or CSV" in response.get_data(as_text=True)


def test_each_template_downloads_and_reimports_cleanly(
    client, login, maria, make_account, lamps_category
):
    make_account(maria, "Acme Industrial", tax_id="7707083893")
    login(maria)
    for entity in ("accounts", "stakeholders", "orders", "wallet-estimates"):
        response = client.get(f"/imports/templates/{entity}.xlsx")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].endswith(f"{entity}-template.xlsx")
        workbook = load_workbook(io.BytesIO(response.data), read_only=True)
        assert workbook.sheetnames[1] == "How to fill in"
        batch_id = _batch_id(_upload(client, entity, f"{entity}.xlsx", response.data))
        batch = db.session.get(ImportBatch, batch_id)
        assert (batch.rows_total, batch.rows_rejected) == (1, 0), batch.rejections
        client.post(f"/imports/{batch_id}/commit", data={})
        db.session.expire_all()
        assert db.session.get(ImportBatch, batch_id).status == "committed"
    person = db.session.scalar(select(Stakeholder))
    assert (person.phone, person.circle) == ("+7 495 123-45-67", 1)


def test_admin_can_send_new_accounts_to_a_chosen_manager(client, login, ada, maria):
    login(ada)
    data = csv_bytes([["Name"], ["Delegated Ltd"]])
    batch_id = _batch_id(_upload(client, "accounts", "a.csv", data, owner_id=str(maria.id)))
    client.post(f"/imports/{batch_id}/commit", data={})
    assert db.session.scalar(select(Account.owner_id)) == maria.id
