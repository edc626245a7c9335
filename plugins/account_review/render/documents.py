"""The printed reviews: context for the print templates, then WeasyPrint."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

from plugins.account_review.render import charts
from plugins.account_review.render.pdf import html_to_pdf
from plugins.account_review.services.account_review import AccountReview
from plugins.account_review.services.portfolio_review import PortfolioReview
from plugins.account_review.services.schedule_report import ScheduleReport


def _lang() -> str:
    locale = get_locale()
    return str(locale.language) if locale else "en"


def section_html(section: Any, review: AccountReview) -> Markup:
    """A plugin's review section rendered by its own template (see the review_sections hook)."""
    context = {
        **section.context,
        "ctx": section.context,
        "account": review.account,
        "period_start": review.period.start,
        "period_end": review.period.end,
    }
    return Markup(render_template(section.template, **context))  # noqa: S704 - autoescaped


def printed_orders(review: AccountReview, limit: int) -> list:
    """Every order of the period when at most ``limit``, else the ``limit`` largest by net
    amount, in date order (a PDF of thousands of order lines helps nobody)."""
    orders = review.orders.orders
    if len(orders) <= limit:
        return orders
    largest = sorted(orders, key=lambda o: (-o.net_amount, o.order_date, o.order_id))[:limit]
    return sorted(largest, key=lambda o: (o.order_date, o.order_id))


def account_review_html(review: AccountReview, max_orders: int | None = None) -> str:
    from plugins.account_review.settings import setting

    limit = max_orders if max_orders is not None else setting("PDF_MAX_ORDERS")
    orders = printed_orders(review, limit)
    return render_template(
        "account_review/print/account.html",
        orders=orders,
        orders_left_out=len(review.orders.orders) - len(orders),
        review=review,
        meta=review.meta,
        currency=review.currency,
        lang=_lang(),
        charts=charts.account_charts(review),
        sections=[(s, section_html(s, review)) for s in review.sections],
    )


def portfolio_review_html(review: PortfolioReview, max_rows: int) -> str:
    return render_template(
        "account_review/print/portfolio.html",
        review=review,
        meta=review.meta,
        currency=review.currency,
        lang=_lang(),
        pareto_chart=charts.pareto_chart(review),
        manager_chart=charts.manager_chart(review),
        rows=review.ranked[:max_rows],
        rows_left_out=max(len(review.ranked) - max_rows, 0),
    )


def schedule_report_html(report: ScheduleReport, currency: str) -> str:
    return render_template(
        "account_review/print/schedules.html",
        report=report,
        meta=report.meta,
        currency=currency,
        lang=_lang(),
    )


def account_review_pdf(review: AccountReview) -> bytes:
    return html_to_pdf(account_review_html(review))


def portfolio_review_pdf(review: PortfolioReview, max_rows: int) -> bytes:
    return html_to_pdf(portfolio_review_html(review, max_rows))


def schedule_report_pdf(report: ScheduleReport, currency: str) -> bytes:
    return html_to_pdf(schedule_report_html(report, currency))
