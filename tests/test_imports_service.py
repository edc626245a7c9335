"""Import through the service: dry run, all-or-nothing commit, upserts, access, every entity."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import (
    Account,
    AccountMonthTotals,
    AccountOrderStats,
    ImportBatch,
    Order,
    Stakeholder,
    WalletEstimate,
)
from tests.test_imports_support import (
    csv_bytes,
    order_rows,
    run_import,
    xlsx_bytes,
)

pytest_plugins = ["tests.test_imports_support"]


def _count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def acme(maria, make_account):
    return make_account(maria, "Acme Industrial", tax_id="7707083893")


def test_three_bad_rows_among_a_thousand_are_all_named_and_block_the_commit(
    maria, acme, lamps_category
):
    rows = order_rows(1000)
    rows[18][4] = "abc"  # row 19 of the sheet: a bad unit price
    rows[401][3] = "-5"  # row 402: a negative quantity
    rows[777][1] = "31.02.2024"  # row 778: no such date
    batch, report = run_import(maria, "orders", "orders.xlsx", xlsx_bytes(rows))
    assert (report.total, report.created, report.rejected) == (1000, 997, 3)
    found = {(r.row, r.column, r.message) for r in report.rejections}
    assert found == {
        (
            19,
            "Unit price",
            "Not a valid decimal value. Expected a number, 0 or more (decimal point or comma).",
        ),
        (402, "Quantity", "Quantity cannot be negative."),
        (778, "Date", "Not a valid date value. Expected YYYY-MM-DD or DD.MM.YYYY."),
    }
    assert _count(Order) == 0  # a dry run writes nothing

    from b2b_loyalty.imports.service import commit_import

    report = commit_import(batch, maria)
    assert not report.committed and report.rejected == 3
    assert _count(Order) == 0  # all or nothing
    assert db.session.get(ImportBatch, batch.id).status == "checked"

    report = commit_import(batch, maria, skip_rejected=True)
    assert report.committed and _count(Order) == 997
    logged = db.session.get(ImportBatch, batch.id)
    assert (logged.status, logged.rows_created, logged.rows_rejected) == ("committed", 997, 3)


def test_importing_the_same_orders_twice_creates_no_duplicates(maria, acme, lamps_category):
    rows = order_rows(50)
    rows.append(["Acme Industrial", "2024-05-01", "Lamps", "3", "9.99", "", ""])
    rows.append(["Acme Industrial", "2024-05-01", "Lamps", "3", "9.99", "", ""])
    data = xlsx_bytes(rows)
    _, first = run_import(maria, "orders", "o.xlsx", data, commit=True)
    assert first.committed and first.created == 52
    _, second = run_import(maria, "orders", "o.xlsx", data, commit=True)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 52)
    assert _count(Order) == 52  # the two identical lines without a reference stay two


def test_changed_order_is_updated_and_priced_like_the_order_form(maria, acme, lamps_category):
    header = ["Client", "Дата", "Категория", "Кол-во", "Цена", "Скидка", "Номер заказа"]
    run_import(
        maria,
        "orders",
        "o.csv",
        csv_bytes(
            [header, ["Acme Industrial", "15.03.2024", "lamps", "3", "2,345", "0,01", "A-1"]]
        ),
        commit=True,
    )
    order = db.session.scalar(select(Order))
    # list = round_money(3 × 2.345) = 7.04 (ROUND_HALF_UP of 7.035), net = list − discount.
    assert (order.list_amount, order.discount_amount, order.net_amount) == (
        Decimal("7.04"),
        Decimal("0.01"),
        Decimal("7.03"),
    )
    _, report = run_import(
        maria,
        "orders",
        "o.csv",
        csv_bytes(
            [header, ["Acme Industrial", "15.03.2024", "Lamps", "4", "2,345", "0,01", "A-1"]]
        ),
        commit=True,
    )
    assert (report.updated, report.created) == (1, 0)
    db.session.expire_all()
    assert db.session.scalar(select(Order.net_amount)) == Decimal("9.37")
    stats = db.session.scalar(
        select(AccountOrderStats).where(AccountOrderStats.account_id == acme.id)
    )
    assert stats.order_days == 1
    month = db.session.scalar(select(AccountMonthTotals))
    assert month.revenue == Decimal("9.37")


def test_order_discount_above_list_and_foreign_currency_are_rejected(maria, acme, lamps_category):
    header = ["Account tax id", "Date", "Category", "Qty", "Price", "Discount", "Currency"]
    _, report = run_import(
        maria,
        "orders",
        "o.csv",
        csv_bytes(
            [
                header,
                ["7707083893", "2024-01-01", "Lamps", "1", "10", "11", ""],
                ["7707083893", "2024-01-01", "Lamps", "1", "10", "", "USD"],
                ["7707083893", "2024-01-01", "Shoes", "1", "10", "", ""],
            ]
        ),
    )
    assert [(r.row, r.field) for r in report.rejections] == [
        (2, "discount_amount"),
        (3, "currency"),
        (4, "category"),
    ]


def test_manager_cannot_import_into_another_managers_account(
    maria, oleg, make_account, lamps_category
):
    make_account(oleg, "Theirs Ltd", tax_id="5000000001")
    make_account(maria, "Mine Ltd")
    rows = [
        ["Account", "Account tax id", "Date", "Category", "Quantity", "Unit price"],
        ["Theirs Ltd", "", "2024-01-01", "Lamps", "1", "1"],
        ["", "5000000001", "2024-01-01", "Lamps", "1", "1"],
        ["Mine Ltd", "", "2024-01-01", "Lamps", "1", "1"],
    ]
    _, report = run_import(maria, "orders", "o.csv", csv_bytes(rows), commit=True, skip=True)
    assert [(r.row, r.message) for r in report.rejections] == [
        (2, "Unknown account or not yours: Theirs Ltd."),
        (3, "Unknown account or not yours: tax id 5000000001."),
    ]
    assert report.created == 1
    assert db.session.scalar(select(Account.name).join(Order)) == "Mine Ltd"


def test_accounts_upsert_by_tax_id_then_name_and_refuse_a_duplicate_tax_id(
    maria, oleg, make_account
):
    make_account(oleg, "Someone Else's", tax_id="9999")
    rows = [
        ["Название", "ИНН", "Отрасль", "Численность"],
        ["Ромашка", "7701", "Retail", "50-249"],
        ["Лютик", "", "Retail", ""],
        ["Василёк", "7701", "", ""],
        ["Чужой", "9999", "", ""],
        ["Big", "", "", "huge"],
    ]
    _, report = run_import(maria, "accounts", "a.xlsx", xlsx_bytes(rows), commit=True, skip=True)
    assert (report.created, report.rejected) == (2, 3)
    assert [(r.row, r.field, r.message) for r in report.rejections] == [
        (4, "tax_id", "Duplicate tax id: row 2 has it too."),
        (5, "tax_id", "Another account already uses this tax id."),
        (
            6,
            "size_band",
            "Not a valid choice. Expected one of 1-49, 50-249, 250-999, 1000-4999, 5000+.",
        ),
    ]
    again = [rows[0], ["Ромашка", "7701", "Manufacturing", ""], ["ЛЮТИК ", "", "Retail", ""]]
    _, report = run_import(maria, "accounts", "a.xlsx", xlsx_bytes(again), commit=True)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    romashka = db.session.scalar(select(Account).where(Account.tax_id == "7701"))
    assert (romashka.industry, romashka.size_band, romashka.owner_id) == (
        "Manufacturing",
        "50-249",
        maria.id,
    )


def test_only_an_admin_assigns_imported_accounts_to_another_manager(maria, oleg, ada):
    rows = [["Name", "Owner"], ["Given Away", oleg.email]]
    _, report = run_import(maria, "accounts", "a.csv", csv_bytes(rows))
    assert (
        report.rejections[0].message == "Only an administrator assigns accounts to another manager."
    )
    _, report = run_import(ada, "accounts", "a.csv", csv_bytes(rows), commit=True)
    assert report.created == 1
    assert db.session.scalar(select(Account.owner_id)) == oleg.id


def test_stakeholders_circle_four_reports_to_and_idempotence(maria, acme):
    rows = [
        ["Компания", "ФИО", "Должность", "Эл. почта", "Круг", "Роль", "Руководитель", "Активен"],
        [
            "Acme Industrial",
            "Anna Boss",
            "CEO",
            "anna@acme-industrial.com",
            1,
            "Decision maker",
            "",
            "да",
        ],
        [
            "Acme Industrial",
            "Ivan Buyer",
            "Buyer",
            "ivan@acme-industrial.com",
            2,
            "",
            "anna@acme-industrial.com",
            "",
        ],
        ["Acme Industrial", "Petr Four", "", "", 4, "", "", ""],
        ["Acme Industrial", "Olga Loop", "", "", 3, "", "Olga Loop", ""],
        ["Acme Industrial", "Ghost", "", "", 3, "", "Nobody Here", "maybe"],
    ]
    data = xlsx_bytes(rows)
    _, report = run_import(maria, "stakeholders", "p.xlsx", data, commit=True, skip=True)
    assert report.created == 2
    assert [(r.row, r.field, r.message) for r in report.rejections] == [
        (
            4,
            "circle",
            "Circle must be 1 (decision makers), 2 (support functions) or 3 (influencers).",
        ),
        (5, "reports_to", "A person cannot report to themselves."),
        (6, "active", "Write yes or no."),
    ]
    ivan = db.session.scalar(
        select(Stakeholder).where(Stakeholder.email == "ivan@acme-industrial.com")
    )
    anna = db.session.scalar(
        select(Stakeholder).where(Stakeholder.email == "anna@acme-industrial.com")
    )
    assert (ivan.reports_to_id, anna.buying_role, ivan.stance, ivan.influence) == (
        anna.id,
        "decision_maker",
        "neutral",
        3,
    )
    _, report = run_import(maria, "stakeholders", "p.xlsx", data, commit=True, skip=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert _count(Stakeholder) == 2


def test_reports_to_loop_across_rows_is_rejected(maria, acme):
    rows = [
        ["Account", "Name", "Circle", "Reports to"],
        ["Acme Industrial", "A", 1, "B"],
        ["Acme Industrial", "B", 1, "A"],
    ]
    _, report = run_import(maria, "stakeholders", "p.csv", csv_bytes(rows))
    # B is rejected for the loop, so A, who would report to B, cannot be imported either.
    assert [(r.row, r.message) for r in report.rejections] == [
        (2, "Reports to row 3, which is rejected."),
        (3, "This reports-to line would make a loop in the org chart."),
    ]


def test_wallet_estimates_upsert_per_account_year_and_category(maria, acme, lamps_category):
    rows = [
        ["Account", "Год", "Категория", "Оценка затрат", "Уверенность"],
        ["Acme Industrial", 2024, "Lamps", "250 000,00", "высокая"],
        ["Acme Industrial", 2024, "", "900000", "medium"],
        ["Acme Industrial", 2024, "Lamps", "1", ""],
        ["Acme Industrial", 1900, "", "1", ""],
    ]
    _, report = run_import(
        maria, "wallet-estimates", "w.csv", csv_bytes(rows, delimiter=";"), commit=True, skip=True
    )
    assert (report.created, report.rejected) == (2, 2)
    assert [r.row for r in report.rejections] == [4, 5]
    lamps_estimate = db.session.scalar(
        select(WalletEstimate).where(WalletEstimate.category_id == lamps_category.id)
    )
    assert (lamps_estimate.estimated_spend, lamps_estimate.confidence) == (
        Decimal("250000.00"),
        "high",
    )
    rows[3][3] = "2"
    del rows[4]
    rows[1][3] = "260000"
    _, report = run_import(
        maria, "wallet-estimates", "w.csv", csv_bytes(rows, delimiter=";"), commit=True, skip=True
    )
    assert (report.updated, report.unchanged, report.rejected) == (1, 1, 1)
    assert _count(WalletEstimate) == 2


def test_formula_looking_cells_are_kept_as_text(maria, acme):
    rows = [
        ["Account", "Name", "Circle", "Phone", "Title", "Notes"],
        [
            "Acme Industrial",
            '=HYPERLINK("http://x")',
            1,
            "+7 495 123-45-67",
            "@lead",
            "-cmd|' /C calc'!A0",
        ],
    ]
    _, report = run_import(maria, "stakeholders", "f.xlsx", xlsx_bytes(rows), commit=True)
    assert report.created == 1
    person = db.session.scalar(select(Stakeholder))
    assert (person.name, person.phone, person.title, person.notes) == (
        '=HYPERLINK("http://x")',
        "+7 495 123-45-67",
        "@lead",
        "-cmd|' /C calc'!A0",
    )


def test_formula_where_a_number_is_expected_is_rejected_not_evaluated(maria, acme, lamps_category):
    rows = order_rows(1)
    rows[1][3] = "=SUM(A1:A3)"
    _, report = run_import(maria, "orders", "f.xlsx", xlsx_bytes(rows))
    assert report.rejections[0].field == "quantity"
    assert "formula is not evaluated" in report.rejections[0].message


def test_roles_that_cannot_edit_accounts_cannot_import(make_user, imports_app):
    from b2b_loyalty.services.errors import Forbidden

    with pytest.raises(Forbidden):
        run_import(make_user("finance"), "accounts", "a.csv", csv_bytes([["Name"], ["X"]]))
