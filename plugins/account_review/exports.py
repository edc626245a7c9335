"""One export = one file: the review gathered, rendered, named. Web, API and CLI call these.

Who may export what follows the core's rules: the central access rule filters
every query (an account manager's exports hold their accounts only, another
manager's account is simply not found), and the discount schedule report is
for those who see the finance overview (finance, admin).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.domain.roles import Role
from b2b_loyalty.domain.schedule_workflow import can_author_schedules
from b2b_loyalty.queries.metrics import AccountFilter
from b2b_loyalty.services.errors import Forbidden
from plugins.account_review.domain.file_names import (
    account_review_name,
    portfolio_review_name,
    schedule_report_name,
)
from plugins.account_review.settings import setting

MIMETYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.filename.rsplit(".", 1)[-1]]


def account_review_file(
    account_id: int, period: Period, fmt: str, user: Any, *, today: date | None = None
) -> ExportFile:
    """The review of one visible account (NotFound otherwise) as PDF or workbook."""
    from plugins.account_review.render import documents
    from plugins.account_review.render.account_workbook import account_review_workbook
    from plugins.account_review.services.account_review import build_account_review

    review = build_account_review(account_id, period, user, today=today)
    content = (
        documents.account_review_pdf(review) if fmt == "pdf" else account_review_workbook(review)
    )
    return ExportFile(
        account_review_name(review.account.id, review.account.name, period, fmt), content
    )


def _portfolio_scope(user: Any, filters: AccountFilter, owner_name: str | None) -> str:
    """The file name's scope: a manager's own portfolio, a filtered one, or everything."""
    parts = []
    if user is not None and getattr(user, "role", None) == Role.ACCOUNT_MANAGER.value:
        parts.append(user.name)
    if filters.owner_id:
        parts.append(owner_name or f"owner-{filters.owner_id}")
    if filters.region:
        parts.append(filters.region)
    if filters.industry:
        parts.append(filters.industry)
    return "-".join(parts)


def portfolio_review_file(
    period: Period,
    fmt: str,
    user: Any,
    filters: AccountFilter | None = None,
    *,
    segment: str = "",
    today: date | None = None,
) -> ExportFile:
    """Every account the user may see (and the filters keep), ranked, as PDF or workbook."""
    from plugins.account_review.render import documents
    from plugins.account_review.render.portfolio_workbook import portfolio_workbook
    from plugins.account_review.services.portfolio_review import build_portfolio_review

    filters = filters or AccountFilter()
    review = build_portfolio_review(period, user, filters, segment=segment, today=today)
    content = (
        documents.portfolio_review_pdf(review, setting("PDF_MAX_ACCOUNTS"))
        if fmt == "pdf"
        else portfolio_workbook(review)
    )
    owner = next(
        (a.owner_name for a in review.report.accounts if a.owner_id == filters.owner_id), None
    )
    scope = "-".join(p for p in (_portfolio_scope(user, filters, owner), segment) if p)
    return ExportFile(portfolio_review_name(period, fmt, scope), content)


def require_schedule_reader(user: Any) -> None:
    """Finance and admin read the schedule report (as the finance overview); the command
    line without ``--as`` acts for the operator."""
    if user is None:
        return
    if not can_author_schedules(Role(user.role)):
        raise Forbidden(_("The discount schedule report is for finance."))


def schedule_report_file(
    margin_percent: Decimal, fmt: str, user: Any, *, today: date | None = None
) -> ExportFile:
    from plugins.account_review.render import documents
    from plugins.account_review.render.schedule_workbook import schedules_workbook
    from plugins.account_review.services.schedule_report import build_schedule_report

    require_schedule_reader(user)
    report = build_schedule_report(margin_percent, user, today=today)
    currency = current_app.config["BASE_CURRENCY"]
    content = (
        documents.schedule_report_pdf(report, currency)
        if fmt == "pdf"
        else schedules_workbook(report, currency)
    )
    return ExportFile(schedule_report_name(margin_percent, fmt), content)
