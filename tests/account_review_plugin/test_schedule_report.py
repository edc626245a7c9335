"""The discount schedule report for finance: versions, tiers, approval trail, margin impact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from plugins.account_review.render.xlsx import PERCENT_FORMAT, money_format
from tests.account_review_plugin.conftest import LAMPS, cents, open_workbook, pdf_text

MONEY = money_format("EUR")


def _rows(sheet):  # noqa: ANN001, ANN202
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def _second_version(people, lamps_schedule):  # noqa: ANN001, ANN202
    from b2b_loyalty.services import discount_schedules as service

    draft = service.new_version(people["finance"], lamps_schedule, effective_from=date(2099, 1, 1))
    service.update_draft(
        people["finance"],
        draft,
        {"tiers": [*LAMPS[:3], {"from": "300", "percent": "15"}], "change_note": "softer top tier"},
    )
    service.submit(people["finance"], draft)
    service.reject(people["finance2"], draft, "not this year")
    return draft


def test_margin_impact_equals_the_finance_overview(client, api_headers, people, lamps_schedule):
    from b2b_loyalty.models import ScheduleFamily
    from b2b_loyalty.queries.schedules import families_with_versions
    from b2b_loyalty.services.finance_overview import schedule_cost_table

    _second_version(people, lamps_schedule)
    h = api_headers(people["finance"])
    response = client.get("/api/v1/discount-schedules/report.xlsx?margin_percent=45", headers=h)
    assert response.status_code == 200
    assert "discount-schedules_margin-45.xlsx" in response.headers["Content-Disposition"]
    workbook = open_workbook(response.data)
    assert workbook.sheetnames == [
        "Summary",
        "Versions",
        "Tiers",
        "Approval trail",
        "Margin impact",
    ]

    expected = schedule_cost_table(
        families_with_versions(), margin_percent=Decimal(45), today=date.today()
    )
    [row] = expected
    impact = [r for r in _rows(workbook["Margin impact"]) if r["Version"].value == 1]
    assert len(impact) == len(row.points) == 4  # 100, 200, 300 and 600 packs
    for cells, point in zip(impact, row.points, strict=True):
        assert Decimal(str(cells["Volume"].value)) == point.volume
        assert cells["List"].number_format == MONEY
        assert cents(cells["List"].value) == point.breakdown.list_total
        assert cents(cells["Discount"].value) == point.breakdown.discount_total
        assert cells["Share of gross profit given away"].number_format == PERCENT_FORMAT
        share = Decimal(str(cells["Share of gross profit given away"].value)) * 100
        assert share.quantize(Decimal("0.01")) == point.margin.share_of_profit_given_away
        uplift = Decimal(str(cells["Volume uplift to break even"].value)) * 100
        assert uplift.quantize(Decimal("0.01")) == point.margin.required_volume_uplift
    # 600 packs at the nominal 100.00: 100 × 5 % + 100 × 10 % + 300 × 20 % of 100 = 7,500.00
    # off 60,000.00, i.e. 12.5 %; at a 45 % margin that is 27.78 % of the gross profit.
    assert cents(impact[-1]["Discount"].value) == Decimal("7500.00")
    assert impact[-1]["Schedule"].value == ScheduleFamily.query.one().name == "Lamps annual"


def test_versions_tiers_and_the_approval_trail(client, api_headers, people, lamps_schedule):
    _second_version(people, lamps_schedule)
    response = client.get(
        "/api/v1/discount-schedules/report.xlsx", headers=api_headers(people["finance"])
    )
    workbook = open_workbook(response.data)
    versions = _rows(workbook["Versions"])
    assert [
        (v["Version"].value, v["Status"].value, v["In force today"].value) for v in versions
    ] == [
        (1, "approved", "yes"),
        (2, "rejected", "no"),
    ]
    assert versions[0]["Decided by"].value == "Fred Finance"
    assert versions[0]["Effective from"].is_date
    assert versions[1]["Decision comment"].value == "not this year"
    assert versions[1]["Change note"].value == "softer top tier"
    api = client.get(
        "/api/v1/discount-schedules?per_page=100", headers=api_headers(people["finance"])
    ).json
    from_api = [
        (item["version"], Decimal(t["from"]), Decimal(t["percent"]))
        for item in api["items"]
        for t in item["tiers"]
    ]
    from_sheet = [
        (row[1].value, Decimal(str(row[4].value)), (Decimal(str(row[5].value)) * 100).normalize())
        for row in workbook["Tiers"].iter_rows(min_row=2)
    ]
    assert [(v, f, p.normalize()) for v, f, p in from_api] == from_sheet
    tiers = _rows(workbook["Tiers"])
    assert [(t["Version"].value, t["From"].value, t["Rate"].value) for t in tiers][-1] == (
        2,
        300,
        0.15,
    )
    assert tiers[0]["Rate"].number_format == PERCENT_FORMAT
    trail = _rows(workbook["Approval trail"])
    actions = [(t["Who"].value, t["Action"].value) for t in trail]
    assert ("Frida Finance", "created") in actions
    assert ("Fred Finance", "approved") in actions
    assert ("Fred Finance", "rejected") in actions
    assert all(t["When (UTC)"].is_date for t in trail)
    # The schedule's description begins "Industrial…": text; a leading = would be neutralised.
    summary_text = [c.value for row in workbook["Summary"].iter_rows() for c in row if c.value]
    assert "Industrial lamp packs: =SUM(A1) on annual volume" in summary_text


def test_schedule_report_pdf(client, login, people, lamps_schedule):
    login(people["finance"])
    response = client.get("/reviews/discount-schedules.pdf?margin_percent=30")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for phrase in ("Lamps annual", "Approval trail", "four eyes: ok", "Fred Finance", "€7,500.00"):
        assert phrase in text, phrase
