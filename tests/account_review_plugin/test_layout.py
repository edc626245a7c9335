"""The printed review looks right: A4, nothing wider than the page, headers repeated on
every page of a long table, page numbers; and one PDF rendered to PNG as an artefact."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.account_review_plugin.conftest import pdf_text

A4_WIDTH_PX = 793.7  # 210 mm at 96 px per inch, WeasyPrint's CSS pixels
LONG_WORD = "Supercalifragilistic" * 12  # 240 characters, no break opportunity
ORDERS = 140


@pytest.fixture
def crowded_account(app, people, category, make_account):
    """An account whose every text is as long as users make it, with a long order table."""
    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import Order
    from b2b_loyalty.services.order_stats import refresh_order_stats
    from b2b_loyalty.services.stakeholders import create_stakeholder

    account = make_account(
        people["manager"],
        f"Very {LONG_WORD[:150]} Holdings",
        region="R" * 90,
        industry="I" * 90,
        notes=f"https://example.com/{LONG_WORD}/{LONG_WORD}\n" + "Long note. " * 80,
    )
    create_stakeholder(
        people["manager"], account, {"name": LONG_WORD[:190], "title": LONG_WORD[:150], "circle": 1}
    )
    first = date(2025, 1, 1)
    for i in range(ORDERS):
        amount = Decimal("123456.78") + i
        db.session.add(
            Order(
                account_id=account.id,
                order_date=first + timedelta(days=i * 2),
                category_id=category.id,
                quantity=Decimal(1),
                unit_price=amount,
                list_amount=amount,
                discount_amount=Decimal("0.00"),
                net_amount=amount,
                currency="EUR",
                external_ref=f"REF-{i:04d}-{LONG_WORD[:80]}",
            )
        )
    db.session.commit()
    refresh_order_stats([account.id])
    db.session.commit()
    return account


def _html(account, people):  # noqa: ANN001, ANN202
    from b2b_loyalty.access import AccessScope, set_access_scope
    from b2b_loyalty.domain.periods import parse_period
    from plugins.account_review.render.documents import account_review_html
    from plugins.account_review.services.account_review import build_account_review

    set_access_scope(AccessScope.for_user(people["manager"]))
    review = build_account_review(
        account.id, parse_period("2025", today=date.today()), people["manager"]
    )
    return account_review_html(review)


def _outside_the_page(document) -> list[str]:  # noqa: ANN001
    """Boxes that stick out of the page's content area (margin boxes: out of the page)."""
    from weasyprint.formatting_structure.boxes import MarginBox

    problems = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        left = page_box.content_box_x()
        right = left + page_box.width
        for child in page_box.children:
            low, high = (0, page.width) if isinstance(child, MarginBox) else (left, right)
            for box in [child, *child.descendants()]:
                x = getattr(box, "position_x", None)
                if x is None or not hasattr(box, "margin_width"):
                    continue
                if x < low - 0.5 or x + box.margin_width() > high + 0.5:
                    text = getattr(box, "text", "")[:30]
                    problems.append(
                        f"page {number}: {type(box).__name__} {text!r} "
                        f"x={x:.1f}..{x + box.margin_width():.1f} outside {low:.1f}..{high:.1f}"
                    )
    return problems


def _spilling_out_of_cells(document) -> list[str]:  # noqa: ANN001
    """Text that runs over its table cell into the neighbouring one."""
    from weasyprint.formatting_structure.boxes import TableCellBox, TextBox

    problems = []
    for number, page in enumerate(document.pages, start=1):
        for cell in page._page_box.descendants():
            if not isinstance(cell, TableCellBox):
                continue
            low, high = cell.position_x, cell.position_x + cell.margin_width()
            for box in cell.descendants():
                if isinstance(box, TextBox) and (
                    box.position_x < low - 0.5 or box.position_x + box.width > high + 0.5
                ):
                    problems.append(f"page {number}: {box.text[:30]!r} spills out of its cell")
    return problems


def _nearly_empty_pages(document) -> list[int]:  # noqa: ANN001
    """Pages whose body holds a heading or two and nothing else: a block that could not
    be split went to the next page and left its section's heading behind."""
    from weasyprint.formatting_structure.boxes import MarginBox, TextBox

    empty = []
    for number, page in enumerate(document.pages, start=1):
        texts = [
            box
            for child in page._page_box.children
            if not isinstance(child, MarginBox)
            for box in child.descendants()
            if isinstance(box, TextBox) and box.text.strip()
        ]
        if len(texts) <= 2:
            empty.append(number)
    return empty


def _render(html: str):  # noqa: ANN202
    from weasyprint import HTML

    from plugins.account_review.render.pdf import BASE_URL
    from plugins.account_review.render.url_fetcher import StaticFilesOnly

    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).render()


def test_portfolio_and_schedule_reports_stay_inside_pages_and_cells(
    app, people, crowded_account, make_account, lamps_schedule
):
    from b2b_loyalty.access import UNRESTRICTED, set_access_scope
    from b2b_loyalty.domain.periods import parse_period
    from plugins.account_review.render.documents import portfolio_review_html, schedule_report_html
    from plugins.account_review.services.portfolio_review import build_portfolio_review
    from plugins.account_review.services.schedule_report import build_schedule_report

    set_access_scope(UNRESTRICTED)
    make_account(people["other_manager"], LONG_WORD[:200])
    portfolio = build_portfolio_review(parse_period("2025", today=date.today()), people["lead"])
    schedules = build_schedule_report(Decimal("99.99"), people["finance"])
    for html in (portfolio_review_html(portfolio, 1000), schedule_report_html(schedules, "EUR")):
        document = _render(html)
        assert _outside_the_page(document) == []
        assert _spilling_out_of_cells(document) == []


def test_nothing_is_wider_than_the_page_and_long_tables_repeat_their_header(
    crowded_account, people
):
    document = _render(_html(crowded_account, people))
    assert all(abs(page.width - A4_WIDTH_PX) < 1 for page in document.pages)  # A4 portrait
    assert _outside_the_page(document) == []
    assert _spilling_out_of_cells(document) == []
    assert _nearly_empty_pages(document) == []
    pdf = document.write_pdf()
    total = len(document.pages)
    assert f"Page {total} of {total}" in pdf_text(pdf)
    from pypdf import PdfReader

    texts = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    order_pages = [t for t in texts if "REF-0" in t]
    assert len(order_pages) >= 3, len(order_pages)  # the order table spans pages …
    assert all("Unit price" in t for t in order_pages)  # … and its header is on each
    assert all(f"of {total}" in t for t in texts)  # running footer on every page
    missing = [t[:300] for t in texts[1:] if "Account review" not in t]
    assert missing == []  # running header after the cover


def _artefact_dir(tmp_path: Path) -> Path:
    root = os.environ.get("B2B_LOYALTY_REVIEW_ARTIFACTS")
    folder = Path(root) if root else tmp_path / "artefacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_rendered_pages_keep_the_right_margin_blank(
    client, login, people, crowded_account, tmp_path
):
    """Render to PNG with pdftoppm (an artefact to look at) and check, pixel by pixel, that
    no ink reaches into the right page margin: nothing overflows the page width."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("pdftoppm (poppler-utils) must be installed in CI")
        pytest.skip("pdftoppm is not installed")
    from PIL import Image

    login(people["manager"])
    response = client.get(f"/reviews/accounts/{crowded_account.id}/review.pdf?period=2025")
    assert response.status_code == 200
    folder = _artefact_dir(tmp_path)
    pdf_path = folder / "account-review-crowded.pdf"
    pdf_path.write_bytes(response.data)
    dpi = 50
    subprocess.run(
        [pdftoppm, "-r", str(dpi), "-png", str(pdf_path), str(folder / "page")],
        check=True,
        timeout=120,
    )
    pngs = sorted(folder.glob("page-*.png"))
    assert len(pngs) >= 4
    margin_px = int(10 / 25.4 * dpi)  # the outer 10 of the 15 mm right margin
    for png in pngs:
        with Image.open(png) as image:
            gray = image.convert("L")
            width, height = gray.size
            assert abs(width - 210 / 25.4 * dpi) <= 2 and abs(height - 297 / 25.4 * dpi) <= 2
            strip = gray.crop((width - margin_px, 0, width, height))
            assert strip.getextrema()[0] >= 250, f"ink in the right margin of {png.name}"
