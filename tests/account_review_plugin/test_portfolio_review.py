"""The portfolio review: every visible account ranked, the API's numbers, bounded SQL."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from plugins.account_review.render.xlsx import PERCENT_FORMAT, money_format
from tests.account_review_plugin.conftest import cents, open_workbook, pdf_text

MONEY = money_format("EUR")


def test_accounts_sheet_equals_the_portfolio_api_to_the_cent(
    client, api_headers, people, review_data
):
    h = api_headers(people["lead"])
    api = client.get(f"/api/v1/portfolio/metrics?period={review_data.label}", headers=h).json
    metrics = {
        a["account_id"]: a
        for a in (
            client.get(f"/api/v1/accounts/{i}/metrics?period={review_data.label}", headers=h).json
            for i in (review_data.account.id, review_data.other_account.id)
        )
    }
    response = client.get(f"/api/v1/portfolio/review.xlsx?period={review_data.label}", headers=h)
    assert response.status_code == 200
    workbook = open_workbook(response.data)
    assert workbook.sheetnames == ["Summary", "Accounts", "Managers"]
    sheet = workbook["Accounts"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert [r["Rank"].value for r in rows] == [1, 2]
    assert [r["Account"].value for r in rows] == [
        "Borealis Trading",
        "Acme Industrial",
    ]  # 4,450.00 > 3,292.15
    for row in rows:
        expected = metrics[row["Account id"].value]
        assert row["Net revenue"].number_format == MONEY
        assert cents(row["Net revenue"].value) == Decimal(expected["revenue"])
        assert cents(row["Previous period"].value) == Decimal(expected["revenue_previous"])
        assert row["Segment"].value == expected["segment"]["value"]
        assert row["ABC class"].value == expected["abc_class"]
        assert row["Lifecycle stage"].value == expected["lifecycle"]["stage"]
        assert row["Alerts"].value == len(expected["alerts"])
        if expected["share_of_wallet"]["value"] is not None:
            assert row["Share of wallet"].number_format == PERCENT_FORMAT
            share = (Decimal(str(row["Share of wallet"].value)) * 100).quantize(Decimal("0.01"))
            assert share == Decimal(expected["share_of_wallet"]["value"])
    total = sum(cents(r["Net revenue"].value) for r in rows)
    assert total == Decimal(api["revenue"])
    assert Decimal(str(rows[-1]["Cumulative share of revenue"].value)) == 1

    managers = workbook["Managers"]
    by_manager = {row[0].value: cents(row[2].value) for row in managers.iter_rows(min_row=2)}
    assert by_manager == {m["owner_name"]: Decimal(m["revenue"]) for m in api["by_manager"]}
    summary = workbook["Summary"]
    assert len(summary._charts) == 1  # the Pareto chart (bars + cumulative line)
    assert summary["A1"].value == "Portfolio review"


def test_portfolio_pdf_ranks_accounts_and_totals_managers(client, login, people, review_data):
    login(people["lead"])
    response = client.get(f"/reviews/portfolio.pdf?period={review_data.label}")
    assert response.status_code == 200
    assert f"portfolio-review_{review_data.label}.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert text.index("Borealis Trading") < text.rindex("Acme Industrial")
    for figure in ("€7,742.15", "Anna Manager", "Boris Other", "Totals per account manager"):
        assert figure in text, figure


def test_portfolio_filters_follow_the_dashboard(client, api_headers, people, review_data):
    h = api_headers(people["lead"])
    owner = people["other_manager"].id
    response = client.get(
        f"/api/v1/portfolio/review.xlsx?period={review_data.label}&owner={owner}", headers=h
    )
    names = [row[2].value for row in open_workbook(response.data)["Accounts"].iter_rows(min_row=2)]
    assert names == ["Borealis Trading"]
    assert "boris-other" in response.headers["Content-Disposition"]


def _portfolio(n: int, people, make_account, category, period):  # noqa: ANN001, ANN202
    from b2b_loyalty.services.pricing import save_quote_as_order

    for i in range(n):
        owner = people["manager"] if i % 2 else people["other_manager"]
        account = make_account(owner, f"Account {n}-{i:03d}")
        save_quote_as_order(
            owner,
            account,
            category,
            Decimal(10 + i),
            Decimal("10.00"),
            period.start + timedelta(days=i % 80),
            Decimal("6.00"),
        )


def test_the_portfolio_review_runs_a_bounded_number_of_statements(
    app, people, make_account, category, lamps_schedule, quarter, count_statements
):
    from b2b_loyalty.access import UNRESTRICTED, set_access_scope
    from b2b_loyalty.extensions import db
    from plugins.account_review.exports import portfolio_review_file

    _, period = quarter
    set_access_scope(UNRESTRICTED)

    def statements_for(n: int) -> int:
        _portfolio(n, people, make_account, category, period)
        db.session.expire_all()
        with count_statements() as seen:
            portfolio_review_file(period, "xlsx", people["lead"])
            portfolio_review_file(period, "pdf", people["lead"])
        return len(seen)

    few = statements_for(3)
    many = statements_for(24)
    assert few == many, (few, many)
    assert few < 80


def test_streamed_and_plain_openpyxl_writing_give_the_same_cells(
    app, people, review_data, monkeypatch
):
    """The fast path (rows streamed through per-column template cells) writes exactly
    what one styled cell per value writes."""
    from b2b_loyalty.access import UNRESTRICTED, set_access_scope
    from plugins.account_review.render import xlsx
    from plugins.account_review.render.portfolio_workbook import portfolio_workbook
    from plugins.account_review.services.portfolio_review import build_portfolio_review

    set_access_scope(UNRESTRICTED)
    review = build_portfolio_review(review_data.period, people["lead"])

    def cells(content: bytes) -> list:
        sheet = open_workbook(content)["Accounts"]
        return [[(c.value, c.number_format, c.data_type) for c in row] for row in sheet.iter_rows()]

    fast = cells(portfolio_workbook(review))
    monkeypatch.setattr(xlsx, "_stream_formatted_cells", lambda sheet, templates: False)
    assert cells(portfolio_workbook(review)) == fast
    assert {fmt for row in fast[1:] for _, fmt, _ in row} >= {MONEY, PERCENT_FORMAT}
