"""The API's one error shape: ``{"error": {"message": ..., "fields": {...}}}``."""

from __future__ import annotations

from typing import Any

from flask import jsonify


def api_error(  # noqa: ANN201
    status: int,
    message: str,
    fields: dict[str, list[str]] | None = None,
    details: dict[str, Any] | None = None,
):
    """``details`` adds keys to the error object (a 409 edit conflict's ``conflict``)."""
    body = {"error": {"message": message, "fields": fields or {}, **(details or {})}}
    return jsonify(body), status
