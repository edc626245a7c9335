"""Small pieces every entity's ``apply_rows`` uses: chunks, rejections, form messages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice

from b2b_loyalty.imports.cell_values import is_formula
from b2b_loyalty.plugin_api.types import ImportField, ImportProblem, ImportRow, ImportRowOutcome

# Rows an entity validates and writes together (one lookup query, one executemany).
CHUNK_SIZE = 1000


def chunks(rows: Iterable[ImportRow], size: int = CHUNK_SIZE) -> Iterator[list[ImportRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def rejected(row: ImportRow, problems: Iterable[ImportProblem]) -> ImportRowOutcome:
    return ImportRowOutcome(row.row_number, "reject", tuple(problems))


def form_problems(
    errors: Mapping[str, list[str]], fields: Mapping[str, ImportField]
) -> list[ImportProblem]:
    """The form's first message per field as an ImportProblem, with the format hint after a
    parse error. (After "Not a valid decimal value." a form also says "cannot be negative"
    about the empty value it got; the first message is the one that helps.)
    """
    problems = []
    for key, messages in errors.items():
        if not messages:
            continue
        message = messages[0]
        hint = fields[key].format_hint if key in fields else ""
        if hint and message.startswith("Not a valid"):
            message = f"{message} Expected {hint}."
        problems.append(ImportProblem(key, message))
    return problems


def formula_problems(values: Mapping[str, str], keys: Iterable[str]) -> list[ImportProblem]:
    """Formulas where a number or a date is expected: we keep them as text, so say why it fails."""
    return [
        ImportProblem(key, f"A formula is not evaluated: type the value itself, not {values[key]}.")
        for key in keys
        if is_formula(values.get(key, ""))
    ]


def given(values: Mapping[str, str], keys: Iterable[str]) -> dict[str, str]:
    """The non-empty cells among ``keys``: an empty cell leaves the stored value as it is."""
    return {key: values[key] for key in keys if values.get(key)}
