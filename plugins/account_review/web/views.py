"""Review downloads for signed-in users; the same exports as the API and the command line."""

from __future__ import annotations

import io
from datetime import date, timedelta

from flask import render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from b2b_loyalty.services.accounts import get_account
from b2b_loyalty.services.errors import ValidationFailed
from b2b_loyalty.web import or_404
from plugins.account_review import exports
from plugins.account_review.request_input import (
    margin_percent,
    portfolio_filters,
    review_period,
)


def download(export: exports.ExportFile):  # noqa: ANN201
    return send_file(
        io.BytesIO(export.content),
        mimetype=export.mimetype,
        as_attachment=True,
        download_name=export.filename,
        max_age=0,
    )


def period_choices(today: date) -> list[tuple[str, str]]:
    """(value of ?period=, label) for the review form: quarters and years around today."""
    quarter = (today.month - 1) // 3 + 1
    last_q_year, last_q = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    return [
        ("", _("Last 12 months")),
        (f"{today.year}-Q{quarter}", _("This quarter (%(q)s)", q=f"{today.year}-Q{quarter}")),
        (f"{last_q_year}-Q{last_q}", _("Last quarter (%(q)s)", q=f"{last_q_year}-Q{last_q}")),
        (str(today.year), _("This year (%(y)s)", y=today.year)),
        (str(today.year - 1), _("Last year (%(y)s)", y=today.year - 1)),
    ]


def _form(account, errors: list[str] | None = None, status: int = 200):  # noqa: ANN001, ANN202
    today = date.today()
    return (
        render_template(
            "account_review/account_form.html",
            account=account,
            choices=period_choices(today),
            args=request.args,
            errors=errors or [],
            default_from=(today - timedelta(days=89)).isoformat(),
            default_to=today.isoformat(),
        ),
        status,
    )


def account_review_form(account_id: int):
    return _form(or_404(get_account, account_id))


def account_review(account_id: int, fmt: str):
    account = or_404(get_account, account_id)
    try:
        period = review_period(request.args)
        export = exports.account_review_file(account.id, period, fmt, current_user)
    except ValidationFailed as exc:
        messages = [m for ms in exc.fields.values() for m in ms] or [exc.message]
        return _form(account, messages, 422)
    return download(export)


def portfolio_review(fmt: str):
    period = review_period(request.args)
    filters, segment = portfolio_filters(request.args)
    return download(
        exports.portfolio_review_file(period, fmt, current_user, filters, segment=segment)
    )


def schedule_report(fmt: str):
    exports.require_schedule_reader(current_user)
    margin = margin_percent(request.args.get("margin_percent"))
    return download(exports.schedule_report_file(margin, fmt, current_user))
