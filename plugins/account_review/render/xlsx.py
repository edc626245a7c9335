"""Workbooks for people who slice the figures: real numbers, formats, filters, charts.

Every workbook is written in openpyxl's write-only mode (rows stream to disk as
they are appended, so 10,000 accounts cost little memory). Each data sheet has
a styled, frozen header row, an autofilter over its data and column widths
fitted to its contents; numbers stay numbers (money and plain numbers as
Decimals, percents as fractions, dates as dates) with number formats. Every
piece of text goes through ``safe_cell_text``: a spreadsheet never evaluates
user text as a formula.

Speed: a formatted cell is a cell with a style; instead of making one per value,
each formatted column keeps one template cell whose value is replaced row after
row, and the sheet is told to stream rows through those templates
(``_stream_formatted_cells``). That is safe because the write-only sheet
serialises each cell as soon as the row is appended. A formatted sheet of
10,000 rows is then written about as fast as bare values (``bench/bench_reviews.py``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from plugins.account_review.domain.spreadsheet_safety import safe_cell_text, sheet_name

PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "mmm yyyy"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
INTEGER_FORMAT = "#,##0"
NUMBER_FORMAT = "#,##0.####"
HEADER_FILL = PatternFill("solid", fgColor="17324D")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14, color="17324D")
LABEL_FONT = Font(bold=True, color="5B6472")
# Widths are in characters; text columns never wider than this.
MAX_WIDTH = 60
WIDTH_SAMPLE_ROWS = 300
# Column widths of the Summary sheets: label, this period, previous, change, unit, note.
SUMMARY_WIDTHS = (34, 20, 20, 12, 14, 60)
MIN_WIDTHS = {"money": 14, "percent": 9, "date": 11, "integer": 8, "number": 10, "text": 8}


# Values a formatted column takes as they are (integers in an integer column, too).
PLAIN_NUMBERS = frozenset({Decimal, int, float, date})


def money_format(currency: str) -> str:
    """``#,##0.00 [$EUR]``: two decimals, thousands separated, the ISO code after."""
    code = "".join(ch for ch in currency.upper() if ch.isalpha())[:3] or "EUR"
    return f"#,##0.00 [${code}];-#,##0.00 [${code}]"


class TemplateCell(Cell):
    """A formatted cell reused for one column, row after row (see the module docstring).

    Its style never changes once set up, so its style id is looked up once, not
    once per value.
    """

    __slots__ = ("_style_id",)

    def __init__(self, sheet: Any, number_format: str) -> None:
        super().__init__(sheet, row=1, column=1)
        self.number_format = number_format
        self._style_id: int | None = None

    @property
    def style_id(self) -> int:
        if self._style_id is None:
            self._style_id = Cell.style_id.fget(self)
        return self._style_id

    def __repr__(self) -> str:
        return "<TemplateCell>"


@dataclass(frozen=True)
class Column:
    """A column: header, kind (text|money|percent|date|integer|number), optional width."""

    header: str
    kind: str = "text"
    width: float | None = None
    number_format: str | None = None  # overrides the kind's format (months, date-times)


def percent_fraction(value: Decimal | None) -> Decimal | None:
    """A percent as the API gives it (45.20) → the fraction a spreadsheet formats (0.452)."""
    return None if value is None else value / 100


def cell_value(value: Any, kind: str) -> Any:
    """The value to store for ``kind``: text made safe, numbers kept exact."""
    if value is None:
        return None
    if isinstance(value, str):
        if kind == "text" or not value:
            return safe_cell_text(value)
        try:
            return (
                Decimal(value) if kind in ("money", "percent", "number") else safe_cell_text(value)
            )
        except ArithmeticError:
            return safe_cell_text(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        # Spreadsheets have no time zones: stored moments are written in UTC.
        return value.astimezone(UTC).replace(tzinfo=None)
    if kind == "integer" and isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, (int, Decimal, float, date, datetime)):
        return value
    return safe_cell_text(str(value))


def _display_length(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind == "money":
        return len(f"{value:,.2f}") + 5
    if kind == "percent":
        return 7
    if kind == "date":
        return 10
    if isinstance(value, (int, Decimal, float)):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def fitted_widths(columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Width per column from its header and the first rows' contents, within bounds."""
    widths = []
    for i, column in enumerate(columns):
        if column.width:
            widths.append(column.width)
            continue
        longest = max(
            (
                _display_length(row[i], column.kind)
                for row in rows[:WIDTH_SAMPLE_ROWS]
                if i < len(row)
            ),
            default=0,
        )
        header = max(len(word) for word in column.header.split()) if column.header else 4
        width = max(
            longest + 2, min(len(column.header), 24) + 2, header + 2, MIN_WIDTHS[column.kind]
        )
        widths.append(float(min(width, MAX_WIDTH)))
    return widths


def _styled(sheet: Any, value: Any, template: TemplateCell) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = template.number_format
    return cell


def _stream_formatted_cells(sheet: Any, templates: Sequence[TemplateCell | None]) -> bool:
    """Let the write-only ``sheet`` turn each appended row of values into cells through
    the column templates (a formatted column's value goes into its template cell, any
    other into one plain cell), instead of openpyxl's generic conversion that takes
    styled cells only by way of a failed bind. The sheet serialises each cell before
    the next is made, so one cell per column is enough. Returns False (and changes
    nothing) when openpyxl has no such conversion step to replace.
    """
    if not callable(getattr(sheet, "_values_to_row", None)):
        return False
    plain = WriteOnlyCell(sheet)

    def values_to_row(values: Sequence[Any], row_idx: int) -> Iterator[Cell]:
        for column, (value, template) in enumerate(zip(values, templates, strict=False), 1):
            if value is None:
                continue
            cell = plain if template is None or type(value) is str else template
            cell.value = value
            cell.column = column
            cell.row = row_idx
            yield cell

    sheet._values_to_row = values_to_row
    return True


class ReviewWorkbook:
    """A write-only workbook assembled sheet by sheet, then saved to bytes."""

    def __init__(self, currency: str) -> None:
        self.workbook = Workbook(write_only=True)
        self.currency = currency
        self.money_format = money_format(currency)
        self.sheet_names: list[str] = []

    # -- cells ---------------------------------------------------------------------------

    def number_format(self, kind: str) -> str | None:
        return {
            "money": self.money_format,
            "percent": PERCENT_FORMAT,
            "date": DATE_FORMAT,
            "integer": INTEGER_FORMAT,
            "number": NUMBER_FORMAT,
        }.get(kind)

    def cell(self, sheet: Any, value: Any, kind: str = "text", **style: Any) -> WriteOnlyCell:
        """One styled cell (for small, mixed rows: metadata, KPIs)."""
        c = WriteOnlyCell(sheet, value=cell_value(value, kind))
        fmt = self.number_format(kind)
        if isinstance(value, datetime):
            fmt = DATETIME_FORMAT
        if fmt and c.value is not None and not isinstance(c.value, str):
            c.number_format = fmt
        for name, setting in style.items():
            setattr(c, name, setting)
        return c

    def header_cells(self, sheet: Any, columns: Sequence[Column]) -> list[WriteOnlyCell]:
        cells = []
        for column in columns:
            c = WriteOnlyCell(sheet, value=safe_cell_text(column.header))
            c.font = HEADER_FONT
            c.fill = HEADER_FILL
            c.alignment = Alignment(vertical="center", wrap_text=True)
            cells.append(c)
        return cells

    def new_sheet(self, title: str) -> Any:
        name = sheet_name(title, set(self.sheet_names))
        self.sheet_names.append(name)
        return self.workbook.create_sheet(name)

    # -- sheets --------------------------------------------------------------------------

    def table_sheet(
        self, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
    ) -> Any:
        """A sheet of one table: frozen, styled header, autofilter, fitted widths.

        ``rows`` are plain values in column order (percent columns as fractions).
        """
        rows = rows if isinstance(rows, list) else list(rows)
        sheet = self.new_sheet(title)
        for i, width in enumerate(fitted_widths(columns, rows), start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        sheet.append(self.header_cells(sheet, columns))
        templates: list[TemplateCell | None] = []
        for column in columns:
            fmt = column.number_format or self.number_format(column.kind)
            templates.append(TemplateCell(sheet, fmt) if fmt else None)
        fast = _stream_formatted_cells(sheet, templates)
        kinds = [c.kind for c in columns]
        width = len(columns)
        text_columns = [i for i, kind in enumerate(kinds) if kind == "text"]
        other_columns = [i for i, kind in enumerate(kinds) if kind != "text"]
        count = 0
        for row in rows:
            values = list(row[:width]) + [None] * (width - len(row))
            for i in text_columns:
                value = values[i]
                if value is not None:
                    values[i] = (
                        safe_cell_text(value) if type(value) is str else cell_value(value, "text")
                    )
            for i in other_columns:
                value = values[i]
                if value is not None and type(value) not in PLAIN_NUMBERS:
                    values[i] = cell_value(value, kinds[i])
            if not fast:  # another openpyxl: one styled cell per formatted value
                values = [
                    v if t is None or v is None or isinstance(v, str) else _styled(sheet, v, t)
                    for v, t in zip(values, templates, strict=True)
                ]
            sheet.append(values)
            count += 1
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A1:{last}{count + 1}"
        return sheet

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()
