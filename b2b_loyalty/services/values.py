"""Small normalisations shared by the services."""

from __future__ import annotations

from typing import Any


def clean(value: Any) -> Any:
    """Strip text and turn empty text into None, so '' never lands in the database."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
