"""The OpenAPI 3.1 document of ``/api/v1``, built from the running app: one source of truth.

Nothing here is a hand-written copy of the API:

- every ``/api/v1`` rule of ``app.url_map`` becomes an operation (core and plugin
  API blueprints alike), its path parameters read from the rule's converters;
- a JSON body that ``validate_json`` checks with a WTForms class is described by
  introspecting that class: field type -> JSON type/format, ``InputRequired`` ->
  required, ``NumberRange`` -> minimum/maximum, ``Length`` -> min/maxLength,
  ``AnyOf`` and static ``SelectField`` choices -> enum, ``Regexp`` -> pattern,
  ``Email`` -> format;
- the account's child resources (``ChildResource``, core and plugins) are found
  on the views ``child_resources.register`` makes, so their form, defaults,
  read-only keys and serializer come from the declaration itself; their response
  schema is the form's fields in serialized form (Decimals as strings, dates ISO)
  plus ``id``/``account_id`` and whatever extra keys the serializer adds, declared
  below next to the serializer's name;
- the bodies that are not forms (pricing preview, quotes, discount schedules,
  categories) are derived from the key sets the views check (``KNOWN_FIELDS``,
  ``SCHEDULE_FIELDS``), the domain's enums and the model columns.

The fuzz test (``tests/test_api_fuzz.py``) checks every response against this
document, so a serializer that drifts from its schema fails CI.

A plugin describes its own routes with :func:`api_doc` (an attribute on the
view) or :func:`register_api_doc` (a registry in ``app.extensions``); a route
without either is still listed with its path, method, parameters, auth and error
responses, and its docstring as the summary.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from flask import Flask
from wtforms import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    FieldList,
    FloatField,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms import validators as v

from b2b_loyalty.api.plugin_support import API_URL_PREFIX

OPENAPI_VERSION = "3.1.0"
EXTENSION_KEY = "b2b_loyalty.openapi"
# The attribute a view carries to describe itself (an ApiDoc or {method: ApiDoc}).
DOC_ATTR = "api_doc"
# The attribute that makes an /api/v1 view public (no bearer token); see api_public().
PUBLIC_ATTR = "api_public"
SECURITY_SCHEME = "bearerAuth"

# Decimals travel as strings: "12.50", "-3", never floats or exponents.
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
NON_NEGATIVE_DECIMAL_PATTERN = r"^[0-9]+(\.[0-9]+)?$"
CURRENCY_PATTERN = r"^[A-Za-z]{3}$"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

ERROR_DESCRIPTIONS = {
    400: "The body is not valid JSON or not a JSON object, or a parameter or key is not accepted.",
    401: "No valid API token: send `Authorization: Bearer <token>`.",
    403: "Your role may not do this (e.g. finance changing accounts, an account manager "
    "changing discount schedules).",
    404: "No such record, or not one you may see (record-level access answers 404, not 403).",
    409: "The change conflicts with the record's state or with data saved at the same time. "
    "An edit whose `version` (`row_version` on discount schedules) is not the record's current "
    "one was based on an outdated read: nothing is saved, and `error.conflict` says which "
    "fields differ (`yours`/`current`) and gives the current record and version.",
    422: "Invalid fields: `error.fields` maps each field (or path such as `tiers.1.from`) "
    "to its messages.",
}
ERROR_EXAMPLES = {
    400: {"message": "The body is not valid JSON.", "fields": {}},
    401: {"message": "Send a valid API token: Authorization: Bearer <token>.", "fields": {}},
    403: {"message": "Your role can read accounts but not change them.", "fields": {}},
    404: {"message": "No such account.", "fields": {}},
    409: {
        "message": "Someone else changed this record since you read it (you sent version 3, "
        "it is now at version 4). Nothing was saved: read it again, re-apply your change and "
        "send the current version.",
        "fields": {"name": ["Changed meanwhile: it is now “Acme Group”."]},
        "conflict": {
            "version_key": "version",
            "sent_version": 3,
            "current_version": 4,
            "changes": {"name": {"yours": "Acme Ltd", "current": "Acme Group"}},
            "current": {"id": 7, "name": "Acme Group", "version": 4},
        },
    },
    422: {
        "message": "The request has invalid fields.",
        "fields": {"name": ["Name is required."], "tiers.0.from": ["is required"]},
    },
}
ERROR_NAMES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    422: "ValidationFailed",
}


# --- how a route describes itself -----------------------------------------------------------


@dataclass(frozen=True)
class ApiDoc:
    """What the OpenAPI document says about one operation; every part is optional.

    ``request_form`` is a WTForms class validated with ``validate_json``;
    ``request_defaults`` are keys the server fills in (so not required),
    ``request_read_only`` keys the server ignores, ``partial`` makes no key
    required (PATCH). ``request_schema``/``response_schema`` are JSON Schemas
    (``response_schema`` is the item of a ``paged`` list). ``responses`` adds
    or replaces success responses: ``{201: ("Saved", schema_or_None)}``.
    ``errors`` lists the error statuses; None derives them from the method and
    the path parameters. ``version_key`` names the row version a PATCH must
    send (optimistic locking, see ``api/row_versions.py``); a POST may send it
    back, ignored.
    """

    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    query: tuple[dict[str, Any], ...] = ()
    request_form: type | None = None
    request_defaults: Mapping[str, Any] = field(default_factory=dict)
    request_read_only: tuple[str, ...] = ()
    partial: bool = False
    request_schema: dict[str, Any] | None = None
    request_required: bool = True
    response_schema: dict[str, Any] | None = None
    response_name: str = ""
    paged: bool = False
    status: int = 200
    responses: Mapping[int, tuple[str, dict[str, Any] | None]] = field(default_factory=dict)
    errors: tuple[int, ...] | None = None
    media_type: str = "application/json"
    version_key: str = ""


def api_doc(doc: ApiDoc | None = None, /, **kwargs: Any) -> Callable:
    """Decorator: ``@api_doc(summary=..., request_form=MyForm, response_schema={...})``.

    Sets an attribute on the view and returns the same function, so it may sit
    above or below ``@bp.get(...)``. A view serving several methods may instead
    carry ``{"GET": ApiDoc(...), "POST": ApiDoc(...)}`` in that attribute, or be
    described per method with :func:`register_api_doc`.
    """

    def decorate(view: Callable) -> Callable:
        setattr(view, DOC_ATTR, doc if doc is not None else ApiDoc(**kwargs))
        return view

    return decorate


def api_public(view: Callable) -> Callable:
    """Mark an /api/v1 view as public: no bearer token (the blueprint hook must honour it)."""
    setattr(view, PUBLIC_ATTR, True)
    return view


def register_api_doc(app: Flask, endpoint: str, doc: ApiDoc, method: str | None = None) -> None:
    """Describe ``endpoint`` (e.g. ``"engagement_api.create_interaction"``) for this app.

    For plugins whose views cannot carry an attribute, typically from the
    plugin's ``configure_app`` hook; ``method`` limits it to one HTTP method.
    """
    registry = app.extensions.setdefault(EXTENSION_KEY, {})
    registry[(endpoint, method.upper() if method else None)] = doc


# --- JSON Schema pieces --------------------------------------------------------------------


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null (JSON Schema 2020-12, as OpenAPI 3.1 uses)."""
    out = dict(schema)
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
    elif isinstance(kind, list):
        if "null" not in kind:
            out["type"] = [*kind, "null"]
    else:
        return {"anyOf": [schema, {"type": "null"}]}
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    return out


def decimal_schema(*, minimum: Any = None, maximum: Any = None, request: bool = False) -> dict:
    """A Decimal amount as a string; requests may also send a JSON number."""
    non_negative = minimum is not None and minimum >= 0
    schema: dict[str, Any] = {
        "type": ["string", "number"] if request else "string",
        "pattern": NON_NEGATIVE_DECIMAL_PATTERN if non_negative else DECIMAL_PATTERN,
        "description": "Decimal as a string (exact); a JSON number is accepted too."
        if request
        else "Decimal as a string (exact).",
        "example": "12.50",
    }
    if request and minimum is not None:
        schema["minimum"] = _json_number(minimum)
    if request and maximum is not None:
        schema["maximum"] = _json_number(maximum)
        schema["description"] += f" At most {maximum}."
    return schema


def _json_number(value: Any) -> int | float:
    return int(value) if int(value) == value else float(value)


DATE = {"type": "string", "format": "date", "example": "2026-03-01"}
DATE_TIME = {"type": "string", "format": "date-time", "example": "2026-03-01T09:30:00+00:00"}
ID = {"type": "integer", "minimum": 1, "example": 1}
DEC = decimal_schema()


def _enum(values: Iterable[Any], **extra: Any) -> dict[str, Any]:
    values = list(values)
    kind = "integer" if all(isinstance(x, int) for x in values) else "string"
    return {"type": kind, "enum": values, **extra}


def obj(
    properties: Mapping[str, dict[str, Any]],
    *,
    required: Iterable[str] | None = None,
    closed: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """An object schema; ``required`` defaults to every property (serializers send all keys)."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": dict(properties),
        "required": sorted(properties if required is None else required),
        **extra,
    }
    if not schema["required"]:
        del schema["required"]
    if closed:
        schema["additionalProperties"] = False
    return schema


def row_version_schema(key: str = "version", *, request: bool = False) -> dict[str, Any]:
    """The row version of a record (optimistic locking); a PATCH sends back the one it read."""
    if request:
        text = (
            f"The `{key}` you read with the record. If the record changed since, nothing is "
            "saved and the answer is 409 with `error.conflict`."
        )
    else:
        text = f"Row version: send it back as `{key}` when you change the record."
    return {"type": "integer", "minimum": 1, "example": 3, "description": text}


def conflict_schema() -> dict[str, Any]:
    return obj(
        {
            "version_key": {
                "type": "string",
                "enum": ["version", "row_version"],
                "description": "The key of the row version in this resource.",
            },
            "sent_version": {
                "type": ["integer", "null"],
                "description": "The version you sent; null when your change lost a race with "
                "one saved at the same moment.",
            },
            "current_version": {
                "type": ["integer", "null"],
                "description": "The record's version now; null if it was deleted.",
            },
            "changes": {
                "type": "object",
                "description": "Field -> what you sent and what the record holds now, for the "
                "fields you sent that differ.",
                "additionalProperties": obj({"yours": {}, "current": {}}),
            },
            "current": {
                "type": ["object", "null"],
                "description": "The record as it is now (as a GET answers it); null if deleted.",
            },
        },
        description="Present on a 409 for an edit based on an outdated version of a record.",
    )


def error_schema() -> dict[str, Any]:
    return obj(
        {
            "error": obj(
                {
                    "message": {"type": "string"},
                    "fields": {
                        "type": "object",
                        "description": "Field name or path -> messages; empty when no field "
                        "is at fault.",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                    "conflict": conflict_schema(),
                },
                required=("message", "fields"),
            )
        },
        example={"error": {"message": "The request has invalid fields.", "fields": {}}},
    )


# --- WTForms introspection -----------------------------------------------------------------


def _instantiate(form_class: type) -> Any:
    try:
        return form_class(formdata=None, meta={"csrf": False})
    except TypeError:  # a plain wtforms.Form subclass without Flask-WTF's meta handling
        return form_class(formdata=None)


def _validators(form_field: Any, kind: type) -> list[Any]:
    return [x for x in form_field.validators if isinstance(x, kind)]


def _is_required(form_field: Any) -> bool:
    return bool(_validators(form_field, v.InputRequired) or _validators(form_field, v.DataRequired))


def _is_optional(form_field: Any) -> bool:
    return bool(_validators(form_field, v.Optional))


def _choice_values(form_field: Any) -> list[Any]:
    """Static choices of a select field, coerced as the field coerces them; [] if dynamic."""
    raw = form_field.choices
    if not raw or isinstance(raw, dict) or callable(raw):
        return []
    normalise = getattr(form_field, "_choices_from_input", None)
    items = normalise(raw) if normalise else raw
    values = []
    for item in items:
        value = (
            item.value if hasattr(item, "value") else (item[0] if isinstance(item, tuple) else item)
        )
        if value in ("", None):
            continue
        try:
            values.append(form_field.coerce(value))
        except (TypeError, ValueError):
            continue
    return values


def _coerces_to_int(form_field: Any) -> bool:
    coerce = getattr(form_field, "coerce", str)
    try:
        return coerce("7") == 7
    except (TypeError, ValueError):
        return False


def _number_bounds(form_field: Any) -> tuple[Any, Any]:
    low = high = None
    for rule in _validators(form_field, v.NumberRange):
        low = rule.min if rule.min is not None else low
        high = rule.max if rule.max is not None else high
    return low, high


def _select_item_schema(form_field: Any, response: bool) -> dict[str, Any]:
    allowed = [x for rule in _validators(form_field, v.AnyOf) for x in rule.values]
    static = _choice_values(form_field) if getattr(form_field, "validate_choice", True) else []
    values = allowed or static
    if values:
        return _enum(values)
    return {"type": "integer"} if _coerces_to_int(form_field) else {"type": "string"}


def field_schema(form_field: Any, *, response: bool = False) -> tuple[dict[str, Any], bool]:
    """(JSON Schema, may be null) of one bound WTForms field, as a request or a response."""
    schema, may_be_null = _field_type_schema(form_field, response)
    label = str(form_field.label.text) if form_field.label and form_field.label.text else ""
    if label and label != form_field.name.replace("_", " ").title():
        schema = {**schema, "title": label}
    description = str(form_field.description or "")
    if description:
        schema["description"] = (schema.get("description", "") + " " + description).strip()
    return schema, may_be_null


def _field_type_schema(form_field: Any, response: bool) -> tuple[dict[str, Any], bool]:
    required = _is_required(form_field)
    optional = _is_optional(form_field)
    schema: dict[str, Any]
    may_be_null = optional
    if isinstance(form_field, BooleanField):
        return {"type": "boolean"}, False
    if isinstance(form_field, FormField):
        return form_schema(form_field.form_class, response=response), False
    if isinstance(form_field, FieldList):
        entry = form_field.entries[0] if form_field.entries else form_field.append_entry()
        item, _ = field_schema(entry, response=response)
        return {"type": "array", "items": item}, False
    if isinstance(form_field, SelectMultipleField):
        return {"type": "array", "items": _select_item_schema(form_field, response)}, False
    if isinstance(form_field, SelectField):
        schema = _select_item_schema(form_field, response)
    elif isinstance(form_field, DecimalField):
        low, high = _number_bounds(form_field)
        schema = decimal_schema(minimum=low, maximum=high, request=not response)
    elif isinstance(form_field, IntegerField):
        schema = {"type": "integer"}
        low, high = _number_bounds(form_field)
        if low is not None:
            schema["minimum"] = low
        if high is not None:
            schema["maximum"] = high
    elif isinstance(form_field, FloatField):
        schema = {"type": "number"}
    elif isinstance(form_field, DateField):
        schema = dict(DATE)
    elif isinstance(form_field, DateTimeField):
        schema = dict(DATE_TIME)
    elif isinstance(form_field, StringField):
        schema = {"type": "string"}
        if not response:
            for rule in _validators(form_field, v.Length):
                if rule.max is not None and rule.max >= 0:
                    schema["maxLength"] = rule.max
                if rule.min is not None and rule.min > 0:
                    schema["minLength"] = rule.min
            for rule in _validators(form_field, v.Regexp):
                schema["pattern"] = rule.regex.pattern
            if _validators(form_field, v.Email):
                schema["format"] = "email"
            if required:
                schema["minLength"] = max(1, schema.get("minLength", 0))
        # Empty text is stored as null; a request may send null unless a rule refuses "".
        checked = _validators(form_field, v.Regexp) or _validators(form_field, v.Email)
        may_be_null = not required and (response or optional or not checked)
    else:
        schema = {}
    return schema, may_be_null


def form_schema(
    form_class: type,
    *,
    response: bool = False,
    defaults: Mapping[str, Any] | None = None,
    read_only: Iterable[str] = (),
    partial: bool = False,
    extra: Mapping[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The JSON Schema of a form as a request body, or of its serialized record (response)."""
    form = _instantiate(form_class)
    properties: dict[str, dict[str, Any]] = {}
    required: list[str] = []
    for name, form_field in form._fields.items():
        if name == "csrf_token":
            continue
        schema, may_be_null = field_schema(form_field, response=response)
        properties[name] = nullable(schema) if may_be_null else schema
        if response or (_is_required(form_field) and name not in (defaults or {}) and not partial):
            required.append(name)
    for name, schema in (extra or {}).items():
        properties[name] = schema
        if response:
            required.append(name)
    if not response:
        for name in read_only:
            properties.setdefault(name, {})
            properties[name] = {
                **properties[name],
                "readOnly": True,
                "description": "Read-only: ignored when sent, so a record read can be sent back.",
            }
    return obj(properties, required=required)


# --- the core's declarations ---------------------------------------------------------------


def _page_query() -> tuple[dict[str, Any], ...]:
    return (
        {"$ref": "#/components/parameters/page"},
        {"$ref": "#/components/parameters/per_page"},
    )


DELETE_VERSION_NOTE = (
    "Optionally `?version=N`, the version you read: if the record changed since, nothing "
    "is deleted and the answer is 409 with what changed."
)


def delete_version_query() -> dict[str, Any]:
    return _query(
        "version",
        {"type": "integer", "minimum": 1},
        "The record's version as you read it; a later one is a 409 and nothing is deleted.",
    )


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    param: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        param["description"] = description
    return param


def _column_length(model: type, column: str) -> int | None:
    return getattr(model.__table__.c[column].type, "length", None)


def _tier_schema(request: bool) -> dict[str, Any]:
    tier = obj(
        {
            "from": decimal_schema(minimum=0, request=request),
            "percent": decimal_schema(minimum=0, maximum=100, request=request),
        },
        description="A tier: from this volume on (units or money, by basis), this percent off. "
        "The first tier starts at 0; starts strictly increase.",
    )
    return {"type": "array", "items": tier, "minItems": 1}


def _pricing_key_schemas() -> dict[str, dict[str, Any]]:
    """Schemas of the keys the pricing and schedule bodies share (not forms: domain rules)."""
    from b2b_loyalty.domain.discount_schedule import Basis, Mode, Scope

    non_negative = decimal_schema(minimum=0, request=True)
    return {
        "basis": _enum([b.value for b in Basis], description="What tier bounds measure."),
        "mode": _enum([m.value for m in Mode], description="How a tier's rate applies."),
        "scope": _enum([s.value for s in Scope], description="Which volume positions an order."),
        "tiers": _tier_schema(request=True),
        "currency": {"type": "string", "pattern": CURRENCY_PATTERN, "example": "EUR"},
        "quantity": non_negative,
        "amount": non_negative,
        "unit_price": non_negative,
        "prior_volume": non_negative,
        "unit_cost": non_negative,
        "margin_percent": non_negative,
    }


def _known_keys_schema(keys: Iterable[str], table: Mapping[str, dict[str, Any]]) -> dict:
    """Properties for a set of accepted keys; a key without a known schema is left open."""
    return {key: table.get(key, {}) for key in sorted(keys)}


def preview_request_schema() -> dict[str, Any]:
    from b2b_loyalty.services.pricing_preview import KNOWN_FIELDS

    return obj(
        _known_keys_schema(KNOWN_FIELDS, _pricing_key_schemas()),
        required=("basis", "mode", "tiers"),
        description="A schedule and a volume to price. Quantity basis: `quantity` and "
        "`unit_price`; amount basis: `amount` (or quantity and unit price). Unknown keys "
        "are refused (422).",
    )


def _line_schema() -> dict[str, Any]:
    return obj(
        {
            "from": DEC,
            "to": nullable(DEC),
            "volume": DEC,
            "percent": DEC,
            "list": DEC,
            "discount": DEC,
            "net": DEC,
        }
    )


def _next_tier_schema() -> dict[str, Any]:
    return nullable(obj({"volume_needed": DEC, "percent": DEC, "from": DEC}))


def preview_response_schema() -> dict[str, Any]:
    margin = obj(
        {
            key: nullable(DEC)
            for key in (
                "cost_total",
                "gross_profit_before",
                "gross_profit_after",
                "discount_given_away",
                "margin_percent",
                "discount_percent",
                "share_of_profit_given_away",
                "required_volume_uplift",
            )
        }
    )
    cliff = obj(
        {
            "threshold": DEC,
            "percent_before": DEC,
            "percent_at": DEC,
            "cliff_starts_at": nullable(DEC),
            "total_at_threshold": nullable(DEC),
        }
    )
    table = _pricing_key_schemas()
    return obj(
        {
            "basis": {k: x for k, x in table["basis"].items() if k != "description"},
            "mode": {k: x for k, x in table["mode"].items() if k != "description"},
            "prior_volume": nullable(DEC),
            "volume": nullable(DEC),
            "list_total": nullable(DEC),
            "discount_total": nullable(DEC),
            "net_total": nullable(DEC),
            "effective_percent": nullable(DEC),
            "lines": {"type": "array", "items": _line_schema()},
            "next_tier": _next_tier_schema(),
            "margin": nullable(margin),
            "cliffs": {"type": "array", "items": cliff},
        }
    )


def quote_request_schema() -> dict[str, Any]:
    table = _pricing_key_schemas()
    return obj(
        {
            "account_id": {**ID, "description": "The account to price for."},
            "category": {"type": "string", "minLength": 1, "description": "Category name."},
            "category_id": {**ID, "description": "Category id (instead of the name)."},
            "quantity": table["quantity"],
            "unit_price": table["unit_price"],
            "date": {**DATE, "description": "Pricing date; default today."},
            "save": {"type": "boolean", "description": "Save the quote as an order (201)."},
        },
        required=("account_id", "quantity", "unit_price"),
        closed=False,
        description="Give `category` or `category_id`. Other keys are ignored.",
    )


def quote_response_schema(saved: bool) -> dict[str, Any]:
    schedule = obj(
        {
            "id": ID,
            "name": {"type": "string"},
            "version": {"type": "integer"},
            "basis": {"type": "string"},
            "mode": {"type": "string"},
            "scope": {"type": "string"},
        }
    )
    adjustment = obj(
        {
            "stage": {"type": "string"},
            "key": {"type": "string"},
            "label": {"type": "string"},
            "percent": DEC,
            "amount": DEC,
            "explanation": {"type": "string"},
        }
    )
    properties = {
        "schedule": nullable(schedule),
        "schedule_source": {"type": ["string", "null"]},
        "date": DATE,
        "category": {"type": "string"},
        "quantity": DEC,
        "unit_price": DEC,
        "prior_volume": DEC,
        "lines": {"type": "array", "items": _line_schema()},
        "list_total": DEC,
        "volume_discount_total": DEC,
        "effective_percent": DEC,
        "next_tier": _next_tier_schema(),
        "adjustments": {"type": "array", "items": adjustment},
        "discount_total": DEC,
        "net_total": DEC,
    }
    if saved:
        properties["order_id"] = {**ID, "description": "The order the quote was saved as."}
    return obj(properties)


def schedule_request_schema(*, create: bool) -> dict[str, Any]:
    from b2b_loyalty.api.discount_schedules import SCHEDULE_FIELDS
    from b2b_loyalty.models import ScheduleFamily

    table = {
        **_pricing_key_schemas(),
        "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": _column_length(ScheduleFamily, "name") or 200,
        },
        "description": {"type": ["string", "null"]},
        "effective_from": {**nullable(DATE), "description": "Default today."},
        "change_note": {"type": ["string", "null"]},
    }
    properties = _known_keys_schema(SCHEDULE_FIELDS, table)
    for key in ("id", "status", "version", *(("row_version",) if create else ())):
        properties[key] = {"readOnly": True, "description": "Read-only: ignored when sent."}
    if not create:
        properties["row_version"] = row_version_schema("row_version", request=True)
    return obj(
        properties,
        required=("name", "basis", "mode", "tiers") if create else ("row_version",),
        description="Unknown keys are refused (422)."
        + (
            ""
            if create
            else " Send only what changes, and the `row_version` you read; a draft or "
            "rejected version only."
        ),
    )


def schedule_response_schema() -> dict[str, Any]:
    from b2b_loyalty.domain.schedule_workflow import ScheduleStatus

    table = _pricing_key_schemas()
    plain = {k: {x: y for x, y in table[k].items() if x != "description"} for k in table}
    tier = obj({"from": DEC, "percent": DEC})
    return obj(
        {
            "id": ID,
            "family_id": ID,
            "name": {"type": "string"},
            "description": {"type": ["string", "null"]},
            "version": {"type": "integer", "minimum": 1},
            "basis": plain["basis"],
            "mode": plain["mode"],
            "scope": plain["scope"],
            "currency": {"type": "string"},
            "status": _enum([s.value for s in ScheduleStatus]),
            "effective_from": DATE,
            "effective_to": nullable(DATE),
            "tiers": {"type": "array", "items": tier},
            "change_note": {"type": ["string", "null"]},
            "created_by_id": {"type": ["integer", "null"]},
            "created_at": nullable(DATE_TIME),
            "decided_by_id": {"type": ["integer", "null"]},
            "decided_at": nullable(DATE_TIME),
            "decision_comment": {"type": ["string", "null"]},
            "row_version": {
                **row_version_schema("row_version"),
                "description": "Row version (optimistic locking; `version` is the schedule's "
                "version number): send it back as `row_version` when you change this version.",
            },
        }
    )


def category_request_schema() -> dict[str, Any]:
    from b2b_loyalty.models import ProductCategory

    return obj(
        {
            "name": {
                "type": "string",
                "minLength": 1,
                "pattern": r"\S",
                "maxLength": _column_length(ProductCategory, "name") or 120,
            },
            "id": {"readOnly": True, "description": "Read-only: ignored when sent."},
        },
        required=("name",),
        description="Other keys are refused (400).",
    )


def category_response_schema() -> dict[str, Any]:
    return obj({"id": ID, "name": {"type": "string"}})


def _share_schema() -> dict[str, Any]:
    from b2b_loyalty.domain.share_of_wallet import WalletStatus

    return obj(
        {
            "value": nullable(DEC),
            "status": _enum([s.value for s in WalletStatus]),
            "our_revenue": nullable(DEC),
            "wallet_estimate": nullable(DEC),
            "headroom": nullable(DEC),
            "note": {"type": ["string", "null"]},
        }
    )


def _period_schema() -> dict[str, Any]:
    return obj({"from": DATE, "to": DATE})


def account_metrics_schema() -> dict[str, Any]:
    from b2b_loyalty.domain.health_score import Grade, Trend
    from b2b_loyalty.domain.lifecycle import LifecycleStage
    from b2b_loyalty.domain.pareto import AbcClass
    from b2b_loyalty.domain.segmentation import Segment, SegmentSource

    text = {"type": "string"}
    measure = obj(
        {
            "key": text,
            "label": text,
            "score": nullable(DEC),
            "weight": DEC,
            "explanation": text,
        }
    )
    return obj(
        {
            "account_id": ID,
            "name": text,
            "owner_id": {"type": ["integer", "null"]},
            "revenue": DEC,
            "revenue_previous": DEC,
            "growth_percent": nullable(DEC),
            "orders": {"type": "integer", "minimum": 0},
            "average_order_value": nullable(DEC),
            "categories_bought": {"type": "integer", "minimum": 0},
            "gross_margin": nullable(DEC),
            "share_of_wallet": _share_schema(),
            "share_of_wallet_previous": _share_schema(),
            "share_change_points": nullable(DEC),
            "share_of_wallet_estimate": nullable(
                obj(
                    {
                        "value": nullable(DEC),
                        "rank": {"type": "integer"},
                        "suppliers": {"type": "integer"},
                        "implied_wallet": nullable(DEC),
                        "formula": text,
                    }
                )
            ),
            "segment": obj(
                {
                    "value": _enum([s.value for s in Segment]),
                    "reason": text,
                    "source": _enum([s.value for s in SegmentSource]),
                }
            ),
            "lifecycle": obj({"stage": _enum([s.value for s in LifecycleStage]), "reason": text}),
            "abc_class": _enum([c.value for c in AbcClass]),
            "clv": nullable(
                obj(
                    {
                        "value": nullable(DEC),
                        "average_margin_per_period": nullable(DEC),
                        "retention_rate": nullable(DEC),
                        "expected_periods": nullable(DEC),
                        "formula": text,
                    }
                )
            ),
            "alerts": {
                "type": "array",
                "items": obj({"key": text, "message": text, "severity": text}),
            },
            "health": nullable(
                obj(
                    {
                        "score": nullable(DEC),
                        "grade": nullable(_enum([g.value for g in Grade])),
                        "previous": nullable(DEC),
                        "trend": _enum([t.value for t in Trend]),
                        "formula": text,
                        "measures": {"type": "array", "items": measure},
                    }
                )
            ),
            "attention": {"type": "array", "items": text},
            "period": _period_schema(),
        }
    )


def portfolio_metrics_schema() -> dict[str, Any]:
    text = {"type": "string"}
    count = {"type": "integer", "minimum": 0}
    counts = {"type": "object", "additionalProperties": count}
    return obj(
        {
            "period": _period_schema(),
            "previous_period": _period_schema(),
            "accounts": count,
            "revenue": DEC,
            "revenue_previous": DEC,
            "growth_percent": nullable(DEC),
            "orders": count,
            "average_order_value": nullable(DEC),
            "purchase_frequency": nullable(DEC),
            "retention_rate": obj(
                {
                    "value": nullable(DEC),
                    "clients_at_start": count,
                    "clients_at_end": count,
                    "new_clients": count,
                    "formula": text,
                }
            ),
            "churn_rate": obj({"value": nullable(DEC), "clients_lost": count, "formula": text}),
            "net_revenue_retention": obj({"value": nullable(DEC), "formula": text}),
            "repeat_purchase_rate": obj({"value": nullable(DEC), "formula": text}),
            "pareto": obj(
                {
                    "share_of_accounts_in_a": nullable(DEC),
                    "a_accounts": count,
                    "b_accounts": count,
                    "c_accounts": count,
                }
            ),
            "segments": counts,
            "abc_classes": counts,
            "lifecycle": counts,
            "health_grades": counts,
            "by_manager": {
                "type": "array",
                "items": obj(
                    {
                        "owner_id": {"type": ["integer", "null"]},
                        "owner_name": {"type": ["string", "null"]},
                        "accounts": count,
                        "revenue": DEC,
                        "growth_percent": nullable(DEC),
                        "a_accounts": count,
                        "needing_attention": count,
                    }
                ),
            },
            "needing_attention": {
                "type": "array",
                "items": obj(
                    {"account_id": ID, "name": text, "reasons": {"type": "array", "items": text}}
                ),
            },
        }
    )


def _period_query() -> tuple[dict[str, Any], ...]:
    return (
        _query(
            "period",
            {"type": "string", "pattern": r"^\d{4}(-?[Qq][1-4]|-\d{2})?$", "example": "2025-Q2"},
            "A year (2025), quarter (2025-Q2) or month (2025-03); default the trailing 12 "
            "months. Or give `from` and `to`.",
        ),
        _query("from", DATE, "First day (with `to`)."),
        _query("to", DATE, "Last day (with `from`)."),
    )


def serializer_extras() -> dict[Callable, dict[str, dict[str, Any]]]:
    """Keys a core serializer adds to its form's fields (``id``/``account_id`` are the default)."""
    from b2b_loyalty.api import serializers as s

    child = {"id": ID, "account_id": ID}
    return {
        s.account_json: {
            "id": ID,
            "created_at": nullable(DATE_TIME),
            "updated_at": nullable(DATE_TIME),
            "version": row_version_schema(),
        },
        s.order_json: {**child, "list_amount": DEC, "net_amount": DEC},
    }


def core_docs() -> dict[str, ApiDoc]:
    """The core endpoints that are not child resources, by endpoint name."""
    from b2b_loyalty.accounts.forms import AccountForm
    from b2b_loyalty.api import accounts
    from b2b_loyalty.api.serializers import account_json
    from b2b_loyalty.domain.schedule_workflow import ScheduleStatus
    from b2b_loyalty.queries.accounts import SORTABLE

    account = ApiDoc(
        tags=("accounts",),
        response_name="Account",
        response_schema=form_schema(
            AccountForm, response=True, extra=serializer_extras()[account_json]
        ),
    )
    account_body = {
        "request_form": AccountForm,
        "request_read_only": accounts.READ_ONLY,
    }
    schedule = {"tags": ("discount-schedules",), "response_name": "DiscountSchedule"}
    pricing = {"tags": ("pricing",)}
    metrics = {"tags": ("metrics",)}
    step_version = {
        **row_version_schema("row_version", request=True),
        "description": "Optional: the `row_version` you read; if the version changed since, "
        "nothing is done and the answer is 409.",
    }
    decision = obj(
        {
            "comment": {"type": ["string", "null"], "description": "Why (required to reject)."},
            "row_version": step_version,
        },
        required=(),
        closed=False,
    )
    return {
        "api.list_accounts": _with(
            account,
            summary="List the accounts you can see",
            description="Account managers see the accounts they own or are on the team of; "
            "the other roles see all.",
            paged=True,
            query=(
                _query("q", {"type": "string"}, "Search in name and tax id."),
                _query("owner_id", {"type": "integer", "minimum": 1}, "Owner's user id."),
                _query("region", {"type": "string"}),
                _query("industry", {"type": "string"}),
                _query("sort", _enum(SORTABLE), "Sort key; default name."),
                _query("dir", _enum(["asc", "desc"]), "Sort direction; default asc."),
            ),
        ),
        "api.create_account": _with(
            account, summary="Create an account", status=201, **account_body
        ),
        "api.get_account": _with(account, summary="Read an account"),
        "api.update_account": _with(
            account,
            summary="Change an account",
            description="Send only the fields to change, and the `version` you read: if the "
            "account changed since, nothing is saved and the answer is 409 with what changed.",
            partial=True,
            version_key="version",
            **account_body,
        ),
        "api.delete_account": _with(
            account,
            summary="Delete an account",
            description=DELETE_VERSION_NOTE,
            query=(delete_version_query(),),
            status=204,
        ),
        "api.list_categories": ApiDoc(
            tags=("categories",),
            summary="List product categories",
            paged=True,
            response_name="Category",
            response_schema=category_response_schema(),
        ),
        "api.create_category": ApiDoc(
            tags=("categories",),
            summary="Create a product category (finance, admin)",
            status=201,
            response_name="Category",
            response_schema=category_response_schema(),
            request_schema=category_request_schema(),
            errors=(400, 401, 403, 409, 422),
        ),
        "api.pricing_preview": ApiDoc(
            **pricing,
            summary="Price a volume against a schedule (nothing is saved)",
            request_schema=preview_request_schema(),
            response_name="PricingPreview",
            response_schema=preview_response_schema(),
            errors=(400, 401, 422),
        ),
        "api.create_quote": ApiDoc(
            **pricing,
            summary="Quote an account's price for a category (optionally save as an order)",
            request_schema=quote_request_schema(),
            response_name="Quote",
            response_schema=quote_response_schema(saved=False),
            responses={
                201: ("Saved as an order (`save: true`).", quote_response_schema(saved=True))
            },
            errors=(400, 401, 403, 404, 409, 422),
        ),
        "api.list_schedules": ApiDoc(
            **schedule,
            summary="List discount schedule versions",
            paged=True,
            response_schema=schedule_response_schema(),
            query=(_query("status", _enum([s.value for s in ScheduleStatus])),),
            errors=(400, 401),
        ),
        "api.create_schedule": ApiDoc(
            **schedule,
            summary="Create a discount schedule (draft version 1; finance, admin)",
            status=201,
            request_schema=schedule_request_schema(create=True),
            response_schema=schedule_response_schema(),
        ),
        "api.get_schedule": ApiDoc(
            **schedule,
            summary="Read a discount schedule version",
            response_schema=schedule_response_schema(),
        ),
        "api.update_schedule": ApiDoc(
            **schedule,
            summary="Change a draft or rejected version",
            description="Send the `row_version` you read: if the version was saved by someone "
            "else since, nothing is saved and the answer is 409 with what changed.",
            request_schema=schedule_request_schema(create=False),
            response_schema=schedule_response_schema(),
        ),
        "api.submit_schedule": ApiDoc(
            **schedule,
            summary="Submit a draft for approval",
            response_schema=schedule_response_schema(),
            request_schema=obj({"row_version": step_version}, required=(), closed=False),
            request_required=False,
            errors=(400, 401, 403, 404, 409, 422),
        ),
        "api.approve_schedule": ApiDoc(
            **schedule,
            summary="Approve a pending version (another finance user or an admin)",
            request_schema=decision,
            request_required=False,
            response_schema=schedule_response_schema(),
        ),
        "api.reject_schedule": ApiDoc(
            **schedule,
            summary="Reject a pending version, saying why",
            request_schema=decision,
            request_required=False,
            response_schema=schedule_response_schema(),
        ),
        "api.new_version_schedule": ApiDoc(
            **schedule,
            summary="Start a new draft version from this one",
            status=201,
            request_schema=obj({"effective_from": nullable(DATE)}, closed=False),
            request_required=False,
            response_schema=schedule_response_schema(),
        ),
        "api.account_metrics": ApiDoc(
            **metrics,
            summary="Metrics of one account for a period",
            query=_period_query(),
            response_name="AccountMetrics",
            response_schema=account_metrics_schema(),
            errors=(401, 404, 422),
        ),
        "api.portfolio_metrics": ApiDoc(
            **metrics,
            summary="Portfolio metrics of the accounts you can see",
            query=(
                *_period_query(),
                _query("owner_id", {"type": "integer", "minimum": 1}, "Only this owner's."),
                _query("owner", {"type": "integer", "minimum": 1}, "Same as owner_id."),
                _query("region", {"type": "string"}),
                _query("industry", {"type": "string"}),
                _query("segment", {"type": "string"}, "Only accounts in this segment."),
            ),
            response_name="PortfolioMetrics",
            response_schema=portfolio_metrics_schema(),
            errors=(401, 422),
        ),
    }


def _with(base: ApiDoc, **changes: Any) -> ApiDoc:
    from dataclasses import replace

    return replace(base, **changes)


# --- child resources (core and plugins) ----------------------------------------------------

_CHILD_ACTIONS = {
    "list_items": "list",
    "create_item": "create",
    "get_item": "get",
    "update_item": "update",
    "delete_item": "delete",
}


def child_resource_of(view: Callable) -> tuple[Any, str] | None:
    """(ChildResource, action) of a view made by ``child_resources.register``, else None."""
    from b2b_loyalty.api.child_resources import ChildResource

    action = _CHILD_ACTIONS.get(getattr(view, "__name__", ""))
    if action is None:
        return None
    resource = getattr(view, "child_resource", None)
    if resource is None:
        try:
            resource = inspect.getclosurevars(view).nonlocals.get("resource")
        except (TypeError, ValueError):
            return None
    return (resource, action) if isinstance(resource, ChildResource) else None


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[_\-\s]+", name) if part)


def child_doc(resource: Any, action: str) -> ApiDoc:
    singular = resource.endpoint.replace("_", " ")
    article = "an" if singular[:1] in "aeiou" else "a"
    plural = resource.path.replace("-", " ")
    extras = serializer_extras().get(resource.to_json, {"id": ID, "account_id": ID})
    if resource.versioned:
        extras = {**extras, "version": row_version_schema()}
    item = form_schema(resource.form_class, response=True, extra=extras)
    alternatives = "".join(
        f" Give `{a}` or `{b}`; sending one replaces the other." for a, b in resource.alternatives
    )
    read_only = ", ".join(f"`{k}`" for k in resource.ignored_keys)
    common = {
        "tags": (resource.path,),
        "response_name": _camel(resource.endpoint),
        "response_schema": item,
    }
    body = {
        "request_form": resource.form_class,
        "request_defaults": resource.defaults,
        "request_read_only": resource.ignored_keys,
    }
    if action == "list":
        return ApiDoc(**common, summary=f"List the {plural} of an account", paged=True)
    if action == "create":
        defaults = ", ".join(f"`{k}`: {v!r}" for k, v in resource.defaults.items())
        return ApiDoc(
            **common,
            **body,
            summary=f"Add {article} {singular} to an account",
            description=(f"Defaults: {defaults}." if defaults else "")
            + alternatives
            + f" Read-only keys ({read_only}) are ignored.",
            status=201,
        )
    if action == "get":
        return ApiDoc(**common, summary=f"Read {article} {singular}")
    if action == "update":
        versioned = (
            " Send the `version` you read: if the record changed since, nothing is saved and "
            "the answer is 409 with what changed."
            if resource.versioned
            else ""
        )
        read_only = ", ".join(f"`{k}`" for k in resource.read_only)
        return ApiDoc(
            **common,
            **body,
            partial=True,
            summary=f"Change {article} {singular}",
            description="Send only the fields to change; the others keep their values."
            + versioned
            + alternatives
            + f" Read-only keys ({read_only}) are ignored.",
            version_key="version" if resource.versioned else "",
        )
    if resource.versioned:
        return ApiDoc(
            **common,
            summary=f"Delete {article} {singular}",
            description=DELETE_VERSION_NOTE,
            query=(delete_version_query(),),
            status=204,
        )
    return ApiDoc(**common, summary=f"Delete {article} {singular}", status=204)


# --- building the document -----------------------------------------------------------------

_ARGUMENT = re.compile(r"<(?:([a-zA-Z_][a-zA-Z0-9_]*)(?:\([^)]*\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")


def _path_parameters(rule: Any) -> list[dict[str, Any]]:
    converters = getattr(rule, "_converters", {})
    params = []
    for match in _ARGUMENT.finditer(rule.rule):
        kind, name = match.group(1) or "default", match.group(2)
        converter = converters.get(name)
        if kind == "int":
            schema: dict[str, Any] = {"type": "integer"}
            low = getattr(converter, "min", None)
            high = getattr(converter, "max", None)
            if low is None and not getattr(converter, "signed", False):
                low = 0
            if low is not None:
                schema["minimum"] = low
            if high is not None:
                schema["maximum"] = high
        elif kind == "float":
            schema = {"type": "number"}
        elif kind == "uuid":
            schema = {"type": "string", "format": "uuid"}
        else:
            schema = (
                {"type": "string", "pattern": r"^[^/]+$"} if kind != "path" else {"type": "string"}
            )
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return params


def _openapi_path(rule: str) -> str:
    path = _ARGUMENT.sub(lambda m: "{" + m.group(2) + "}", rule)
    return path[len(API_URL_PREFIX) :] or "/"


def _first_line(text: str | None) -> str:
    """The docstring's first paragraph, RST literals as Markdown code."""
    first = inspect.cleandoc(text).split("\n\n")[0] if text else ""
    return " ".join(first.split()).replace("``", "`")


def _lookup_doc(registry: Mapping, endpoint: str, method: str, view: Callable) -> ApiDoc | None:
    for key in ((endpoint, method), (endpoint, None)):
        if key in registry:
            return registry[key]
    attached = getattr(view, DOC_ATTR, None)
    if isinstance(attached, Mapping):
        attached = attached.get(method)
    return attached if isinstance(attached, ApiDoc) else None


class _Builder:
    def __init__(self) -> None:
        self.schemas: dict[str, dict[str, Any]] = {"Error": error_schema()}
        self.tags: set[str] = set()

    def component(self, name: str, schema: dict[str, Any]) -> dict[str, str]:
        candidate, n = name, 2
        while candidate in self.schemas and self.schemas[candidate] != schema:
            candidate, n = f"{name}{n}", n + 1
        self.schemas[candidate] = schema
        return {"$ref": f"#/components/schemas/{candidate}"}

    def page_of(self, name: str, item_ref: dict[str, str]) -> dict[str, str]:
        return self.component(
            f"{name}Page",
            obj(
                {
                    "items": {"type": "array", "items": item_ref},
                    "page": {"type": "integer", "minimum": 1},
                    "per_page": {"type": "integer", "minimum": 1},
                    "total": {"type": "integer", "minimum": 0},
                    "pages": {"type": "integer", "minimum": 1},
                },
                description="A page of a list: `items` and where they are in the whole.",
            ),
        )

    def operation(
        self, rule: Any, method: str, view: Callable, doc: ApiDoc | None, several: bool
    ) -> dict[str, Any]:
        endpoint = rule.endpoint
        declared = doc is not None
        child = None if declared else child_resource_of(view)
        if child is not None:
            doc = child_doc(*child)
        doc = doc or ApiDoc()
        blueprint = endpoint.rsplit(".", 1)[0] if "." in endpoint else ""
        public = bool(getattr(view, PUBLIC_ATTR, False))
        path_params = _path_parameters(rule)
        known = declared or child is not None
        tags = list(doc.tags) or [self._default_tag(blueprint, rule.rule)]
        self.tags.update(tags)
        op: dict[str, Any] = {
            "operationId": f"{endpoint}.{method.lower()}" if several else endpoint,
            "tags": tags,
            "summary": doc.summary
            or _first_line(view.__doc__)
            or endpoint.split(".")[-1].replace("_", " ").capitalize(),
        }
        description = doc.description or ("" if known else self._undeclared_note(blueprint))
        if description:
            op["description"] = description
        parameters = [*path_params, *doc.query, *(_page_query() if doc.paged else ())]
        if parameters:
            op["parameters"] = parameters
        if public:
            op["security"] = []
        body = self._request_body(method, doc, known)
        if body is not None:
            op["requestBody"] = body
        op["responses"] = {
            **self._success(method, doc, known),
            **self._errors(method, doc, known, bool(path_params), public),
        }
        if not known:
            op["x-undeclared"] = True
        return op

    def _default_tag(self, blueprint: str, rule: str) -> str:
        if blueprint and blueprint != "api":
            return blueprint.removesuffix("_api")
        first = _openapi_path(rule).strip("/").split("/")[0]
        return first or "api"

    @staticmethod
    def _undeclared_note(blueprint: str) -> str:
        return (
            f"Declared by the `{blueprint}` blueprint without a schema: the body and the "
            "response are JSON objects not described further (see `api_doc` in "
            "`b2b_loyalty/api/openapi.py`)."
        )

    def _request_body(self, method: str, doc: ApiDoc, known: bool) -> dict[str, Any] | None:
        schema = doc.request_schema
        if schema is None and doc.request_form is not None:
            schema = form_schema(
                doc.request_form,
                defaults=doc.request_defaults,
                read_only=doc.request_read_only,
                partial=doc.partial,
            )
        if schema is None and not known and method in BODY_METHODS:
            schema = {"type": "object"}
        if schema is None:
            return None
        if doc.version_key and doc.partial and "properties" in schema:
            schema = {
                **schema,
                "properties": {
                    **schema["properties"],
                    doc.version_key: row_version_schema(doc.version_key, request=True),
                },
                "required": sorted({*schema.get("required", ()), doc.version_key}),
            }
        if doc.request_form is not None and doc.response_name:
            suffix = "Patch" if doc.partial else "Input"
            schema = self.component(f"{doc.response_name}{suffix}", schema)
        return {
            "required": bool(
                doc.request_required and known and (not doc.partial or doc.version_key)
            ),
            "content": {"application/json": {"schema": schema}},
        }

    def _success(self, method: str, doc: ApiDoc, known: bool) -> dict[str, Any]:
        if not known:
            if method == "DELETE":
                return {"2XX": {"description": "Done."}}
            return {
                "2XX": {
                    "description": "Success (not described further).",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            }
        out: dict[str, Any] = {}
        status = doc.status
        if status == 204:
            out["204"] = {"description": "Deleted; no body."}
        elif doc.response_schema is not None:
            ref = (
                self.component(doc.response_name, doc.response_schema)
                if doc.response_name
                else doc.response_schema
            )
            schema = self.page_of(doc.response_name or "Item", ref) if doc.paged else ref
            out[str(status)] = {
                "description": "A page of records." if doc.paged else _status_text(status),
                "content": {doc.media_type: {"schema": schema}},
            }
        else:
            generic = {"type": "object"} if doc.media_type.endswith("json") else {"type": "string"}
            out[str(status)] = {
                "description": _status_text(status),
                "content": {doc.media_type: {"schema": generic}},
            }
        for code, (text, schema) in doc.responses.items():
            entry: dict[str, Any] = {"description": text}
            if schema is not None:
                entry["content"] = {"application/json": {"schema": schema}}
            out[str(code)] = entry
        return out

    def _errors(
        self, method: str, doc: ApiDoc, known: bool, has_path: bool, public: bool
    ) -> dict[str, Any]:
        if doc.errors is not None:
            codes = set(doc.errors)
        elif not known:
            codes = {400, 401, 403, 422} | ({404} if has_path else set())
            codes |= {409} if method in WRITE_METHODS else set()
        else:
            codes = {401} | ({404} if has_path else set())
            if method in WRITE_METHODS:
                codes |= {403, 409}
            if method in BODY_METHODS:
                codes |= {400, 422}
        # Any request whose text holds a NUL character is refused before its view
        # (b2b_loyalty/request_text.py), query parameters included.
        codes.add(422)
        if public:
            codes.discard(401)
        return {
            str(code): {"$ref": f"#/components/responses/{ERROR_NAMES[code]}"}
            for code in sorted(codes)
        }


def _status_text(status: int) -> str:
    return {200: "OK.", 201: "Created.", 202: "Accepted.", 204: "No content."}.get(status, "OK.")


INTRO = """\
The JSON API of b2b_loyalty, generated from the forms and rules that validate it.

**Authentication.** Every operation except this document and its HTML rendering needs
`Authorization: Bearer <token>`; tokens come from `b2b-loyalty create-token`. The
browser session is never used. Records are scoped like the pages: an account manager
sees the accounts they own or are on the team of (others answer 404).

**Errors** have one shape, `{"error": {"message": "...", "fields": {"name": ["..."]}}}`:
400 bad JSON or parameter, 401 no valid token, 403 role not allowed, 404 not found or
not visible, 409 conflicting change, 422 invalid fields.

**Concurrent edits.** Accounts, stakeholders, orders, contracts and discount schedules
carry their row version (`version`; on discount schedules `row_version`, since `version`
is the schedule's number). A PATCH must send back the version it read. If someone saved
the record since, nothing is saved and the answer is 409 with `error.conflict`: the
version you sent, the current one, the fields that differ (`{"yours", "current"}`) and
the current record. Read it again, re-apply your change and send the new version.

**Lists** are paged with `page` (from 1) and `per_page` (1 to {max_page}, default
{page_size}) and answer `{"items": [...], "page", "per_page", "total", "pages"}`.

**Values.** Decimal amounts are strings (`"1234.50"`), never floats; requests may send
JSON numbers, which are read exactly. Dates are ISO 8601 (`2026-03-01`), timestamps
ISO 8601 with their offset.
"""


def build_openapi(app: Flask) -> dict[str, Any]:
    """The OpenAPI document of every ``/api/v1`` route of ``app``."""
    from b2b_loyalty.config import MAX_PAGE_SIZE

    builder = _Builder()
    registry = {
        **{(endpoint, None): doc for endpoint, doc in core_docs().items()},
        **app.extensions.get(EXTENSION_KEY, {}),
    }
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.rule == API_URL_PREFIX or r.rule.startswith(API_URL_PREFIX + "/")
    ]
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(rules, key=lambda r: (_openapi_path(r.rule), r.endpoint)):
        view = app.view_functions[rule.endpoint]
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        for method in methods:
            doc = _lookup_doc(registry, rule.endpoint, method, view)
            item = paths.setdefault(_openapi_path(rule.rule), {})
            item[method.lower()] = builder.operation(rule, method, view, doc, len(methods) > 1)
    page_size = app.config.get("PAGE_SIZE", 25)
    try:
        version = metadata.version("b2b_loyalty")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        version = "0"
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "b2b_loyalty API",
            "version": version,
            "description": INTRO.replace("{max_page}", str(MAX_PAGE_SIZE)).replace(
                "{page_size}", str(page_size)
            ),
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": API_URL_PREFIX}],
        "security": [{SECURITY_SCHEME: []}],
        "tags": [{"name": name} for name in sorted(builder.tags)],
        "paths": paths,
        "components": {
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token from `b2b-loyalty create-token`.",
                }
            },
            "parameters": {
                "page": {
                    "name": "page",
                    "in": "query",
                    "required": False,
                    "description": "Page number, from 1.",
                    "schema": {"type": "integer", "minimum": 1, "default": 1},
                },
                "per_page": {
                    "name": "per_page",
                    "in": "query",
                    "required": False,
                    "description": f"Items per page (default {page_size}).",
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_PAGE_SIZE,
                        "default": page_size,
                    },
                },
            },
            "responses": {
                ERROR_NAMES[code]: {
                    "description": text,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"},
                            "example": {"error": ERROR_EXAMPLES[code]},
                        }
                    },
                }
                for code, text in ERROR_DESCRIPTIONS.items()
            },
            "schemas": dict(sorted(builder.schemas.items())),
        },
    }
