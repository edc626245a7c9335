"""Links to the page being shown with some of its query arguments changed: the pager's
previous/next and the sort headers keep the filters the user set.

The query arguments come from the user, so they are not handed to ``url_for`` as they
are: one named like the page's own path argument (``/accounts/27?account_id=x``) would
replace it, ``endpoint`` would clash with ``url_for``'s own parameter, and the ones
starting with ``_`` (``_scheme``, ``_external``, ``_anchor``) are ``url_for``'s options,
not query arguments. Each of these once made a page answer 500.
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for


def url_with_args(endpoint: str | None = None, **changes: Any) -> str:
    """The URL of ``endpoint`` (the current page's by default) with the current query
    arguments, ``changes`` applied on top, and the page's own path arguments."""
    args: dict[str, Any] = {
        key: value
        for key, value in request.args.items()
        if key != "endpoint" and not key.startswith("_")
    }
    args.update(changes)
    args.update(request.view_args or {})
    return url_for(endpoint or request.endpoint, **args)
