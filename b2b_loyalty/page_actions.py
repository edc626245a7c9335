"""Buttons that plugins add to core pages (the ``page_actions`` hook), for the templates.

Templates call ``page_actions("dashboard", args=args)`` and include
``_page_actions.html``; the core sorts the actions by weight.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from b2b_loyalty.plugin_api import PageAction
from b2b_loyalty.plugin_host import plugin_host


def page_actions(page: str, **context: Any) -> list[PageAction]:
    """Every enabled plugin's actions for ``page``, lower weight first."""
    return plugin_host().call_sorted(
        "page_actions",
        key=lambda action: action.weight,
        page=page,
        context=context,
        user=current_user,
    )
