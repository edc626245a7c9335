"""/api/v1/categories: everyone reads, finance and admin create."""

from __future__ import annotations

from flask import g, jsonify
from sqlalchemy import select

from b2b_loyalty.api.form_input import BadRequestBody, json_body
from b2b_loyalty.api.pages import paged_json
from b2b_loyalty.api.serializers import category_json
from b2b_loyalty.domain.roles import Role
from b2b_loyalty.models import ProductCategory
from b2b_loyalty.services.categories import create_category
from b2b_loyalty.services.errors import field_error
from b2b_loyalty.services.permissions import require_role


def list_categories():
    return paged_json(select(ProductCategory).order_by(ProductCategory.name), category_json)


def post_category():
    require_role(g.api_user, Role.FINANCE, Role.ADMIN)
    body = json_body()
    unknown = set(body) - {"name", "id"}
    if unknown:
        raise BadRequestBody(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    name = body.get("name")
    if not isinstance(name, str):
        raise field_error("name", "Name is required (text).")
    return jsonify(category_json(create_category(g.api_user, name))), 201
