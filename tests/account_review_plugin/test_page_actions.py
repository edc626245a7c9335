"""Download buttons on the account page, the dashboard and the finance overview (page_actions)."""

from __future__ import annotations

import pytest

from b2b_loyalty.plugin_host import plugin_host
from tests.account_review_plugin.conftest import pdf_text


def test_account_page_offers_the_review(client, login, people, review_data):
    login(people["manager"])
    page = client.get(f"/accounts/{review_data.account.id}").get_data(as_text=True)
    account = review_data.account.id
    assert f'href="/reviews/accounts/{account}/review.pdf"' in page
    assert f'href="/reviews/accounts/{account}/review.xlsx"' in page
    assert f'href="/reviews/accounts/{account}"' in page
    form = client.get(f"/reviews/accounts/{account}").get_data(as_text=True)
    assert 'name="period"' in form and review_data.label in form
    assert f'formaction="/reviews/accounts/{account}/review.xlsx"' in form


def test_dashboard_buttons_carry_its_period_and_filters(client, login, people, review_data):
    login(people["lead"])
    page = client.get(f"/dashboard/?period={review_data.label}&region=North&segment=vip").get_data(
        as_text=True
    )
    assert f"/reviews/portfolio.pdf?period={review_data.label}" in page
    assert "region=North" in page and "segment=vip" in page
    assert "/reviews/portfolio.xlsx?" in page


def test_finance_overview_offers_the_schedule_report(client, login, people, lamps_schedule):
    login(people["finance"])
    page = client.get("/pricing/finance?margin_percent=35").get_data(as_text=True)
    assert 'href="/reviews/discount-schedules.pdf?margin_percent=35"' in page
    assert 'href="/reviews/discount-schedules.xlsx?margin_percent=35"' in page


@pytest.fixture
def without_reviews(make_app):
    app = make_app(B2B_LOYALTY_PLUGINS="engagement,tenure_pricing")
    with app.app_context():
        yield app


def test_disabled_plugin_leaves_pages_working_without_buttons(without_reviews):
    from b2b_loyalty.services.accounts import create_account
    from b2b_loyalty.services.users import create_user, issue_api_token
    from tests.conftest import PASSWORD

    assert "account_review" not in plugin_host(without_reviews).enabled
    lead = create_user("nolead@example.com", "No Lead", "sales_lead", PASSWORD)
    manager = create_user("noman@example.com", "No Manager", "account_manager", PASSWORD)
    account = create_account(manager, {"name": "Plain AG"})
    token = issue_api_token(lead)
    client = without_reviews.test_client()
    client.post("/login", data={"email": lead.email, "password": PASSWORD})
    for path in (f"/accounts/{account.id}", "/dashboard/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "/reviews/" not in response.get_data(as_text=True)
    assert client.get(f"/reviews/accounts/{account.id}/review.pdf").status_code == 404
    api = client.get(
        f"/api/v1/accounts/{account.id}/review.pdf", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 404


def test_reviews_work_with_every_other_plugin_disabled(make_app):
    from b2b_loyalty.services.accounts import create_account
    from b2b_loyalty.services.users import create_user
    from tests.conftest import PASSWORD

    app = make_app(B2B_LOYALTY_PLUGINS="account_review")
    with app.app_context():
        manager = create_user("solo@example.com", "Solo", "account_manager", PASSWORD)
        account = create_account(manager, {"name": "Solo GmbH"})
        client = app.test_client()
        client.post("/login", data={"email": manager.email, "password": PASSWORD})
        response = client.get(f"/reviews/accounts/{account.id}/review.pdf?period=2025")
        assert response.status_code == 200
        text = pdf_text(response.data)
        assert "Solo GmbH" in text and "Relationships" not in text and "Contracts" not in text
