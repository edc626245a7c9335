"""User text in exports: never a formula in Excel, never a fetched URL in the PDF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from plugins.account_review.render.url_fetcher import (
    STATIC_DIR,
    FetchRefused,
    StaticFilesOnly,
    static_file,
)
from tests.account_review_plugin.conftest import open_workbook, pdf_text

IMG_HTTP = '<img src="http://127.0.0.1:9/steal.png">'
IMG_FILE = '<img src="file:///etc/passwd">'


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.png",
        "https://example.com/font.woff",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        (STATIC_DIR / ".." / "plugin.py").resolve().as_uri(),
        STATIC_DIR.as_uri() + "/../plugin.py",
        STATIC_DIR.as_uri() + "/%2e%2e/plugin.py",
        "file://evil.example.com" + str(STATIC_DIR / "review.css"),
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1:70/x",
        "//127.0.0.1/x.png",
        "review.css",
    ],
)
def test_the_fetcher_refuses_everything_but_its_static_files(url):
    fetcher = StaticFilesOnly()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_its_stylesheet_and_data_uris():
    fetcher = StaticFilesOnly()
    response = fetcher.fetch((STATIC_DIR / "review.css").as_uri())
    assert b"@page" in response.read() and response.content_type == "text/css"
    response.close()
    data = fetcher.fetch("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"
    assert fetcher.refused == []


def test_a_symlink_out_of_the_static_folder_is_refused(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p{}")
    (static / "leak.css").symlink_to("/etc/passwd")
    assert static_file((static / "ok.css").as_uri(), static) == (static / "ok.css").resolve()
    assert static_file((static / "leak.css").as_uri(), static) is None
    assert static_file((static / "missing.css").as_uri(), static) is None


def test_html_in_user_text_is_printed_as_text_and_nothing_is_fetched(
    client, login, people, make_account, monkeypatch
):
    from b2b_loyalty.services.stakeholders import create_stakeholder

    fetched: list[str] = []
    original = StaticFilesOnly.fetch

    def spy(self, url, headers=None):  # noqa: ANN001, ANN202
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticFilesOnly, "fetch", spy)
    account = make_account(
        people["manager"], f"Evil {IMG_HTTP} Ltd", notes=f"See {IMG_FILE} and <b>bold</b>"
    )
    create_stakeholder(people["manager"], account, {"name": f"Mallory {IMG_HTTP}", "circle": 1})
    login(people["manager"])
    response = client.get(f"/reviews/accounts/{account.id}/review.pdf?period=2025")
    assert response.status_code == 200
    # Only the plugin's own stylesheet was asked for: no image, no file, no host.
    assert [Path(u).name for u in fetched] == ["review.css"]
    assert all(u.startswith(STATIC_DIR.as_uri()) for u in fetched)
    text = pdf_text(response.data).replace("\n", " ")
    assert 'src="http://127.0.0.1:9/steal.png"' in text
    assert '<img src="file:///etc/passwd">' in text
    assert "<b>bold</b>" in text
    assert "root:x:0:0" not in text


def test_user_text_never_becomes_a_formula_in_the_workbook(
    client, login, people, make_account, category
):
    from b2b_loyalty.services.orders import create_order
    from b2b_loyalty.services.stakeholders import create_stakeholder

    account = make_account(people["manager"], '=HYPERLINK("http://x","click")')
    create_stakeholder(
        people["manager"],
        account,
        {"name": "@SUM(1+1)", "title": "+cmd|' /C calc'!A0", "circle": 1},
    )
    create_order(
        people["manager"],
        account,
        {
            "category_id": category.id,
            "date": date(2025, 5, 5),
            "quantity": Decimal(1),
            "unit_price": Decimal(10),
            "external_ref": "-2+3",
        },
    )
    login(people["manager"])
    response = client.get(f"/reviews/accounts/{account.id}/review.xlsx?period=2025")
    workbook = open_workbook(response.data)
    values = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    values[cell.value] = cell.data_type
    assert f'\'=HYPERLINK("http://x","click") (#{account.id})' in values
    assert "'@SUM(1+1)" in values and "'+cmd|' /C calc'!A0" in values
    assert "'-2+3" in values
    assert set(values.values()) == {"s"}
