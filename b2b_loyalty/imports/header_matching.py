"""Matching a file's headers to an entity's fields, and checking a mapping the user edited.

A mapping is a list with one entry per column of the file: the key of the
field the column feeds, or ``""`` for a column that is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from b2b_loyalty.plugin_api.types import ImportEntity, ImportField

_NOT_WORD = re.compile(r"[\W_]+")


def normalise_header(text: str) -> str:
    """Case, spaces and punctuation do not count: "Tax-ID", "tax id" and "TAX_ID" are one."""
    return _NOT_WORD.sub("", text.casefold().replace("ё", "е"))


def header_names(field: ImportField) -> list[str]:
    """Every header that maps to ``field``: its key, its label and its synonyms, normalised."""
    names = [normalise_header(field.key), normalise_header(field.label)]
    names += [normalise_header(s) for s in field.synonyms]
    return [n for n in dict.fromkeys(names) if n]


def auto_mapping(entity: ImportEntity, headers: Sequence[str]) -> list[str]:
    """Map each header to the first field it names; a field takes the first column naming it."""
    by_name: dict[str, str] = {}
    for field in entity.fields:
        for name in header_names(field):
            by_name.setdefault(name, field.key)
    mapping: list[str] = []
    taken: set[str] = set()
    for header in headers:
        key = by_name.get(normalise_header(header), "")
        if key in taken:
            key = ""
        if key:
            taken.add(key)
        mapping.append(key)
    return mapping


def fit_mapping(mapping: Sequence[str], width: int) -> list[str]:
    """Pad or cut a stored mapping to ``width`` columns (rows may be wider than the header)."""
    return (list(mapping) + [""] * width)[:width]


def mapping_problems(entity: ImportEntity, mapping: Sequence[str]) -> list[str]:
    """What stops a run with ``mapping``: unknown fields, a field fed twice, required ones missing."""
    known = {f.key: f for f in entity.fields}
    problems: list[str] = []
    seen: set[str] = set()
    for key in mapping:
        if not key:
            continue
        if key not in known:
            problems.append(f"Unknown field {key!r}.")
        elif key in seen:
            problems.append(f"Two columns are mapped to {known[key].label!r}; choose one.")
        seen.add(key)
    missing = [f.label for f in entity.fields if f.required and f.key not in seen]
    if missing:
        problems.append("Map a column to: " + ", ".join(missing) + ".")
    for group in entity.mapped_one_of:
        if not seen.intersection(group):
            labels = [known[key].label for key in group if key in known]
            problems.append("Map a column to " + " or ".join(labels) + ".")
    return problems


def column_label(headers: Sequence[str], index: int) -> str:
    """The header of column ``index`` as the user knows it, or its letter if it has none."""
    header = headers[index] if index < len(headers) else ""
    return header or f"Column {column_letter(index)}"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, as a spreadsheet names columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
