"""The API's one error shape: ``{"error": {"message": ..., "fields": {...}}}``."""

from __future__ import annotations

from flask import jsonify


def api_error(status: int, message: str, fields: dict[str, list[str]] | None = None):  # noqa: ANN201
    body = {"error": {"message": message, "fields": fields or {}}}
    return jsonify(body), status
