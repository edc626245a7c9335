"""Account reviews exported as PDF and Excel: the plugin's hook implementations (issue 7).

Everything reaches the core through its hooks: the download routes and the
review form (``blueprints``, pages and /api/v1), the download buttons on the
account page, the dashboard and the finance overview (``page_actions``), and
``b2b-loyalty export ...`` (``cli_commands``). The reviews read the core's
services and the sections other plugins return from ``review_sections``; the
plugin has no tables. Settings are ``ACCOUNT_REVIEW_*`` keys (``settings.py``).
"""

from __future__ import annotations

from typing import Any

from b2b_loyalty.plugin_api import PageAction, PluginManifest, hookimpl

NAME = "account_review"


@hookimpl
def plugin_manifest() -> PluginManifest:
    return PluginManifest(
        name=NAME,
        title="Account reviews (PDF and Excel)",
        description="Account, portfolio and discount schedule reviews as PDF and Excel: "
        "pages, API and command line.",
    )


@hookimpl
def configure_app(app) -> None:  # noqa: ANN001
    from plugins.account_review.settings import configure

    configure(app)


@hookimpl
def blueprints():  # noqa: ANN201
    from plugins.account_review.api import api
    from plugins.account_review.web.blueprint import bp

    return [bp, api]


@hookimpl
def cli_commands():  # noqa: ANN201
    from plugins.account_review.cli import export_group

    return [export_group]


def _downloads(label: str, endpoint: str, weight: int, **kwargs: Any) -> list[PageAction]:
    """The PDF and the Excel button of one export (the core shows the format beside the label)."""
    from flask import url_for

    return [
        PageAction(
            label, url_for(f"{NAME}.{endpoint}_{fmt}", **kwargs), "download", fmt, weight + i
        )
        for i, fmt in enumerate(("pdf", "xlsx"))
    ]


@hookimpl
def page_actions(page: str, context: dict[str, Any], user: Any) -> list[PageAction]:
    from flask import url_for
    from flask_babel import gettext as _

    from b2b_loyalty.domain.roles import Role
    from b2b_loyalty.domain.schedule_workflow import can_author_schedules
    from plugins.account_review.request_input import PORTFOLIO_ARGS

    if page == "account":
        account = context["account"]
        return [
            *_downloads(_("Review"), "account_review", 50, account_id=account.id),
            PageAction(
                _("Review for a period…"),
                url_for(f"{NAME}.account_review_form", account_id=account.id),
                "link",
                weight=52,
            ),
        ]
    if page == "dashboard":
        args = context.get("args") or {}
        kept = {k: args.get(k) for k in PORTFOLIO_ARGS if args.get(k)}
        return _downloads(_("Portfolio review"), "portfolio_review", 50, **kept)
    role = getattr(user, "role", None)
    if page == "finance" and role and can_author_schedules(Role(role)):
        margin = context.get("margin_percent")
        kept = {"margin_percent": margin} if margin is not None else {}
        return _downloads(_("Schedule report"), "schedule_report", 50, **kept)
    return []
