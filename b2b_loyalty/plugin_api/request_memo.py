"""Reads that one page makes several times, made once per request.

An account page asks for the same account's figures through its panels, the
alerts hook and the health hook, each from a different place. ``once_per_request``
keeps the first result for the rest of that request — only in a GET request (one
that writes nothing, so the figures cannot change under it), never across
requests, and outside a request not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import has_request_context, request

T = TypeVar("T")


def once_per_request(key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, or what it gave earlier in this GET request under ``key``."""
    if not has_request_context() or request.method != "GET":
        return build()
    # Kept in the request's WSGI environ, not in ``g``: ``g`` belongs to the app context,
    # which a request shares with an enclosing one (a shell, the tests) and so with the
    # requests before it.
    store = request.environ.setdefault("b2b_loyalty.request_memo", {})
    if key not in store:
        store[key] = build()
    return store[key]
