"""The hooks (panel, navigation, alerts, health, review, demo) and the pages they lead to."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from b2b_loyalty.extensions import db
from b2b_loyalty.plugin_host import plugin_host
from plugins.tenure_pricing.models import TenureContract, TenureSchedule
from tests.tenure_pricing_plugin.helpers import count_rows, years_of_contracts


@pytest.fixture
def renewing(make_account, people, add_contract, approve_schedule):
    """Under contract for almost three years; the current contract ends in 40 days."""
    approve_schedule()
    account = make_account(people["manager"], "Renewing Werke")
    end = date.today() + timedelta(days=40)
    first_start = date(end.year - 3, end.month, 1)
    contracts = years_of_contracts(add_contract, account, first_start, 3)
    last = contracts[-1]
    from plugins.tenure_pricing.services.contracts import update_contract

    update_contract(
        people["manager"],
        account,
        last,
        {"end_date": end, "list_annual_value": Decimal("101000"), "term_months": 12},
    )
    return account, last


def test_account_page_shows_contracts_tenure_and_the_renewal(client, login, people, renewing):
    account, contract = renewing
    login(people["manager"])
    html = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "Contracts and tenure" in html and contract.number in html
    assert "Add a contract" in html
    assert "ends in 40 days" in html
    assert "capped at the list price" in html  # 100,000 × 1.03 > 101,000
    assert "Renewal preview" in html


def test_account_page_without_contracts_says_so(client, login, people, make_account):
    account = make_account(people["manager"], "Fresh Co")
    login(people["manager"])
    html = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "No contracts recorded yet" in html


def test_renewal_preview_side_by_side(client, login, people, renewing):
    account, contract = renewing
    login(people["manager"])
    page = client.get(f"/tenure/accounts/{account.id}/contracts/{contract.id}/renewal")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Current term" in html and "Next term" in html
    assert "€101,000.00" in html and "€103,000.00" in html  # capped at list
    # Three years are reached before the next term starts: 2 % now, 4 % from the renewal.
    assert ">2 %</td>" in html and "4 % at the start" in html


def test_expiring_list_horizon(client, login, people, renewing):
    login(people["manager"])
    assert renewing[1].number in client.get("/tenure/contracts/expiring").get_data(as_text=True)
    short = client.get("/tenure/contracts/expiring?days=30").get_data(as_text=True)
    assert renewing[1].number not in short and "No active contract ends" in short


def test_navigation_offers_the_expiring_list_to_everyone_and_the_schedule_to_finance(
    client, login, people
):
    login(people["manager"])
    html = client.get("/accounts/").get_data(as_text=True)
    assert 'href="/tenure/contracts/expiring"' in html and 'href="/tenure/schedules"' not in html
    login(people["finance"])
    assert 'href="/tenure/schedules"' in client.get("/accounts/").get_data(as_text=True)


def test_membership_fee_break_even_on_the_account_page(
    client, login, people, make_account, add_contract, category
):
    from b2b_loyalty.services.orders import create_order

    account = make_account(people["manager"], "Card Holder Ltd")
    add_contract(
        account,
        date.today() - timedelta(days=100),
        12,
        status="active",
        membership_fee=Decimal("220"),
        membership_discount_percent=Decimal("50"),
    )
    create_order(
        people["manager"],
        account,
        {
            "date": date.today() - timedelta(days=10),
            "category_id": category.id,
            "quantity": Decimal(1000),
            "unit_price": Decimal("0.24"),
            "unit_cost": Decimal("0.18"),
        },
    )
    login(people["manager"])
    html = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "1,833.33 units" in html
    assert "below break-even" in html  # 240 of list a year < 440
    assert "never pays for us" in html  # 25 % margin ≤ 50 % discount


def test_alerts_for_expiring_contract_and_gap_in_cover(
    app, people, make_account, add_contract, renewing
):
    account, contract = renewing
    lapsed = make_account(people["manager"], "Lapsed AG")
    add_contract(lapsed, date.today() - timedelta(days=400), 12, status="expired")
    in_gap = make_account(people["manager"], "In Gap AG")
    add_contract(in_gap, date.today() - timedelta(days=380), 12, status="expired")
    quiet = make_account(people["manager"], "Quiet AG")
    alerts = plugin_host().call(
        "account_alerts",
        account_ids=[account.id, lapsed.id, in_gap.id, quiet.id],
        as_of=date.today(),
    )
    by_account = {a.account_id: a for a in alerts if a.source == "tenure_pricing"}
    assert by_account[account.id].key == "tenure_pricing.contract_expiring"
    assert "in 40 days" in by_account[account.id].message
    assert "grace period is over" in by_account[lapsed.id].message
    assert by_account[in_gap.id].key == "tenure_pricing.gap_in_cover"
    assert "grace days left" in by_account[in_gap.id].message
    assert quiet.id not in by_account


def test_alert_for_a_future_gap_beyond_grace(app, people, make_account, add_contract):
    account = make_account(people["manager"], "Gappy AG")
    current = add_contract(account, date.today() - timedelta(days=200), 12, status="active")
    add_contract(account, current.end_date + timedelta(days=46), 12, status="draft")
    [alert] = plugin_host().call("account_alerts", account_ids=[account.id], as_of=date.today())
    assert alert.key == "tenure_pricing.gap_in_cover" and "tenure will restart" in alert.message


def test_health_measure_scores_renewal_risk(app, people, make_account, add_contract, renewing):
    account, _ = renewing
    safe = make_account(people["manager"], "Safe AG")
    add_contract(safe, date.today() - timedelta(days=30), 24, status="active")
    measures = plugin_host().call(
        "account_health_measures", account_ids=[account.id, safe.id], as_of=date.today()
    )
    scores = {m.account_id: m for m in measures if m.key == "contract_renewal"}
    assert scores[account.id].score < scores[safe.id].score
    assert 0 <= scores[account.id].score <= 100
    assert "Ends in 40 days, no renewal drafted" in scores[account.id].explanation
    assert scores[safe.id].score >= 70  # no spend recorded: 0.7 × 100 + 0.3 × 0


def test_review_section_carries_contracts_tenure_and_renewal(app, people, renewing):
    account, contract = renewing
    [section] = plugin_host().call(
        "review_sections",
        account=account,
        period_start=date.today() - timedelta(days=90),
        period_end=date.today(),
        user=people["manager"],
    )
    assert section.key == "tenure_pricing.contracts"
    data = section.context
    assert data["contracts"][-1]["number"] == contract.number
    assert data["tenure"]["months"] >= 33 and data["tenure"]["percent"] == Decimal(2)
    assert data["renewal"]["annual_value_next"] == Decimal("101000.00")
    assert data["renewal"]["capped_by_list"] is True


def test_review_and_alert_hooks_say_nothing_without_contracts(app, people, make_account):
    account = make_account(people["manager"], "Nothing Yet")
    host = plugin_host()
    assert (
        host.call(
            "review_sections",
            account=account,
            period_start=date.today(),
            period_end=date.today(),
            user=None,
        )
        == []
    )
    assert host.call("account_alerts", account_ids=[account.id], as_of=date.today()) == []
    assert host.call("account_health_measures", account_ids=[account.id], as_of=date.today()) == []


def test_deleting_an_account_deletes_its_contracts(app, people, make_account, add_contract):
    from b2b_loyalty.services.accounts import delete_account

    account = make_account(people["manager"], "Gone Soon")
    add_contract(account, date.today(), 12, status="active")
    delete_account(people["manager"], account)
    db.session.expire_all()
    assert count_rows(TenureContract) == 0


def test_settings_have_defaults(app):
    assert app.config["TENURE_PRICING_GRACE_DAYS"] == 30
    assert app.config["TENURE_PRICING_EXPIRING_DAYS"] == 90


def test_demo_builds_contracts_and_an_approved_schedule_deterministically(app):
    from b2b_loyalty.demo_data import build_demo
    from tests.conftest import _empty_all_tables

    def snapshot():
        rows = db.session.execute(
            db.select(
                TenureContract.number,
                TenureContract.start_date,
                TenureContract.end_date,
                TenureContract.status,
                TenureContract.annual_value,
            ).order_by(TenureContract.number)
        ).all()
        return [tuple(map(str, r)) for r in rows]

    build_demo(date(2026, 11, 26))
    first = snapshot()
    schedule = TenureSchedule.query.one()
    assert schedule.status == "approved" and len(schedule.tiers) == 4
    assert len(first) > 30
    statuses = {row[3] for row in first}
    assert {"active", "expired", "draft"} <= statuses
    _empty_all_tables()
    build_demo(date(2026, 11, 3))
    assert snapshot() == first
    alerts = plugin_host().call(
        "account_alerts",
        account_ids=[a for (a,) in db.session.execute(db.select(TenureContract.account_id))],
        as_of=date(2026, 11, 26),
    )
    keys = {a.key for a in alerts}
    assert {"tenure_pricing.contract_expiring", "tenure_pricing.gap_in_cover"} <= keys
