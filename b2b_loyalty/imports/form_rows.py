"""Validating spreadsheet rows with the WTForms forms the pages and the API use.

One source of rules: a row's texts go through the same fields, parsers and
validators as a form post, and come back with the same messages. For speed
the form is built once and each *field* is processed on its own, with the
result cached per distinct text (a file of 100,000 orders has a few hundred
distinct dates and prices): the core's forms validate each field on its own.
A form with an inline ``validate_<field>`` method may compare fields, so such
a form is processed whole for every row, without the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

# Distinct texts remembered per field; unique columns (references) stop caching here.
CACHE_LIMIT = 20_000


class _OneValue:
    """The smallest formdata a field accepts: one name, one text."""

    __slots__ = ("name", "text")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text

    def __contains__(self, name: object) -> bool:
        return name == self.name

    def __bool__(self) -> bool:
        return True

    def getlist(self, name: str) -> list[str]:
        return [self.text] if name == self.name else []


class FormRowValidator:
    """Validate ``{field name: text}`` rows with ``form_class``; see the module docstring.

    ``prepare(form)`` runs once after the form is built (set choices, drop fields).
    ``validate(values)`` returns ``(data, errors)``: the parsed value of each
    field given, and the form's messages per field for those that failed.
    """

    def __init__(self, form_class: type, prepare: Callable[[Any], None] | None = None) -> None:
        self.form = form_class(formdata=None, meta={"csrf": False})
        if prepare is not None:
            prepare(self.form)
        self._fields = dict(self.form._fields)
        self._compares_fields = any(
            callable(getattr(self.form, f"validate_{name}", None)) for name in self._fields
        )
        self._cache: dict[str, dict[str, tuple[Any, tuple[str, ...]]]] = {
            name: {} for name in self._fields
        }

    def validate(self, values: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        if self._compares_fields:
            return self._validate_whole(values)
        data: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for name, text in values.items():
            field = self._fields.get(name)
            if field is None:
                continue
            cache = self._cache[name]
            result = cache.get(text)
            if result is None:
                field.process(_OneValue(name, text))
                field.validate(self.form)
                result = (field.data, tuple(str(message) for message in field.errors))
                if len(cache) < CACHE_LIMIT:
                    cache[text] = result
            data[name] = result[0]
            if result[1]:
                errors[name] = list(result[1])
        return data, errors

    def _validate_whole(
        self, values: Mapping[str, str]
    ) -> tuple[dict[str, Any], dict[str, list[str]]]:
        given = {name: text for name, text in values.items() if name in self._fields}
        self.form.process(MultiDict(given))
        self.form.validate()
        errors = {
            name: [str(m) for m in messages]
            for name, messages in self.form.errors.items()
            if name in given
        }
        return {name: self._fields[name].data for name in given}, errors
