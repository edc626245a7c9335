"""The template workbook of an entity: its headers, an example row, and how to fill it in.

The first sheet is what the import reads: row 1 the headers (each field's
label), row 2 an example that imports cleanly. Where the example names an
account or a category, it names one of the user's own (``live_examples``), so
the untouched template goes through a dry run without a rejected row.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from b2b_loyalty.extensions import db
from b2b_loyalty.plugin_api.types import ImportEntity

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F4")
# Rows of the data sheet that get the drop-down lists of fields with fixed choices.
VALIDATED_ROWS = 5000


def live_examples(entity: ImportEntity) -> dict[str, str]:
    """Example values taken from the user's data: one of their accounts, an existing category."""
    from b2b_loyalty.models import Account, ProductCategory

    keys = {f.key for f in entity.fields}
    examples: dict[str, str] = {}
    if keys & {"account", "account_tax_id"}:
        account = db.session.execute(
            select(Account.name, Account.tax_id).order_by(Account.name).limit(1)
        ).first()
        if account is not None:
            examples["account"] = account.name
            examples["account_tax_id"] = account.tax_id or ""
    if "category" in keys:
        name = db.session.scalar(
            select(ProductCategory.name).order_by(ProductCategory.name).limit(1)
        )
        if name:
            examples["category"] = name
    return examples


def build_template(entity: ImportEntity, examples: Mapping[str, str] | None = None) -> bytes:
    """The .xlsx bytes of ``entity``'s template; ``examples`` override the fields' examples."""
    examples = {**{f.key: f.example for f in entity.fields}, **(examples or {})}
    workbook = Workbook()
    data = workbook.active
    data.title = entity.title[:31]
    for column, import_field in enumerate(entity.fields, start=1):
        header = data.cell(row=1, column=column, value=import_field.label)
        header.font = Font(bold=True)
        header.fill = HEADER_FILL
        example = examples.get(import_field.key, "")
        cell = data.cell(row=2, column=column)
        if _ISO_DATE.fullmatch(example):
            cell.value = date.fromisoformat(example)
            cell.number_format = "yyyy-mm-dd"
        else:
            # Text, so a tax id keeps its leading zeros and nothing is taken for a formula.
            cell.value = example or None
            cell.data_type = "s"
            cell.number_format = "@"
        width = max(len(import_field.label), len(example)) + 4
        data.column_dimensions[get_column_letter(column)].width = min(width, 40)
        if import_field.choices and len('","'.join(import_field.choices)) < 250:
            letter = get_column_letter(column)
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(import_field.choices) + '"',
                allow_blank=True,
                showErrorMessage=False,
            )
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            data.add_data_validation(validation)
    data.freeze_panes = "A2"
    _add_instructions(workbook, entity)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_instructions(workbook: Workbook, entity: ImportEntity) -> None:
    sheet = workbook.create_sheet("How to fill in")
    sheet["A1"] = f"{entity.title}: one row per record, below the header row of the first sheet."
    sheet["A1"].font = Font(bold=True)
    sheet["A2"] = "Matching existing records: " + (entity.natural_key or "none (rows are added).")
    sheet["A3"] = "Replace the example row with your data. Formulas are kept as text."
    headings = ("Column", "Required", "Format", "Accepted values", "Also recognised as")
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=5, column=column, value=heading)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    required_groups = {key for group in entity.mapped_one_of for key in group}
    for row, import_field in enumerate(entity.fields, start=6):
        required = "yes" if import_field.required else ""
        if import_field.key in required_groups:
            required = "one of these two"
        values = (
            import_field.label,
            required,
            import_field.format_hint,
            ", ".join(import_field.choices),
            ", ".join(import_field.synonyms),
        )
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value or None)
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (24, 16, 40, 30, 60), strict=True):
        sheet.column_dimensions[letter].width = width
