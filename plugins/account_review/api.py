"""/api/v1 downloads: account review, portfolio review, discount schedule report.

``GET /api/v1/accounts/<id>/review.pdf|.xlsx``, ``GET /api/v1/portfolio/review.pdf|.xlsx``,
``GET /api/v1/discount-schedules/report.pdf|.xlsx``: bearer token, the caller's
record-level access, JSON errors (404 for an account you cannot see, 422 for a
bad period, 403 for the schedule report outside finance).
"""

from __future__ import annotations

from typing import Any

from flask import g, request

from b2b_loyalty.api.openapi import ApiDoc, api_doc
from b2b_loyalty.api.plugin_support import api_blueprint
from plugins.account_review import exports
from plugins.account_review.request_input import margin_percent, portfolio_filters, review_period
from plugins.account_review.web.views import download

api = api_blueprint("account_review_api", __name__)


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


DATE = {"type": "string", "format": "date"}
PERIOD_QUERY = (
    _query(
        "period",
        {"type": "string", "pattern": r"^\d{4}(-?[Qq][1-4]|-\d{2})?$", "example": "2026-Q1"},
        "A year (2026), quarter (2026-Q1) or month (2026-03); default the trailing 12 months. "
        "Or give `from` and `to`.",
    ),
    _query("from", DATE, "First day (with `to`)."),
    _query("to", DATE, "Last day (with `from`)."),
)
PORTFOLIO_QUERY = (
    *PERIOD_QUERY,
    _query("owner", {"type": "integer", "minimum": 1}, "Only this account manager's accounts."),
    _query("region", {"type": "string"}, "Only this region."),
    _query("industry", {"type": "string"}, "Only this industry."),
    _query("segment", {"type": "string"}, "Only accounts in this segment."),
)
MARGIN_QUERY = (
    _query(
        "margin_percent",
        {"type": "number", "minimum": 0, "maximum": 100},
        "Assumed gross margin on list price, percent (default 30).",
    ),
)


def _doc(summary: str, fmt: str, query: tuple, errors: tuple[int, ...]) -> ApiDoc:
    return ApiDoc(
        summary=summary,
        description="The file as an attachment, named as the command line names it.",
        tags=("reviews",),
        query=query,
        media_type=exports.MIMETYPES[fmt],
        errors=errors,
    )


def _account_review(account_id: int, fmt: str):  # noqa: ANN202
    period = review_period(request.args)
    return download(exports.account_review_file(account_id, period, fmt, g.api_user))


def _portfolio_review(fmt: str):  # noqa: ANN202
    period = review_period(request.args)
    filters, segment = portfolio_filters(request.args)
    return download(
        exports.portfolio_review_file(period, fmt, g.api_user, filters, segment=segment)
    )


def _schedule_report(fmt: str):  # noqa: ANN202
    exports.require_schedule_reader(g.api_user)
    margin = margin_percent(request.args.get("margin_percent"))
    return download(exports.schedule_report_file(margin, fmt, g.api_user))


def _register(fmt: str, label: str) -> None:
    def account_review(account_id: int):  # noqa: ANN202
        return _account_review(account_id, fmt)

    def portfolio_review():  # noqa: ANN202
        return _portfolio_review(fmt)

    def schedule_report():  # noqa: ANN202
        return _schedule_report(fmt)

    views = (
        (
            f"/accounts/<int:account_id>/review.{fmt}",
            f"account_review_{fmt}",
            account_review,
            _doc(f"Account review of a period ({label})", fmt, PERIOD_QUERY, (401, 404, 422)),
        ),
        (
            f"/portfolio/review.{fmt}",
            f"portfolio_review_{fmt}",
            portfolio_review,
            _doc(
                f"Portfolio review of the accounts you can see ({label})",
                fmt,
                PORTFOLIO_QUERY,
                (401, 422),
            ),
        ),
        (
            f"/discount-schedules/report.{fmt}",
            f"schedule_report_{fmt}",
            schedule_report,
            _doc(
                f"Discount schedules: versions, approvals, margin impact ({label})",
                fmt,
                MARGIN_QUERY,
                (401, 403, 422),
            ),
        ),
    )
    for rule, endpoint, view, doc in views:
        view.__name__ = endpoint
        api.add_url_rule(rule, endpoint, api_doc(doc)(view), methods=["GET"])


_register("pdf", "PDF")
_register("xlsx", "Excel")
