"""/api/v1/pricing/preview and /api/v1/quotes"""

from __future__ import annotations

from datetime import date

from flask import current_app, g, jsonify

from b2b_loyalty.api.form_input import json_body
from b2b_loyalty.db_limits import is_db_id
from b2b_loyalty.domain.money import to_decimal
from b2b_loyalty.services import accounts as account_service
from b2b_loyalty.services import pricing
from b2b_loyalty.services.categories import find_category
from b2b_loyalty.services.errors import ValidationFailed
from b2b_loyalty.services.pricing_preview import preview


def pricing_preview():
    return jsonify(preview(json_body(), currency=current_app.config["BASE_CURRENCY"]))


def _quote_inputs(body: dict) -> dict:
    errors: dict[str, list[str]] = {}
    values: dict = {}
    for key in ("quantity", "unit_price"):
        try:
            values[key] = to_decimal(body.get(key))
            if values[key] < 0:
                errors[key] = ["must not be negative"]
        except ValueError as exc:
            errors[key] = [str(exc) if body.get(key) is not None else "is required"]
    if not is_db_id(body.get("account_id")):
        errors["account_id"] = ["is required (an account id)"]
    if "category_id" in body and not is_db_id(body["category_id"]):
        errors["category_id"] = ["must be a category id"]
    if "category" in body and not isinstance(body["category"], str):
        errors["category"] = ["must be a category name (text)"]
    if body.get("date"):
        try:
            values["on"] = date.fromisoformat(str(body["date"]))
        except ValueError:
            errors["date"] = ["Use a date such as 2026-03-01."]
    if not errors.keys() & {"category", "category_id"}:
        try:
            values["category"] = find_category(body.get("category"), body.get("category_id"))
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed("The request has invalid fields.", errors)
    return values


def create_quote():
    body = json_body()
    values = _quote_inputs(body)
    account = account_service.get_account(body["account_id"])
    result = pricing.quote(
        account, values["category"], values["quantity"], values["unit_price"], values.get("on")
    )
    record = pricing.breakdown_record(result)
    if body.get("save"):
        order = pricing.save_quote_as_order(
            g.api_user,
            account,
            values["category"],
            values["quantity"],
            values["unit_price"],
            values.get("on"),
        )
        record["order_id"] = order.id
        return jsonify(record), 201
    return jsonify(record)
