"""The account review: the workbook and the PDF hold the API's numbers, to the cent."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from b2b_loyalty.plugin_host import plugin_host
from plugins.account_review.render.xlsx import PERCENT_FORMAT, money_format
from tests.account_review_plugin.conftest import cents, open_workbook, pdf_text

MONEY = money_format("EUR")


def _kpi_rows(workbook) -> dict[str, tuple]:
    """Summary sheet: label → (this period cell, previous cell, change cell)."""
    sheet = workbook["Summary"]
    rows: dict[str, tuple] = {}
    inside = False
    for row in sheet.iter_rows():
        if row[0].value == "Indicator":
            inside = True
        elif inside and not row[0].value:
            break
        elif inside:
            rows[row[0].value] = (row[1], row[2], row[3])
    return rows


def _percent(cell) -> Decimal:  # noqa: ANN001
    assert cell.number_format == PERCENT_FORMAT, cell.number_format
    return (Decimal(str(cell.value)) * 100).quantize(Decimal("0.01"))


def _money(cell) -> Decimal:  # noqa: ANN001
    assert cell.number_format == MONEY, cell.number_format
    assert isinstance(cell.value, int | float), cell.value  # a number, never text
    return cents(cell.value)


def test_workbook_summary_equals_the_metrics_api_for_both_periods(
    client, api_headers, people, review_data
):
    h = api_headers(people["manager"])
    account = review_data.account
    now = client.get(
        f"/api/v1/accounts/{account.id}/metrics?period={review_data.label}", headers=h
    ).json
    before = client.get(
        f"/api/v1/accounts/{account.id}/metrics?from={review_data.previous.start}"
        f"&to={review_data.previous.end}",
        headers=h,
    ).json
    response = client.get(
        f"/api/v1/accounts/{account.id}/review.xlsx?period={review_data.label}", headers=h
    )
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    kpis = _kpi_rows(open_workbook(response.data))

    revenue, revenue_before, growth = kpis["Net revenue"]
    assert _money(revenue) == Decimal(now["revenue"]) == Decimal("3292.15")
    assert _money(revenue_before) == Decimal(now["revenue_previous"]) == Decimal(before["revenue"])
    assert _percent(growth) == Decimal(now["growth_percent"])
    margin, margin_before, _ = kpis["Gross margin"]
    assert _money(margin) == Decimal(now["gross_margin"])
    assert _money(margin_before) == Decimal(before["gross_margin"])
    share, share_before, points = kpis["Share of wallet"]
    assert _percent(share) == Decimal(now["share_of_wallet"]["value"])
    assert _percent(share_before) == Decimal(now["share_of_wallet_previous"]["value"])
    assert Decimal(str(points.value)) == Decimal(now["share_change_points"])
    headroom, headroom_before, _ = kpis["Headroom (wallet not yet ours)"]
    assert _money(headroom) == Decimal(now["share_of_wallet"]["headroom"])
    assert _money(headroom_before) == Decimal(now["share_of_wallet_previous"]["headroom"])
    orders, orders_before, _ = kpis["Orders"]
    assert (orders.value, orders_before.value) == (now["orders"], before["orders"])
    assert orders.number_format == "#,##0"
    aov, _, _ = kpis["Average order value"]
    assert _money(aov) == Decimal(now["average_order_value"])
    assert kpis["Segment"][0].value == now["segment"]["value"]
    assert kpis["Segment"][1].value == before["segment"]["value"]
    assert kpis["Lifecycle stage"][0].value == now["lifecycle"]["stage"]
    assert kpis["Lifecycle stage"][1].value == before["lifecycle"]["stage"]
    assert kpis["ABC class"][0].value == now["abc_class"]
    assert kpis["ABC class"][1].value == before["abc_class"]


def test_discounts_tiers_and_margin_given_away(client, api_headers, people, review_data):
    h = api_headers(people["manager"])
    response = client.get(
        f"/api/v1/accounts/{review_data.account.id}/review.xlsx?period={review_data.label}",
        headers=h,
    )
    workbook = open_workbook(response.data)
    kpis = _kpi_rows(workbook)
    # Volume tiers 45 + 150 + 300 (the year's cumulative volume climbs the tiers) plus
    # 12.55 entered by hand; the quarter before: 15.00 + 5.00.
    assert _money(kpis["Discount given"][0]) == Decimal("507.55")
    assert _money(kpis["Discount given"][1]) == Decimal("20.00")
    assert _percent(kpis["Highest volume tier reached"][0]) == Decimal("20.00")
    assert _percent(kpis["Highest volume tier reached"][1]) == Decimal("5.00")
    # Known cost: 350 lamps × 6.00 = 2,100 on 3,500 list; discount 495 ÷ 1,400 = 35.36 %.
    assert _percent(kpis["Gross profit given away by discounts"][0]) == Decimal("35.36")

    orders = workbook["Orders"]
    header = [c.value for c in orders[1]]
    rows = [dict(zip(header, (c for c in row), strict=True)) for row in orders.iter_rows(min_row=2)]
    assert len(rows) == 4
    assert sum(cents(r["Net"].value) for r in rows) == Decimal("3292.15")  # = API revenue
    assert sum(cents(r["Discount"].value) for r in rows) == Decimal("507.55")
    first = rows[0]
    assert first["Date"].number_format == "yyyy-mm-dd" and first["Date"].is_date
    assert first["Net"].number_format == MONEY and first["Quantity"].data_type == "n"
    assert first["Discount share"].number_format == PERCENT_FORMAT
    assert {r["Reference"].value for r in rows} == {None, "PO-7781"}

    discounts = workbook["Discounts"]
    lines = [[c.value for c in row] for row in discounts.iter_rows(min_row=2)]
    assert [(line[2], line[4]) for line in lines[:3]] == [(100, 0.05), (200, 0.1), (300, 0.2)]
    tier_discount = sum(cents(line[8]) for line in lines[:3])
    assert tier_discount == Decimal("495.00")
    assert lines[-1][0] == "Discounts entered by hand" and cents(lines[-1][8]) == Decimal("12.55")


def test_sheets_are_frozen_filtered_sized_and_charted(client, api_headers, people, review_data):
    response = client.get(
        f"/api/v1/accounts/{review_data.account.id}/review.xlsx?period={review_data.label}",
        headers=api_headers(people["manager"]),
    )
    workbook = open_workbook(response.data)
    assert workbook.sheetnames[:3] == ["Summary", "Orders", "Discounts"]
    assert {"Stakeholders", "Engagement"} <= set(workbook.sheetnames)
    summary = workbook["Summary"]
    assert summary["A1"].value == "Account review"
    labels = {row[0].value: row[1].value for row in summary.iter_rows(max_row=8) if row[0].value}
    assert labels["Exported by"] == f"Anna Manager <{people['manager'].email}>"
    assert isinstance(labels["Exported at (UTC)"], datetime)
    assert labels["Exported at (UTC)"].date() >= date.today() - timedelta(days=1)
    assert f"({review_data.label})" in labels["Period"]
    assert len(summary._charts) >= 2  # revenue bars, share of wallet line (+ tiers)
    for name in workbook.sheetnames[1:]:
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref.startswith("A1:"), name
        assert all(8 <= d.width <= 60 for d in sheet.column_dimensions.values()), name
        assert sheet["A1"].font.b, name


def test_pdf_holds_the_key_figures_and_plugin_sections(client, login, people, review_data):
    login(people["manager"])
    response = client.get(
        f"/reviews/accounts/{review_data.account.id}/review.pdf?period={review_data.label}"
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert (
        f"account-review_{review_data.account.id}_acme-industrial_{review_data.label}.pdf"
        in response.headers["Content-Disposition"]
    )
    text = pdf_text(response.data)
    for figure in ("€3,292.15", "€1,479.80", "€507.55", "€905.00", "Acme Industrial"):
        assert figure in text, figure
    assert "Executive summary" in text and "Orders and discounts" in text
    assert "Relationships: engagement and decision-maker circles" in text  # engagement's section
    assert "Page 1 of" in text and "Anna Manager" in text


def test_sections_follow_their_weight_and_vanish_with_their_plugin(
    make_app, app, people, review_data
):
    from b2b_loyalty.access import AccessScope, set_access_scope
    from plugins.account_review.services.account_review import build_account_review
    from plugins.tenure_pricing.services.contracts import create_contract

    create_contract(
        people["manager"],
        review_data.account,
        {
            "number": "C-100",
            "start_date": review_data.period.start - timedelta(days=200),
            "term_months": 24,
            "status": "active",
            "annual_value": Decimal("52000.00"),
        },
    )
    set_access_scope(AccessScope.for_user(people["manager"]))
    review = build_account_review(review_data.account.id, review_data.period, people["manager"])
    keys = [s.key for s in review.sections]
    assert keys == ["engagement.summary", "tenure_pricing.contracts"]  # weights 40, 60
    contracts = review.sections[1].sheets[0]
    assert contracts.title == "Contracts" and contracts.rows[0][0] == "C-100"

    only_tenure = make_app(B2B_LOYALTY_PLUGINS="tenure_pricing,account_review")
    with only_tenure.app_context():
        set_access_scope(AccessScope.for_user(people["manager"]))
        review = build_account_review(review_data.account.id, review_data.period, None)
        assert [s.key for s in review.sections] == ["tenure_pricing.contracts"]
        from plugins.account_review.render.account_workbook import account_review_workbook

        names = open_workbook(account_review_workbook(review)).sheetnames
        assert names == ["Summary", "Orders", "Discounts", "Contracts"]
    assert "account_review" in plugin_host(only_tenure).enabled


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_an_account_without_orders_still_gets_a_review(client, login, people, make_account, fmt):
    account = make_account(people["manager"], "Quiet GmbH")
    login(people["manager"])
    response = client.get(f"/reviews/accounts/{account.id}/review.{fmt}?period=2025")
    assert response.status_code == 200
    if fmt == "pdf":
        assert "No orders in the period." in pdf_text(response.data)
    else:
        assert open_workbook(response.data)["Orders"].max_row == 1


def test_the_pdf_lists_the_largest_orders_when_there_are_too_many(app, people, review_data):
    from b2b_loyalty.access import AccessScope, set_access_scope
    from plugins.account_review.render.documents import account_review_html, printed_orders
    from plugins.account_review.services.account_review import build_account_review

    set_access_scope(AccessScope.for_user(people["manager"]))
    review = build_account_review(review_data.account.id, review_data.period, people["manager"])
    two = printed_orders(review, 2)
    assert [o.net_amount for o in two] == [Decimal("1050.00"), Decimal("1200.00")]  # by date
    assert printed_orders(review, 10) == review.orders.orders
    html = account_review_html(review, max_orders=2)
    assert "The 2 largest orders are listed, in date order; the other 2 are in the Excel" in html
    assert "€3,292.15" in html  # the totals still cover every order


def test_revenue_buckets_are_months_quarters_or_years_and_add_up(app):
    from b2b_loyalty.domain.order_metrics import Period
    from plugins.account_review.services.account_review import revenue_buckets
    from plugins.account_review.services.orders_discounts import OrderLine

    def order(day: date, net: str) -> OrderLine:
        amount = Decimal(net)
        return OrderLine(
            1,
            day,
            None,
            "Lamps",
            Decimal(1),
            amount,
            amount,
            Decimal(0),
            amount,
            None,
            None,
            "",
            None,
        )

    orders = [
        order(date(2024, 1, 31), "10.10"),
        order(date(2024, 2, 1), "5.05"),
        order(date(2025, 12, 31), "1.00"),
    ]
    with app.test_request_context():
        months, kind = revenue_buckets(Period(date(2024, 1, 15), date(2024, 12, 31)), orders[:2])
        assert kind == "month" and len(months) == 12
        assert (months[0].start, months[0].revenue, months[1].revenue) == (
            date(2024, 1, 15),
            Decimal("10.10"),
            Decimal("5.05"),
        )
        quarters, kind = revenue_buckets(Period(date(2022, 1, 1), date(2025, 12, 31)), orders)
        assert kind == "quarter" and len(quarters) == 16 and quarters[-1].label == "Q4 2025"
        assert sum(q.revenue for q in quarters) == Decimal("16.15")
        years, kind = revenue_buckets(Period(date(1990, 1, 1), date(2025, 12, 31)), orders)
        assert kind == "year" and len(years) == 36 and years[-1].end == date(2025, 12, 31)
        assert sum(y.revenue for y in years) == Decimal("16.15")
