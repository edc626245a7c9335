"""The main journeys of each role, in a real browser (see conftest.py for the set-up).

Each test is one user's journey through the demo data; screenshots of every
page are written as artefacts. They check what the user sees (headings, the
breakdown, the status after approving), what they download (a PDF with the
account's name, a workbook with the portfolio) and what they cannot open.
"""

from __future__ import annotations

import io
import re

import pytest

pytestmark = pytest.mark.e2e

MANAGER = "anna.becker@demo.b2b-loyalty.example"
OTHER_MANAGER = "dmitri.volkov@demo.b2b-loyalty.example"
LEAD = "katharina.vogel@demo.b2b-loyalty.example"
FINANCE = "pieter.devries@demo.b2b-loyalty.example"


def _account_id(url: str) -> int:
    match = re.search(r"/accounts/(\d+)", url)
    assert match, url
    return int(match.group(1))


def test_account_manager_builds_an_account_prices_a_quote_and_downloads_its_review(visit):
    v = visit(MANAGER)
    page = v.page
    v.shot("accounts")

    # A new account.
    page.goto("/accounts/new")
    page.fill("input[name=name]", "Nordlicht Leuchten GmbH")
    page.fill("input[name=industry]", "Lighting")
    page.fill("input[name=region]", "North")
    v.shot("new-account")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    account_id = _account_id(page.url)
    assert page.locator("h1").first.inner_text().strip().startswith("Nordlicht Leuchten GmbH")
    v.shot("account-created")

    # Three people, one in each decision-maker circle.
    people = [
        ("Greta Holm", "Managing Director", "1"),
        ("Jonas Berg", "Head of Purchasing", "2"),
        ("Lea Winter", "Lighting Designer", "3"),
    ]
    for name, title, circle in people:
        page.goto(f"/accounts/{account_id}/stakeholders/new")
        page.fill("input[name=name]", name)
        page.fill("input[name=title]", title)
        page.select_option("select[name=circle]", circle)
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
    page.goto(f"/accounts/{account_id}")
    for name, _title, _circle in people:
        assert page.get_by_text(name).first.is_visible()
    v.shot("account-with-people")

    # A meeting with two of them.
    page.goto(f"/engagement/accounts/{account_id}/interactions/new")
    page.select_option("select[name=type]", "meeting")
    page.select_option("select[name=stakeholder_ids]", label=["Greta Holm", "Jonas Berg"])
    page.fill("textarea[name=summary]", "Annual review of the lighting programme.")
    v.shot("new-meeting")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.goto(f"/engagement/accounts/{account_id}")
    assert page.get_by_text("Annual review of the lighting programme.").first.is_visible()
    v.shot("engagement")

    # A quote, with its line-by-line breakdown.
    page.goto("/pricing/quote")
    page.select_option("select[name=account_id]", str(account_id))
    page.select_option("select[name=category_id]", label="Industrial lamps")
    page.fill("input[name=quantity]", "120")
    page.fill("input[name=unit_price]", "45.50")
    page.get_by_role("button", name="Price it").click()
    page.wait_for_load_state()
    breakdown = page.locator("table").first
    assert breakdown.is_visible()
    assert "€5,460.00" in breakdown.inner_text()  # list: 120 × 45.50
    assert "Lamps — annual volume" in page.content()  # the schedule that priced it
    # Incremental tiers: 100 at 0 %, 20 at 5 % → 45.50 off.
    assert "€45.50" in breakdown.inner_text() and "€5,414.50" in breakdown.inner_text()
    v.shot("quote-breakdown")

    # The account review as PDF, from the account page.
    page.goto(f"/accounts/{account_id}")
    pdf = v.download(f"a[href*='/reviews/accounts/{account_id}/review.pdf']", "review.pdf")
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Nordlicht Leuchten GmbH" in text
    assert "Greta Holm" in text or "Relationships" in text


def test_finance_approves_a_schedule(visit):
    v = visit(FINANCE)
    page = v.page
    page.goto("/pricing/schedules/")
    v.shot("schedules")
    page.get_by_role("link", name=re.compile("Cable")).first.click()
    page.wait_for_load_state()
    assert "pending" in page.content().lower()
    v.shot("pending-schedule")
    approve = page.get_by_role("button", name=re.compile("^Approve", re.I))
    comment = page.locator("textarea[name=comment], input[name=comment]")
    if comment.count():
        comment.first.fill("Margin impact checked at the reference volumes.")
    approve.first.click()
    page.wait_for_load_state()
    assert re.search(r"\bapproved\b", page.content(), re.I)
    assert not page.get_by_role("button", name=re.compile("^Approve", re.I)).count()
    v.shot("approved")


def test_sales_lead_opens_the_dashboard_and_downloads_the_portfolio_workbook(visit):
    v = visit(LEAD)
    page = v.page
    page.goto("/dashboard/")
    assert page.locator("h1").first.inner_text().strip() == "Portfolio dashboard"
    assert page.locator("svg").count() >= 2  # the Pareto chart and the lifecycle funnel
    v.shot("dashboard")
    workbook_file = v.download("a[href*='/reviews/portfolio.xlsx']", "portfolio.xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(workbook_file, read_only=True)
    assert workbook.sheetnames, "the workbook has no sheet"
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    # The demo's 30 accounts are all there; every account manager owns some.
    assert "Anna Becker" in cells and "Dmitri Volkov" in cells
    workbook.close()


def test_account_manager_cannot_open_another_managers_account_by_url(visit, live_server):
    other = visit(OTHER_MANAGER)
    other.page.goto("/accounts/")
    first_link = other.page.locator("table tbody a[href^='/accounts/']").first
    foreign_id = _account_id(first_link.get_attribute("href"))
    other.shot("dmitris-accounts")

    v = visit(MANAGER)
    for path in (
        f"/accounts/{foreign_id}",
        f"/accounts/{foreign_id}/edit",
        f"/engagement/accounts/{foreign_id}",
        f"/reviews/accounts/{foreign_id}/review.pdf",
    ):
        response = v.page.request.get(live_server + path)
        assert response.status == 404, (path, response.status)
    v.page.goto(f"/accounts/{foreign_id}")
    assert "not found" in v.page.content().lower()
    v.shot("not-found")
    # The browser logs the 404 of that page itself as a console error: expected here.
    v.console_errors[:] = [e for e in v.console_errors if "404" not in e]
