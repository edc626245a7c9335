"""``b2b-loyalty import``: dry run, commit, --owner, --skip-rejected, --map."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import func, select

from b2b_loyalty.cli import main
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, ImportBatch, Order
from tests.test_imports_support import (
    csv_bytes,
    order_rows,
    write,
    xlsx_bytes,
)

pytest_plugins = ["tests.test_imports_support"]


def _run(app, *args: str):  # noqa: ANN001, ANN202
    result = CliRunner().invoke(main, ["import", *args], obj=ScriptInfo(create_app=lambda: app))
    db.session.expire_all()
    return result


def _orders() -> int:
    return db.session.scalar(select(func.count()).select_from(Order))


def test_dry_run_reports_every_rejected_row_and_writes_nothing(
    imports_app, maria, make_account, lamps_category, tmp_path
):
    make_account(maria, "Acme Industrial")
    rows = order_rows(30)
    rows[3][1] = "someday"
    path = write(tmp_path, "orders.xlsx", xlsx_bytes(rows))
    result = _run(imports_app, "orders", str(path), "--dry-run")
    assert result.exit_code == 1
    assert "30 rows: 29 to create, 0 to update, 0 unchanged, 1 rejected." in result.output
    assert "row 4, column 'Date': Not a valid date value." in result.output
    assert "Dry run: nothing was written" in result.output
    assert _orders() == 0
    batch = db.session.scalar(select(ImportBatch))
    assert (batch.source, batch.status, batch.rows_rejected) == ("cli", "checked", 1)


def test_commit_is_all_or_nothing_unless_rejected_rows_are_skipped(
    imports_app, maria, make_account, lamps_category, tmp_path
):
    make_account(maria, "Acme Industrial")
    rows = order_rows(10)
    rows[2][3] = "-3"
    path = write(tmp_path, "orders.csv", csv_bytes(rows, delimiter=";"))
    result = _run(imports_app, "orders", str(path))
    assert result.exit_code == 1 and "Nothing was written" in result.output
    assert _orders() == 0
    result = _run(imports_app, "orders", str(path), "--skip-rejected")
    assert result.exit_code == 0, result.output
    assert _orders() == 9
    result = _run(imports_app, "orders", str(path), "--skip-rejected")
    assert "0 to create, 0 to update, 9 unchanged, 1 rejected" in result.output
    assert _orders() == 9


def test_owner_gets_new_accounts_and_brings_their_access_rules(
    imports_app, maria, oleg, make_account, lamps_category, tmp_path
):
    make_account(oleg, "Not Mine Ltd")
    accounts = write(tmp_path, "a.csv", csv_bytes([["Name", "Region"], ["Fresh Ltd", "North"]]))
    result = _run(imports_app, "accounts", str(accounts), "--owner", maria.email)
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Account.owner_id).where(Account.name == "Fresh Ltd")) == (
        maria.id
    )
    orders = write(
        tmp_path,
        "o.csv",
        csv_bytes(
            [
                ["Account", "Date", "Category", "Qty", "Price"],
                ["Fresh Ltd", "2024-02-01", "Lamps", "1", "5"],
                ["Not Mine Ltd", "2024-02-01", "Lamps", "1", "5"],
            ]
        ),
    )
    result = _run(imports_app, "orders", str(orders), "--owner", maria.email)
    assert result.exit_code == 1
    assert "row 3, column 'Account': Unknown account or not yours: Not Mine Ltd." in result.output
    # Without --owner the command line sees every account, and new accounts need an owner.
    result = _run(imports_app, "orders", str(orders), "--dry-run")
    assert result.exit_code == 0, result.output
    result = _run(imports_app, "accounts", str(accounts), "--dry-run")
    assert "Give the owner's e-mail, or import with --owner." not in result.output  # matched
    other = write(tmp_path, "b.csv", csv_bytes([["Name"], ["Orphan Ltd"]]))
    assert (
        "Give the owner's e-mail, or import with --owner."
        in _run(imports_app, "accounts", str(other), "--dry-run").output
    )


def test_owner_must_be_an_account_manager_and_entity_must_exist(imports_app, make_user, tmp_path):
    path = write(tmp_path, "a.csv", csv_bytes([["Name"], ["X"]]))
    finance = make_user("finance")
    assert (
        "is not an active account manager"
        in _run(imports_app, "accounts", str(path), "--owner", finance.email).output
    )
    result = _run(imports_app, "invoices", str(path))
    assert result.exit_code == 2 and "accounts, stakeholders, orders" in result.output


def test_map_option_corrects_the_automatic_mapping(imports_app, maria, tmp_path):
    path = write(tmp_path, "a.csv", csv_bytes([["Firm", "Kind"], ["Mapped Ltd", "Retail"]]))
    result = _run(
        imports_app,
        "accounts",
        str(path),
        "--owner",
        maria.email,
        "--map",
        "Firm=name",
        "--map",
        "kind=industry",
    )
    assert result.exit_code == 0, result.output
    assert "Firm -> Name; Kind -> Industry" in result.output
    assert db.session.scalar(select(Account.industry)) == "Retail"


def _file_sizes() -> dict[str, int]:
    """Stored bytes of each batch's uploaded file, by status ('cli' batches)."""
    rows = db.session.execute(select(ImportBatch.status, func.length(ImportBatch.file_bytes)))
    return {status: size for status, size in rows}


def test_an_imported_file_is_not_kept_and_abandoned_uploads_are_purged(
    imports_app, maria, make_account, lamps_category, tmp_path
):
    """Data minimisation (SECURITY.md 8.1.2): the client's file is dropped once its rows
    are written; an upload never imported is deleted by ``purge-imports`` after --days."""
    from datetime import timedelta

    from sqlalchemy import update

    from b2b_loyalty.models.columns import utcnow

    make_account(maria, "Acme Industrial")
    path = write(tmp_path, "orders.csv", csv_bytes(order_rows(5), delimiter=";"))
    assert _run(imports_app, "orders", str(path)).exit_code == 0
    assert _run(imports_app, "orders", str(path), "--dry-run").exit_code == 0
    sizes = _file_sizes()
    assert sizes["committed"] == 0 and sizes["checked"] > 0
    assert (
        db.session.scalar(select(ImportBatch.rows_created).where(ImportBatch.status == "committed"))
        == 5
    )  # the log keeps what the import did

    # Both batches are 40 days old; only the one never imported goes.
    db.session.execute(update(ImportBatch).values(created_at=utcnow() - timedelta(days=40)))
    db.session.commit()
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: imports_app)
    result = runner.invoke(main, ["purge-imports", "--days", "60"], obj=info)
    assert result.exit_code == 0 and "Deleted 0 upload(s)" in result.output
    result = runner.invoke(main, ["purge-imports"], obj=info)  # 30 days by default
    assert result.exit_code == 0 and "Deleted 1 upload(s)" in result.output
    db.session.expire_all()
    assert list(db.session.scalars(select(ImportBatch.status))) == ["committed"]
    for days in ("0", "99999999999"):  # refused with a message, never a traceback
        refused = runner.invoke(main, ["purge-imports", "--days", days], obj=info)
        assert refused.exit_code == 2 and "Invalid value for '--days'" in refused.output
    # A committed batch is never checked again: its file is gone and its rows are written.
    from b2b_loyalty.imports.service import check_import
    from b2b_loyalty.services.errors import Conflict

    with pytest.raises(Conflict):
        check_import(db.session.scalar(select(ImportBatch)), maria)
