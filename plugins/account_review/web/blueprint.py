"""URL rules of the review downloads (under /reviews)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint
from markupsafe import Markup

from plugins.account_review.web import views

PLUGIN_DIR = Path(__file__).resolve().parent.parent

bp = Blueprint(
    "account_review",
    __name__,
    url_prefix="/reviews",
    template_folder=str(PLUGIN_DIR / "templates"),
)


@bp.app_template_filter("css_string")
def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string (for translated words in ``@page`` margin boxes)."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,-_" else f"\\{ord(ch):x} " for ch in str(text)
    )
    return Markup(f'"{escaped}"')  # noqa: S704 - every other character is a CSS escape


_account = "/accounts/<int:account_id>"
bp.add_url_rule(_account, "account_review_form", views.account_review_form)
bp.add_url_rule(
    f"{_account}/review.pdf", "account_review_pdf", views.account_review, defaults={"fmt": "pdf"}
)
bp.add_url_rule(
    f"{_account}/review.xlsx", "account_review_xlsx", views.account_review, defaults={"fmt": "xlsx"}
)
bp.add_url_rule(
    "/portfolio.pdf", "portfolio_review_pdf", views.portfolio_review, defaults={"fmt": "pdf"}
)
bp.add_url_rule(
    "/portfolio.xlsx", "portfolio_review_xlsx", views.portfolio_review, defaults={"fmt": "xlsx"}
)
bp.add_url_rule(
    "/discount-schedules.pdf", "schedule_report_pdf", views.schedule_report, defaults={"fmt": "pdf"}
)
bp.add_url_rule(
    "/discount-schedules.xlsx",
    "schedule_report_xlsx",
    views.schedule_report,
    defaults={"fmt": "xlsx"},
)
