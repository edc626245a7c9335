"""PDF from a Jinja template with WeasyPrint: A4, the print stylesheet, nothing fetched."""

from __future__ import annotations

from typing import Any

from flask import render_template

from plugins.account_review.render.url_fetcher import STATIC_DIR, StaticFilesOnly

BASE_URL = STATIC_DIR.as_uri() + "/"


def html_to_pdf(html: str, fetcher: StaticFilesOnly | None = None) -> bytes:
    """WeasyPrint alone: the finished HTML to PDF bytes, resolving URLs against the static folder."""
    from weasyprint import HTML  # heavy: imported when a PDF is made

    return HTML(
        string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticFilesOnly()
    ).write_pdf()


def render_html(template: str, **context: Any) -> str:
    """The print HTML of ``template`` (autoescaped: user text stays text)."""
    return render_template(template, **context)


def render_pdf(template: str, **context: Any) -> bytes:
    return html_to_pdf(render_html(template, **context))
