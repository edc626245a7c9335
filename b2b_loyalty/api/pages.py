"""Paged list responses: ``{"items": [...], "page", "per_page", "total", "pages"}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, jsonify, request
from sqlalchemy import Select

from b2b_loyalty.queries.pagination import clamp_page_args, paginate


def paged_json(stmt: Select, to_json: Callable[[Any], dict], *, scalars: bool = True):  # noqa: ANN201
    page_number, per_page = clamp_page_args(
        request.args.get("page"), request.args.get("per_page"), current_app.config["PAGE_SIZE"]
    )
    page = paginate(stmt, page_number, per_page, scalars=scalars)
    return jsonify(
        items=[to_json(item) for item in page.items],
        page=page.page,
        per_page=page.per_page,
        total=page.total,
        pages=page.pages,
    )
