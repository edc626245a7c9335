"""Importing contracts from spreadsheets through the core's ``import_entities`` hook."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select

from b2b_loyalty.extensions import db
from tests.test_imports_support import csv_bytes, run_import, wire_imports, write, xlsx_bytes

pytest_plugins = ["tests.test_imports_support"]

HEADERS = [
    "Клиент",
    "Account tax id",
    "Номер договора",
    "Start date",
    "End date",
    "Term (months)",
    "Auto renew",
    "Status",
    "Annual value",
    "Membership fee",
    "Membership discount",
    "Document",
    "Notes",
]


def _row(account="Acme Industrial", number="C-1", start="2023-01-01", end="", **cells):  # noqa: ANN001, ANN003, ANN202
    values = {
        "tax": "",
        "term": "12",
        "renew": "yes",
        "status": "active",
        "value": "120 000,50",
        "fee": "",
        "percent": "",
        "doc": "scan-1.pdf",
        "notes": "",
        **cells,
    }
    return [account, values["tax"], number, start, end, values["term"], values["renew"]] + [
        values[k] for k in ("status", "value", "fee", "percent", "doc", "notes")
    ]


def _contracts():  # noqa: ANN202
    from plugins.tenure_pricing.models import TenureContract

    db.session.expire_all()
    return db.session.scalars(select(TenureContract).order_by(TenureContract.number)).all()


def test_a_clean_import_creates_contracts_and_a_second_run_changes_nothing(
    imports_app, maria, make_account
):
    acme = make_account(maria, "Acme Industrial")
    beta = make_account(maria, "Beta Works", tax_id="7707083893")
    data = xlsx_bytes(
        [
            HEADERS,
            _row(number="C-1", start="2023-01-01"),
            _row(number="C-2", start=date(2024, 1, 1), renew="no"),
            _row(
                account="",
                tax="7707083893",
                number="B-1",
                start="01.03.2024",
                end="28.02.2025",
                term="",
                fee="1000",
                percent="2",
            ),
        ]
    )
    _, report = run_import(maria, "contracts", "c.xlsx", data, commit=True)
    assert (report.created, report.rejected, report.committed) == (3, 0, True)
    b1, c1, c2 = _contracts()
    assert (c1.account_id, c1.end_date, c1.term_months, c1.auto_renew) == (
        acme.id,
        date(2023, 12, 31),
        12,
        True,
    )
    assert (c1.annual_value, c1.document_ref, c1.status) == (
        Decimal("120000.50"),
        "scan-1.pdf",
        "active",
    )
    assert (c2.start_date, c2.auto_renew) == (date(2024, 1, 1), False)
    assert (b1.account_id, b1.term_months, b1.membership_fee) == (beta.id, 12, Decimal("1000"))

    _, again = run_import(maria, "contracts", "c.xlsx", data, commit=True)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 0)

    changed = xlsx_bytes([HEADERS, _row(number="c-1", start="2023-01-01", notes="Renegotiated")])
    _, update = run_import(maria, "contracts", "u.xlsx", changed, commit=True)
    assert (update.created, update.updated) == (0, 1)
    assert [c.notes for c in _contracts()] == [None, "Renegotiated", None]


def test_a_bad_row_is_rejected_with_its_reason_and_nothing_is_written(
    imports_app, maria, make_account
):
    make_account(maria, "Acme Industrial")
    data = csv_bytes(
        [
            HEADERS,
            _row(number="C-1", start="2023-01-01"),
            _row(number="C-2", start="2024-06-01", end="2024-01-31", term=""),
            _row(number="C-3", start="2023-06-01"),
            _row(number="C-4", start="2025-01-01", fee="-5", percent="2"),
            _row(number="C-1", start="2026-01-01"),
        ]
    )
    _, report = run_import(maria, "contracts", "c.csv", data, commit=True)
    assert (report.created, report.rejected, report.committed) == (1, 4, False)
    assert [(r.row, r.column, r.message) for r in report.rejections] == [
        (3, "End date", "The contract cannot end before it starts."),
        (
            4,
            "Start date",
            "Overlaps the active contract C-1 (2023-01-01 – 2023-12-31); "
            "an account has one active contract at a time.",
        ),
        (5, "Membership fee", "A fee cannot be negative."),
        (6, "Номер договора", "Row 2 has this contract number too."),
    ]
    assert _contracts() == []


def test_a_manager_cannot_import_into_another_managers_account(
    imports_app, maria, oleg, make_account
):
    make_account(oleg, "Not Mine Ltd", tax_id="500100732259")
    data = csv_bytes(
        [
            HEADERS,
            _row(account="Not Mine Ltd"),
            _row(account="", tax="500100732259", number="C-2", start="2025-01-01"),
        ]
    )
    _, report = run_import(maria, "contracts", "c.csv", data, commit=True, skip=True)
    assert (report.created, report.rejected) == (0, 2)
    assert [(r.row, r.message) for r in report.rejections] == [
        (2, "Unknown account or not yours: Not Mine Ltd."),
        (3, "Unknown account or not yours: tax id 500100732259."),
    ]
    assert _contracts() == []


def test_the_command_line_imports_contracts(imports_app, maria, make_account, tmp_path):
    from b2b_loyalty.cli import main

    make_account(maria, "Acme Industrial")
    path = write(tmp_path, "contracts.csv", csv_bytes([HEADERS, _row()], delimiter=";"))
    result = CliRunner().invoke(
        main,
        ["import", "contracts", str(path), "--owner", maria.email],
        obj=ScriptInfo(create_app=lambda: imports_app),
    )
    assert result.exit_code == 0, result.output
    assert "1 rows: 1 to create" in result.output
    assert [c.number for c in _contracts()] == ["C-1"]


def test_contracts_are_offered_only_with_the_plugin_enabled(imports_app, make_app):
    from b2b_loyalty.imports.registry import import_entities

    assert "contracts" in import_entities()
    other = make_app(B2B_LOYALTY_PLUGINS="none")
    with other.app_context():
        wire_imports(other)
        assert list(import_entities()) == ["accounts", "stakeholders", "orders", "wallet-estimates"]


def _contract_reads(count_statements, actor, rows):  # noqa: ANN001, ANN202
    """How many statements read contracts or accounts while a file of ``rows`` is checked."""
    data = xlsx_bytes([HEADERS, *rows])
    with count_statements() as seen:
        _, report = run_import(actor, "contracts", "n.xlsx", data)
    assert report.rejected == 0, report
    return sum(
        1
        for s in seen
        if s.lstrip().upper().startswith("SELECT")
        and ("FROM tenure_contracts" in s or "FROM accounts" in s)
    )


def test_checking_a_file_reads_contracts_per_chunk_not_per_row(
    imports_app, maria, make_account, count_statements
):
    """Each row used to look up its contract and then the account's other contracts (two
    statements per row); the file's accounts and their contracts are now read once per
    chunk of rows, so a file of 3 rows and one of 12 over 12 accounts read as often."""
    names = [f"Client {n:02}" for n in range(12)]
    for name in names:
        make_account(maria, name)
    # Existing contracts: the rows update some and create others beside them.
    run_import(
        maria,
        "contracts",
        "first.xlsx",
        xlsx_bytes([HEADERS, *(_row(account=n, number="OLD") for n in names)]),
        commit=True,
    )
    few = _contract_reads(
        count_statements,
        maria,
        [_row(account=n, number="NEW", start="2024-01-01") for n in names[:3]],
    )
    many = _contract_reads(
        count_statements,
        maria,
        [_row(account=n, number="NEW", start="2024-01-01") for n in names]
        + [_row(account=n, number="OLD", notes="Changed") for n in names],
    )
    assert few == many
    assert many <= 4  # the importer's accounts once, then accounts and contracts per chunk
