"""Shared set-up of the import tests: wiring, users, a category and spreadsheet writers.

Holds no tests; the import test modules load its fixtures with
``pytest_plugins = ["tests.test_imports_support"]``. ``imports_app`` wires the
import area into the test app the way ``create_app`` does once it is registered
there (and does nothing if it already is), so the tests pass before and after
the wiring. The people are named (maria, oleg, ada) so that no other test
module's fixture names are shadowed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from b2b_loyalty.extensions import db

ORDER_HEADERS = [
    "Account",
    "Date",
    "Category",
    "Quantity",
    "Unit price",
    "Discount",
    "Order number",
]


def wire_imports(app) -> None:  # noqa: ANN001
    from b2b_loyalty.imports import import_hooks
    from b2b_loyalty.imports.blueprint import bp
    from b2b_loyalty.imports.cli import import_command
    from b2b_loyalty.plugin_host import plugin_host

    plugin_manager = plugin_host(app).manager
    if not plugin_manager.is_registered(import_hooks) and not any(
        name.endswith("import_hooks") for name, _ in plugin_manager.list_name_plugin()
    ):
        plugin_manager.register(import_hooks, name=import_hooks.PLUGIN_NAME)
        plugin_manager.check_pending()
    if "imports" not in app.blueprints:
        app.register_blueprint(bp)
    if "import" not in app.cli.commands:
        app.cli.add_command(import_command)


@pytest.fixture
def imports_app(app):
    wire_imports(app)
    return app


@pytest.fixture
def maria(imports_app, make_user):
    return make_user("account_manager", email="manager@example.com", name="Maria Manager")


@pytest.fixture
def oleg(imports_app, make_user):
    return make_user("account_manager", email="other@example.com", name="Oleg Other")


@pytest.fixture
def ada(imports_app, make_user):
    return make_user("admin", email="admin@example.com", name="Ada Admin")


@pytest.fixture
def lamps_category(imports_app):
    from b2b_loyalty.models import ProductCategory

    category = ProductCategory(name="Lamps")
    db.session.add(category)
    db.session.commit()
    return category


def xlsx_bytes(rows: Sequence[Sequence[object]], title: str = "Data") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[object]], *, encoding: str = "utf-8", delimiter: str = ","
) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode(encoding)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def order_rows(count: int, account: str = "Acme Industrial", start: int = 1) -> list[list]:
    """``count`` valid order rows (header first) for ``account``, references ORD-<n>."""
    rows: list[list] = [ORDER_HEADERS]
    for n in range(start, start + count):
        rows.append(
            [
                account,
                date(2024, 1 + n % 12, 1 + n % 28),
                "Lamps",
                n % 40 + 1,
                "12.50",
                "",
                f"ORD-{n}",
            ]
        )
    return rows


def run_import(actor, entity: str, name: str, data: bytes, *, commit: bool = False, skip=False):  # noqa: ANN001, ANN201
    """Upload, dry-run and (optionally) commit through the service; returns (batch, report)."""
    from b2b_loyalty.imports import service

    batch = service.start_import(actor, entity, name, data)
    report = service.check_import(batch, actor)
    if commit:
        report = service.commit_import(batch, actor, skip_rejected=skip)
    return batch, report
