"""Text that is safe to put in a spreadsheet cell.

A spreadsheet evaluates a cell whose text starts with ``=``, ``+``, ``-`` or
``@`` as a formula (``=HYPERLINK(...)``, ``@SUM(...)``, ``+cmd|' /C calc'!A0``),
and a leading tab or carriage return can smuggle one past a naive check. User
text (account names, notes, order references, comments) is therefore
neutralised the way OWASP recommends for CSV/formula injection: such text gets
a leading apostrophe and stays a string. Characters XML 1.0 cannot carry are
dropped (a file with one would not open), and text is cut to the 32,767
characters a cell holds.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_PREFIX = "'"
MAX_CELL_CHARS = 32_767

# XML 1.0 allows tab, line feed and carriage return among the C0 controls, nothing else.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Sheet names may not hold these, nor start or end with an apostrophe; 31 characters at most.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31


def neutralise_formula(text: str) -> str:
    """``text`` with a leading apostrophe when it starts with a formula trigger, else unchanged.

    The result never starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return, and the original text follows the prefix unchanged.
    """
    if text.startswith(FORMULA_TRIGGERS):
        return NEUTRALISING_PREFIX + text
    return text


def safe_cell_text(text: str) -> str:
    """Cell text from any user input: XML-illegal characters dropped, cut to the cell
    limit, then neutralised (last, so nothing removed afterwards can expose a trigger)."""
    cleaned = _ILLEGAL_XML.sub("", text)
    if len(cleaned) >= MAX_CELL_CHARS:
        cleaned = cleaned[: MAX_CELL_CHARS - 1]
    return neutralise_formula(cleaned)


def sheet_name(title: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A valid, unique sheet name from ``title`` (forbidden characters dropped, 31 max).

    Names are compared ignoring case, as spreadsheets do; a clash gets `` (2)``,
    `` (3)`` … appended within the length limit.
    """
    base = _SHEET_NAME_FORBIDDEN.sub("", _ILLEGAL_XML.sub("", title)).strip().strip("'").strip()
    base = base or "Sheet"
    lowered = {name.lower() for name in taken}
    candidate = base[:MAX_SHEET_NAME]
    n = 1
    while candidate.lower() in lowered:
        n += 1
        suffix = f" ({n})"
        candidate = base[: MAX_SHEET_NAME - len(suffix)] + suffix
    return candidate
