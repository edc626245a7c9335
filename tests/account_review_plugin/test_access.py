"""Who may download what: the central record-level rule on every route, clear 4xx on bad input."""

from __future__ import annotations

import pytest

from tests.account_review_plugin.conftest import open_workbook

FORMATS = ["pdf", "xlsx"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_manager_gets_404_for_another_managers_account_on_the_web(
    client, login, people, review_data, fmt
):
    login(people["manager"])
    other = review_data.other_account
    assert client.get(f"/reviews/accounts/{other.id}/review.{fmt}").status_code == 404
    assert client.get(f"/reviews/accounts/{other.id}").status_code == 404
    assert client.get(f"/reviews/accounts/{review_data.account.id}/review.{fmt}").status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_manager_gets_404_for_another_managers_account_on_the_api(
    client, api_headers, people, review_data, fmt
):
    h = api_headers(people["manager"])
    other = review_data.other_account
    response = client.get(f"/api/v1/accounts/{other.id}/review.{fmt}", headers=h)
    assert response.status_code == 404
    assert response.json["error"]["message"]
    assert client.get(f"/api/v1/accounts/999999/review.{fmt}", headers=h).status_code == 404
    lead = api_headers(people["lead"])
    assert client.get(f"/api/v1/accounts/{other.id}/review.{fmt}", headers=lead).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_api_needs_a_token(client, review_data, fmt):
    for path in (
        f"/api/v1/accounts/{review_data.account.id}/review.{fmt}",
        f"/api/v1/portfolio/review.{fmt}",
        f"/api/v1/discount-schedules/report.{fmt}",
    ):
        response = client.get(path)
        assert response.status_code == 401, path
        # A browser session does not authenticate the API either.


def test_web_routes_need_a_login(client, review_data):
    for path in (
        f"/reviews/accounts/{review_data.account.id}/review.pdf",
        "/reviews/portfolio.xlsx",
        "/reviews/discount-schedules.pdf",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_managers_portfolio_review_holds_only_their_accounts(
    client, api_headers, login, people, review_data
):
    h = api_headers(people["manager"])
    response = client.get(f"/api/v1/portfolio/review.xlsx?period={review_data.label}", headers=h)
    accounts = open_workbook(response.data)["Accounts"]
    names = [row[2].value for row in accounts.iter_rows(min_row=2)]
    assert names == ["Acme Industrial"]
    login(people["manager"])
    web = client.get(f"/reviews/portfolio.xlsx?period={review_data.label}")
    names = [row[2].value for row in open_workbook(web.data)["Accounts"].iter_rows(min_row=2)]
    assert names == ["Acme Industrial"]
    lead = api_headers(people["lead"])
    everyone = client.get(f"/api/v1/portfolio/review.xlsx?period={review_data.label}", headers=lead)
    names = {row[2].value for row in open_workbook(everyone.data)["Accounts"].iter_rows(min_row=2)}
    assert names == {"Acme Industrial", "Borealis Trading"}


@pytest.mark.parametrize("role", ["manager", "lead"])
def test_schedule_report_is_for_finance(client, api_headers, login, people, lamps_schedule, role):
    h = api_headers(people[role])
    for fmt in FORMATS:
        assert client.get(f"/api/v1/discount-schedules/report.{fmt}", headers=h).status_code == 403
    login(people[role])
    assert client.get("/reviews/discount-schedules.xlsx").status_code == 403
    finance = api_headers(people["finance"])
    assert client.get("/api/v1/discount-schedules/report.xlsx", headers=finance).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "period=2026-Q5",
        "period=yesterday",
        "from=2026-01-01",
        "from=2026-02-30&to=2026-03-01",
        "period=1800",
    ],
)
def test_a_bad_period_is_a_clear_422_never_a_500(
    client, api_headers, login, people, review_data, query
):
    h = api_headers(people["manager"])
    account = review_data.account.id
    for path in (f"/api/v1/accounts/{account}/review.pdf", "/api/v1/portfolio/review.xlsx"):
        response = client.get(f"{path}?{query}", headers=h)
        assert response.status_code == 422, (path, query)
        assert "period" in response.json["error"]["fields"]
    login(people["manager"])
    page = client.get(f"/reviews/accounts/{account}/review.xlsx?{query}")
    assert page.status_code == 422
    assert 'class="errors"' in page.get_data(as_text=True)  # the form, with the message
    assert client.get(f"/reviews/portfolio.pdf?{query}").status_code == 422


def test_bad_margin_and_segment_are_422(client, api_headers, people, lamps_schedule):
    finance = api_headers(people["finance"])
    for margin in ("abc", "-1", "101", "NaN", "Infinity"):
        response = client.get(
            f"/api/v1/discount-schedules/report.xlsx?margin_percent={margin}", headers=finance
        )
        assert response.status_code == 422, margin
        assert "margin_percent" in response.json["error"]["fields"]
    response = client.get("/api/v1/portfolio/review.pdf?segment=gold", headers=finance)
    assert response.status_code == 422 and "segment" in response.json["error"]["fields"]
    response = client.get("/api/v1/portfolio/review.pdf?owner=abc", headers=finance)
    assert response.status_code == 422


def test_ids_beyond_the_database_range_and_overlong_periods_are_4xx(
    client, api_headers, login, people, review_data
):
    h = api_headers(people["lead"])
    huge = "99999999999999999999"
    for owner in (huge, "2147483648", "-5"):
        response = client.get(f"/api/v1/portfolio/review.xlsx?owner={owner}", headers=h)
        assert response.status_code == 422, owner
        assert "owner" in response.json["error"]["fields"]
    account = review_data.account.id
    # The review compares with the two periods before: ~1,100 years back leave the calendar.
    too_long = "from=1901-01-01&to=2998-12-31"
    response = client.get(f"/api/v1/accounts/{account}/review.xlsx?{too_long}", headers=h)
    assert response.status_code == 422 and "period" in response.json["error"]["fields"]
    login(people["lead"])
    assert client.get(f"/reviews/portfolio.pdf?owner={huge}").status_code == 422
    page = client.get(f"/reviews/accounts/{account}/review.pdf?{too_long}")
    assert page.status_code == 422 and 'class="errors"' in page.get_data(as_text=True)
    assert client.get(f"/reviews/accounts/{huge}/review.pdf").status_code == 404


def test_a_negative_zero_margin_is_zero(client, api_headers, people, lamps_schedule):
    response = client.get(
        "/api/v1/discount-schedules/report.xlsx?margin_percent=-0",
        headers=api_headers(people["finance"]),
    )
    assert response.status_code == 200
    assert "discount-schedules_margin-0.xlsx" in response.headers["Content-Disposition"]
