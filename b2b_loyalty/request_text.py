"""Refusing text no database column can hold: the NUL character.

PostgreSQL refuses NUL in text outright (SQLite stores it and cuts strings at
it in places), so a form field, query parameter or JSON string with one would
end as a database error. Checked once for every request, before any view runs:
the answer is a 422 naming the fields (JSON under /api/, an error page else).
"""

from __future__ import annotations

from typing import Any

from flask import request

from b2b_loyalty.services.errors import ValidationFailed

NUL = "\x00"
MESSAGE = "must not contain the NUL character"


def _json_paths(value: Any) -> list[str]:
    """Paths of the strings (and keys) holding a NUL in a parsed JSON value; a loop, not
    recursion, so a deeply nested body cannot exhaust the stack here either."""
    found: list[str] = []
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                found.append(path or "body")
        elif isinstance(item, dict):
            for key, child in item.items():
                name = f"{path}.{key}" if path else str(key)
                if NUL in str(key):
                    found.append(name)
                else:
                    stack.append((child, name))
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(item))
    return found


def fields_with_nul() -> list[str]:
    """Names of the request's fields (query, form, JSON) whose text holds a NUL."""
    fields = [
        key
        for source in (request.args, request.form)
        for key, values in source.lists()
        if NUL in key or any(NUL in v for v in values)
    ]
    if request.is_json:
        fields += _json_paths(request.get_json(silent=True))
    return fields


def refuse_nul_characters() -> None:
    fields = fields_with_nul()
    if fields:
        raise ValidationFailed(
            f"Text {MESSAGE}: {', '.join(sorted(set(fields)))}.",
            {name: [MESSAGE] for name in fields},
        )
