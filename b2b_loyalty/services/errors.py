"""Errors a service raises; web and API layers turn them into messages and status codes."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def details(self) -> dict[str, Any]:
        """Extra keys of the API's error object (beside ``message`` and ``fields``)."""
        return {}


class ValidationFailed(ServiceError):
    """Input that breaks a rule; ``fields`` maps field names to messages."""

    status = 422


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


def field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field: [message]})
