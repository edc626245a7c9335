"""The first sheet of every workbook: title, metadata block, small tables, native charts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from plugins.account_review.render.xlsx import (
    LABEL_FONT,
    PERCENT_FORMAT,
    TITLE_FONT,
    Column,
    ReviewWorkbook,
)
from plugins.account_review.services.export_meta import ExportMeta


class SummarySheet:
    """The first sheet: title, metadata block, then small tables and native charts.

    Rows are appended top to bottom (write-only); ``row`` tracks the next row so
    charts can reference the tables written above them.
    """

    def __init__(self, book: ReviewWorkbook, meta: ExportMeta, widths: Sequence[float]) -> None:
        from flask_babel import gettext as _

        self.book = book
        self.sheet = book.new_sheet(_("Summary"))
        for i, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = width
        self.row = 1
        self.charts: list[tuple[Any, str]] = []
        self.append([book.cell(self.sheet, meta.title, font=TITLE_FONT)])
        self.metadata(meta)

    def append(self, cells: list[Any]) -> int:
        self.sheet.append(cells)
        self.row += 1
        return self.row - 1

    def blank(self) -> None:
        self.append([])

    def metadata(self, meta: ExportMeta) -> None:
        from flask_babel import gettext as _

        c = self.book.cell
        self.append(
            [c(self.sheet, _("Exported by"), font=LABEL_FONT), c(self.sheet, meta.exported_by)]
        )
        self.append(
            [
                c(self.sheet, _("Exported at (UTC)"), font=LABEL_FONT),
                c(self.sheet, meta.exported_at),
            ]
        )
        for label, value in meta.filters:
            self.append([c(self.sheet, label, font=LABEL_FONT), c(self.sheet, value)])
        self.blank()

    def heading(self, text: str) -> None:
        self.append(
            [self.book.cell(self.sheet, text, font=Font(bold=True, size=12, color="17324D"))]
        )

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> tuple[int, int]:
        """A small table with a styled header; returns (header row, last row)."""
        header_row = self.append(self.book.header_cells(self.sheet, columns))
        for row in rows:
            cells = []
            for value, col in zip(row, columns, strict=False):
                c = self.book.cell(self.sheet, value, col.kind)
                if col.number_format and c.value is not None and not isinstance(c.value, str):
                    c.number_format = col.number_format
                cells.append(c)
            self.append(cells)
        self.blank()
        return header_row, header_row + len(rows)

    def mixed_rows(self, header: Sequence[str], rows: Sequence[Sequence[tuple[Any, str]]]) -> None:
        """A table whose cells carry their own kind: rows of (value, kind) pairs."""
        self.append(self.book.header_cells(self.sheet, [Column(h) for h in header]))
        for row in rows:
            self.append([self.book.cell(self.sheet, v, kind) for v, kind in row])
        self.blank()

    def bar_chart(
        self,
        title: str,
        label_col: int,
        value_cols: Sequence[int],
        header_row: int,
        last_row: int,
        anchor: str,
        *,
        y_format: str | None = None,
        line_col: int | None = None,
        line_format: str = PERCENT_FORMAT,
        width: float = 18,
    ) -> None:
        """A native column chart of rows header_row+1..last_row (series named by the header);
        ``line_col`` adds a line on a secondary axis (a Pareto's cumulative share)."""
        if last_row <= header_row:
            return
        chart = BarChart()
        chart.type = "col"
        chart.title = title
        chart.height, chart.width = 7.5, width
        for col in value_cols:
            data = Reference(self.sheet, min_col=col, min_row=header_row, max_row=last_row)
            chart.add_data(data, titles_from_data=True)
        chart.set_categories(
            Reference(self.sheet, min_col=label_col, min_row=header_row + 1, max_row=last_row)
        )
        if y_format:
            chart.y_axis.numFmt = y_format
        chart.y_axis.majorGridlines = None
        chart.legend.position = "b"
        if line_col is not None:
            line = LineChart()
            line.add_data(
                Reference(self.sheet, min_col=line_col, min_row=header_row, max_row=last_row),
                titles_from_data=True,
            )
            line.y_axis.axId = 200
            line.y_axis.numFmt = line_format
            line.y_axis.crosses = "max"
            line.y_axis.scaling.min = 0
            line.y_axis.scaling.max = 1
            chart += line
        self.sheet.add_chart(chart, anchor)

    def line_chart(
        self,
        title: str,
        label_col: int,
        value_col: int,
        header_row: int,
        last_row: int,
        anchor: str,
        *,
        y_format: str = PERCENT_FORMAT,
    ) -> None:
        if last_row <= header_row:
            return
        chart = LineChart()
        chart.title = title
        chart.height, chart.width = 7.5, 12
        chart.add_data(
            Reference(self.sheet, min_col=value_col, min_row=header_row, max_row=last_row),
            titles_from_data=True,
        )
        chart.set_categories(
            Reference(self.sheet, min_col=label_col, min_row=header_row + 1, max_row=last_row)
        )
        chart.y_axis.numFmt = y_format
        chart.legend = None
        self.sheet.add_chart(chart, anchor)
