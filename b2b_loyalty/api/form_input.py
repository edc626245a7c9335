"""Validate JSON bodies with the same WTForms classes the pages use.

A JSON object is turned into form data (lists become repeated keys, booleans
become a checked/unchecked box, numbers become their text) and validated by
the form class; field errors come back keyed by the same field names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from b2b_loyalty.db_limits import MAX_DB_ID
from b2b_loyalty.services.errors import ServiceError, ValidationFailed


class BadRequestBody(ServiceError):
    status = 400


def json_body() -> dict[str, Any]:
    """The request body as a dict; floats parsed as Decimal so no precision is lost."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise BadRequestBody("The body is not valid JSON.") from None
    except RecursionError:  # see b2b_loyalty.json_provider
        raise BadRequestBody("The body is not valid JSON: it is nested too deeply.") from None
    if not isinstance(body, dict):
        raise BadRequestBody("The body must be a JSON object.")
    return body


def _as_text(value: Any) -> str:
    if isinstance(value, Decimal | int):
        return str(value)
    if isinstance(value, str):
        return value
    raise ValueError


def validate_json(
    form_class: type,
    body: Mapping[str, Any],
    *,
    base: Mapping[str, Any] | None = None,
    read_only: Iterable[str] = (),
    prepare: Callable[[Any], None] | None = None,
) -> dict[str, Any]:
    """Merge ``body`` over ``base`` (defaults or current values), validate, return clean data.

    Unknown keys are refused (a typo such as ``circel`` must not be silently
    dropped); keys in ``read_only`` (``id``, timestamps) are ignored, so a client
    can send back what it read.
    """
    merged = {**(base or {}), **{k: v for k, v in body.items() if k not in set(read_only)}}
    formdata = MultiDict()
    errors: dict[str, list[str]] = {}
    for key, value in merged.items():
        try:
            if isinstance(value, bool):
                if value:
                    formdata.add(key, "y")
            elif value is None:
                formdata.add(key, "")
            elif isinstance(value, list):
                for item in value:
                    formdata.add(key, _as_text(item))
            else:
                formdata.add(key, _as_text(value))
        except ValueError:
            errors[key] = ["Expected a number, text or a list of them."]
    form = form_class(formdata=formdata, meta={"csrf": False})
    if prepare is not None:
        prepare(form)
    unknown = sorted(set(merged) - set(form._fields))
    for key in unknown:
        errors[key] = ["Unknown field."]
    valid = form.validate()
    for name, value in form.data.items():
        values = value if isinstance(value, list) else [value]
        if any(
            isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_DB_ID for v in values
        ):
            errors[name] = [f"Must be at most {MAX_DB_ID}."]
    if not valid or errors:
        errors.update({k: [str(m) for m in v] for k, v in form.errors.items()})
        raise ValidationFailed("The request has invalid fields.", errors)
    return {name: form.data[name] for name in merged if name in form._fields}
