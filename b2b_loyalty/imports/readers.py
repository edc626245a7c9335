"""Reading .xlsx and .csv files into a header row and rows of cell texts.

Every cell becomes text, and nothing is ever evaluated: a formula arrives as
the formula's own text (the workbook is opened with ``data_only=False`` and its
cached results are ignored), so ``=SUM(A1:A3)``, ``+7 495 ...`` or ``@home``
reach the entity exactly as typed. Dates typed as dates become ``YYYY-MM-DD``;
numbers become their shortest exact decimal text (``12.5``, ``7707083893``).

Row numbers are the ones a spreadsheet shows: the header is row 1 when it is
the first line; blank rows are skipped but keep their numbers counted. In a
CSV a quoted cell may span lines; it is still one row, as in Excel.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import chain, islice

from b2b_loyalty.services.errors import ValidationFailed

XLSX_MAGIC = b"PK\x03\x04"
LEGACY_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
DELIMITERS = (",", ";", "\t", "|")
# How many records the delimiter guess looks at.
SNIFF_RECORDS = 50
SAMPLE_ROWS = 3

RowTexts = tuple[int, list[str]]


class UnreadableFile(ValidationFailed):
    """The upload is not a spreadsheet we can read; the message says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message, {"file": [message]})


@dataclass(frozen=True)
class Sheet:
    """A file's header row and a way to iterate its data rows (as often as needed)."""

    file_format: str  # "xlsx" or "csv"
    headers: list[str]
    header_row: int
    estimated_rows: int
    encoding: str | None
    delimiter: str | None
    samples: list[RowTexts]  # the first data rows, for the preview
    _iterate: Callable[[], Iterator[RowTexts]]
    # The reader that found the header, positioned after the samples: the first
    # rows() goes on with it instead of opening the workbook a second time.
    _open_reader: list[Iterator[RowTexts]] = field(default_factory=list)

    def rows(self) -> Iterator[RowTexts]:
        """``(row number, cell texts)`` of each non-blank data row, in file order."""
        if self._open_reader:
            return chain(self.samples, self._open_reader.pop())
        return self._iterate()


def file_format_of(data: bytes, file_name: str) -> str:
    """``xlsx`` or ``csv``, from the content (the extension can lie); old .xls is refused."""
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(LEGACY_XLS_MAGIC) or file_name.lower().endswith(".xls"):
        raise UnreadableFile(
            "This is an old Excel 97-2003 (.xls) file; save it as .xlsx or CSV and upload again."
        )
    return "csv"


def data_rows(data: bytes, file_name: str, header_row: int) -> Iterator[RowTexts]:
    """The data rows below a header row found before, opening the file only once."""
    if file_format_of(data, file_name) == "xlsx":
        return _after(_xlsx_rows(data), header_row)
    return read_sheet(data, file_name).rows()


def read_sheet(data: bytes, file_name: str) -> Sheet:
    """Open ``data`` (the bytes of ``file_name``) as a Sheet; UnreadableFile if we cannot."""
    if not data.strip():
        raise UnreadableFile("The file is empty.")
    if file_format_of(data, file_name) == "xlsx":
        return _read_xlsx(data)
    return _read_csv(data)


# --- cells ---------------------------------------------------------------------------


def _float_text(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    # repr is the shortest text that reads back as the same float: 7.25, not 7.2500000001.
    return format(Decimal(repr(value)), "f")


def cell_text(value: object) -> str:
    """The text of one spreadsheet value, stripped; never evaluates anything."""
    kind = type(value)
    if kind is str:
        return value.strip()  # type: ignore[union-attr]
    if value is None:
        return ""
    if kind is int:
        return str(value)
    if kind is float:
        return _float_text(value)  # type: ignore[arg-type]
    if kind is bool:
        return "yes" if value else "no"
    if kind is datetime:
        if value.time() == time(0):  # type: ignore[union-attr]
            return value.date().isoformat()  # type: ignore[union-attr]
        return value.isoformat(sep=" ")  # type: ignore[union-attr]
    if kind in (date, time):
        return value.isoformat()  # type: ignore[union-attr]
    if kind is timedelta:
        return str(value)
    if kind is Decimal:
        return format(value, "f")
    # Array and data-table formulas: keep their text, like any other formula.
    return str(getattr(value, "text", value)).strip()


def _trim(texts: list[str]) -> list[str]:
    while texts and not texts[-1]:
        texts.pop()
    return texts


# --- xlsx ----------------------------------------------------------------------------


def _open_workbook(data: bytes):  # noqa: ANN202 - an openpyxl workbook
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - zipfile, XML and openpyxl errors alike
        raise UnreadableFile(f"The workbook cannot be read ({exc.__class__.__name__}).") from None


def _workbook_rows(workbook) -> Iterator[RowTexts]:  # noqa: ANN001 - an openpyxl workbook
    sheet = workbook.worksheets[0]
    # Some writers store a wrong size; without it openpyxl reads to the real end.
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        texts = _trim([cell_text(v) for v in values])
        if texts:
            yield number, texts


def _xlsx_rows(data: bytes) -> Iterator[RowTexts]:
    workbook = _open_workbook(data)
    try:
        yield from _workbook_rows(workbook)
    finally:
        workbook.close()


def _read_xlsx(data: bytes) -> Sheet:
    # Opening is costly (a workbook without a stored size is parsed whole just to be
    # opened), so the reader that finds the header is kept for the first rows().
    workbook = _open_workbook(data)
    rows = _workbook_rows_then_close(workbook)
    try:
        if not workbook.worksheets:
            raise UnreadableFile("The workbook has no sheets.")
        last_row = workbook.worksheets[0].max_row or 0
        header_row, headers = _first_row(rows)
        samples = list(islice(rows, SAMPLE_ROWS))
    except BaseException:
        rows.close()
        workbook.close()
        raise
    return Sheet(
        file_format="xlsx",
        headers=headers,
        header_row=header_row,
        estimated_rows=max(0, last_row - header_row, len(samples)),
        encoding=None,
        delimiter=None,
        samples=samples,
        _iterate=lambda: _after(_xlsx_rows(data), header_row),
        _open_reader=[rows],
    )


def _workbook_rows_then_close(workbook) -> Iterator[RowTexts]:  # noqa: ANN001
    try:
        yield from _workbook_rows(workbook)
    finally:
        workbook.close()


# --- csv -----------------------------------------------------------------------------

_LETTERS = re.compile(r"[^\W\d_]{2,}")


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _misread_words(text: str, encoding: str) -> int:
    """Words that only appear when a single-byte file is read with the wrong code page.

    Read as Windows-1251, Western text turns into Latin words with a Cyrillic
    letter inside ("Mьller"); read as Windows-1252, Russian turns into words made
    only of accented letters ("Ðîìàøêà"). Real words of either language rarely
    look like that.
    """
    count = 0
    for word in _LETTERS.findall(text):
        if word.isascii():
            continue
        ascii_letters = sum(c.isascii() for c in word)
        if encoding == "cp1251":
            cyrillic = sum(_is_cyrillic(c) for c in word)
            count += bool(cyrillic and cyrillic < len(word))
        else:
            count += ascii_letters == 0
    return count


def decode_text(data: bytes) -> tuple[str, str]:
    """``(text, encoding)``: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1251/1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings = {}
    for encoding in ("cp1251", "cp1252"):
        try:
            readings[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if not readings:
        raise UnreadableFile(
            "The file's text encoding is not UTF-8, Windows-1251 or Windows-1252; "
            "save it as CSV UTF-8 and upload again."
        )
    best = min(readings, key=lambda enc: (_misread_words(readings[enc], enc), enc != "cp1252"))
    return readings[best], best


def guess_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most consistent columns.

    Decimal commas ("12,5" in a semicolon file) make commas look plausible in
    data rows, so consistency with the header row's width decides first, then width.
    """
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        records = []
        for record in csv.reader(io.StringIO(text), delimiter=delimiter):
            if any(cell.strip() for cell in record):
                records.append(record)
            if len(records) >= SNIFF_RECORDS:
                break
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        consistency = sum(len(r) == width for r in records) / len(records)
        score = (consistency, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(text: str, delimiter: str, skip_lines: int) -> Iterator[RowTexts]:
    source = io.StringIO(text)
    for _ in range(skip_lines):
        source.readline()
    reader = csv.reader(source, delimiter=delimiter)
    for number, record in enumerate(reader, start=1 + skip_lines):
        texts = _trim([cell.strip() for cell in record])
        if texts:
            yield number, texts


def _read_csv(data: bytes) -> Sheet:
    text, encoding = decode_text(data)
    text = text.replace("\x00", "")
    skip_lines = 0
    first_line = text.split("\n", 1)[0].strip()
    # Excel writes and honours a "sep=;" first line naming the delimiter.
    if re.fullmatch(r'"?sep=.?"?', first_line, flags=re.IGNORECASE) and len(first_line) >= 5:
        delimiter = first_line.strip('"')[4:] or ","
        skip_lines = 1
    else:
        delimiter = guess_delimiter(text)
    try:
        rows = _csv_rows(text, delimiter, skip_lines)
        header_row, headers = _first_row(rows)
        samples = list(islice(rows, SAMPLE_ROWS))
    except csv.Error as exc:
        raise UnreadableFile(f"The CSV file cannot be read: {exc}.") from None
    return Sheet(
        file_format="csv",
        headers=headers,
        header_row=header_row,
        estimated_rows=max(0, text.count("\n") - header_row + 1),
        encoding=encoding,
        delimiter=delimiter,
        samples=samples,
        _iterate=lambda: _after(_csv_rows(text, delimiter, skip_lines), header_row),
    )


# --- shared --------------------------------------------------------------------------


def _first_row(rows: Iterator[RowTexts]) -> RowTexts:
    for number, texts in rows:
        return number, texts
    raise UnreadableFile("The file has no header row.")


def _after(rows: Iterator[RowTexts], header_row: int) -> Iterator[RowTexts]:
    for number, texts in rows:
        if number > header_row:
            yield number, texts
