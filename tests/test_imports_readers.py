"""Reading real files: xlsx, CSV in several encodings and delimiters, headers, cell texts."""

from __future__ import annotations

import codecs
from datetime import date, datetime
from decimal import Decimal

import pytest

from b2b_loyalty.imports.cell_values import decimal_text, iso_date, yes_no
from b2b_loyalty.imports.entities.accounts import ACCOUNTS
from b2b_loyalty.imports.entities.orders import ORDERS
from b2b_loyalty.imports.header_matching import (
    auto_mapping,
    column_letter,
    mapping_problems,
    normalise_header,
)
from b2b_loyalty.imports.readers import UnreadableFile, cell_text, decode_text, read_sheet
from tests.test_imports_support import csv_bytes, xlsx_bytes

CYRILLIC_ROWS = [
    ["Название", "ИНН", "Отрасль"],
    ["ООО «Ромашка»", "7701234567", "Розница"],
    ["Лютик и партнёры", "7701234568", "Производство"],
]


def _read(data: bytes, name: str = "f.csv"):
    sheet = read_sheet(data, name)
    return sheet, list(sheet.rows())


def test_xlsx_cells_become_text_and_rows_keep_their_sheet_numbers():
    data = xlsx_bytes(
        [
            ["Name", "Tax id", "Since", "Price", "Active"],
            ["Acme", 7707083893, datetime(2024, 3, 15), 12.5, True],
            [None, None, None, None, None],
            ["Beta", "0012", date(2024, 1, 2), Decimal("0.10"), False],
        ]
    )
    sheet, rows = _read(data, "accounts.xlsx")
    assert (sheet.file_format, sheet.headers) == (
        "xlsx",
        ["Name", "Tax id", "Since", "Price", "Active"],
    )
    assert rows == [
        (2, ["Acme", "7707083893", "2024-03-15", "12.5", "yes"]),
        (4, ["Beta", "0012", "2024-01-02", "0.1", "no"]),
    ]


def test_xlsx_formulas_are_read_as_their_text_never_evaluated():
    data = xlsx_bytes([["Name", "Total"], ["=1+1", "=SUM(A1:A3)"]])
    _, rows = _read(data, "f.xlsx")
    assert rows == [(2, ["=1+1", "=SUM(A1:A3)"])]


def test_csv_utf8_with_bom_does_not_leak_the_bom_into_the_first_header():
    data = codecs.BOM_UTF8 + csv_bytes(CYRILLIC_ROWS)
    sheet, rows = _read(data)
    assert sheet.encoding == "utf-8-sig"
    assert sheet.headers[0] == "Название"
    assert rows[0][1][0] == "ООО «Ромашка»"


def test_csv_windows_1251_with_cyrillic_names_is_detected():
    sheet, rows = _read(csv_bytes(CYRILLIC_ROWS, encoding="cp1251", delimiter=";"))
    assert (sheet.encoding, sheet.delimiter) == ("cp1251", ";")
    assert rows[1][1] == ["Лютик и партнёры", "7701234568", "Производство"]


def test_csv_windows_1252_with_accents_is_not_mistaken_for_cyrillic():
    rows = [
        ["Name", "Industry"],
        ["Müller Söhne GmbH", "Maschinenbau"],
        ["Société Générale", "Banque"],
    ]
    sheet, read = _read(csv_bytes(rows, encoding="cp1252"))
    assert sheet.encoding == "cp1252"
    assert [r[1][0] for r in read] == ["Müller Söhne GmbH", "Société Générale"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_guessed(delimiter):
    rows = [["Name", "Price", "Qty"], ["A", "1,5", "2"], ["B", "2,5", "3"]]
    sheet, read = _read(csv_bytes(rows, delimiter=delimiter))
    assert sheet.delimiter == delimiter
    assert read[0][1] == ["A", "1,5", "2"]


def test_semicolon_file_with_decimal_commas_is_not_read_as_comma_separated():
    data = b"Name;Price;Discount\nA;12,50;1,00\nB;3,10;0,5\n"
    sheet, read = _read(data)
    assert sheet.delimiter == ";"
    assert read[1] == (3, ["B", "3,10", "0,5"])


def test_excel_sep_line_names_the_delimiter():
    sheet, read = _read(b"sep=|\nName|Qty\nA|1\n")
    assert (sheet.delimiter, sheet.headers, read) == ("|", ["Name", "Qty"], [(3, ["A", "1"])])


def test_unreadable_files_say_what_to_do():
    with pytest.raises(UnreadableFile, match="empty"):
        read_sheet(b"  \n", "x.csv")
    with pytest.raises(UnreadableFile, match=r"\.xls"):
        read_sheet(b"\xd0\xcf\x11\xe0rest", "old.xls")
    with pytest.raises(UnreadableFile, match="cannot be read"):
        read_sheet(b"PK\x03\x04 not really a zip", "broken.xlsx")


def test_decode_falls_back_to_1251_only_when_utf8_fails():
    assert decode_text("Привет".encode()) == ("Привет", "utf-8")
    assert decode_text("Привет".encode("cp1251")) == ("Привет", "cp1251")


def test_cell_text_never_loses_digits():
    assert cell_text(0.1 + 0.2) == "0.30000000000000004"
    assert cell_text(1e20) == "100000000000000000000"
    assert cell_text(12.0) == "12"
    assert cell_text("  padded ") == "padded"


def test_headers_match_ignoring_case_spaces_and_punctuation_with_russian_synonyms():
    assert normalise_header(" Tax-ID ") == normalise_header("tax_id") == "taxid"
    mapping = auto_mapping(ACCOUNTS, ["НАЗВАНИЕ", "И.Н.Н.", "Unknown", "Name"])
    assert mapping == ["name", "tax_id", "", ""]  # a field takes only the first column
    assert auto_mapping(ORDERS, ["Клиент", "Дата", "Категория", "Кол-во", "Цена", "№ заказа"]) == [
        "account",
        "date",
        "category",
        "quantity",
        "unit_price",
        "external_ref",
    ]


def test_mapping_problems_name_what_is_missing_or_doubled():
    assert mapping_problems(ORDERS, ["date", "category", "quantity"]) == [
        "Map a column to: Unit list price.",
        "Map a column to Account or Account tax id.",
    ]
    assert mapping_problems(ACCOUNTS, ["name", "name"]) == [
        "Two columns are mapped to 'Name'; choose one."
    ]


def test_cell_value_spellings():
    assert iso_date("15.03.2024") == "2024-03-15"
    assert iso_date("2024/3/5") == "2024-03-05"
    assert iso_date("2024-03-15 00:00:00") == "2024-03-15"
    assert iso_date("03/04/2024") == "03/04/2024"  # ambiguous: left for the form to refuse
    assert iso_date("31.02.2024") == "31.02.2024"
    assert decimal_text("1 234,50") == "1234.50"
    assert decimal_text("1,234.50") == "1234.50"
    assert decimal_text("1.234,50") == "1234.50"
    assert decimal_text("-5") == "-5"
    assert (yes_no("Да"), yes_no("no"), yes_no("maybe")) == (True, False, None)
    assert column_letter(0) + column_letter(25) + column_letter(26) == "AZAA"
