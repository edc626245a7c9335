"""Account and portfolio metrics: hand-checked figures, the same numbers on every path,
the access rule, and a bounded number of SQL statements."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Order
from b2b_loyalty.services.order_stats import refresh_order_stats
from tests.order_support import insert_orders as _orders
from tests.order_support import order_row

TODAY = date(2026, 11, 26)
PERIOD = "2025"


@pytest.fixture
def portfolio(make_user, make_account, category):
    """Three clients of two managers, with hand-checked figures for 2025 vs 2024.

    - steady: 2024 revenue 1,000, 2025 revenue 1,500 (+50 %), wallet 2025 = 6,000 (25 %);
    - newbie: first order 2025-06-01 (new in 2025), revenue 500;
    - gone: ordered in 2024 only (lost by the end of 2025).
    """
    from b2b_loyalty.services.wallet_estimates import create_wallet_estimate

    alice, bob = (
        make_user("account_manager", name="Alice"),
        make_user("account_manager", name="Bob"),
    )
    steady = make_account(alice, "Steady")
    newbie = make_account(alice, "Newbie")
    gone = make_account(bob, "Gone")
    _orders(
        steady,
        category,
        (date(2024, 3, 1), 400),
        (date(2024, 9, 1), 600),
        (date(2025, 2, 1), 700, 400),
        (date(2025, 8, 1), 800, 500),
    )
    _orders(newbie, category, (date(2025, 6, 1), 500))
    _orders(gone, category, (date(2024, 5, 1), 300))
    create_wallet_estimate(alice, steady, {"year": 2025, "estimated_spend": Decimal(6000)})
    refresh_order_stats([steady.id, newbie.id, gone.id])
    db.session.commit()
    return {"alice": alice, "bob": bob, "steady": steady, "newbie": newbie, "gone": gone}


def _report(app, user=None, **filters):
    from b2b_loyalty.access import AccessScope, set_access_scope
    from b2b_loyalty.domain.periods import parse_period
    from b2b_loyalty.queries.metrics import AccountFilter
    from b2b_loyalty.services.portfolio_metrics import portfolio_metrics

    with app.test_request_context():
        set_access_scope(AccessScope.for_user(user) if user else AccessScope(None, True))
        report = portfolio_metrics(
            parse_period(PERIOD, today=TODAY), AccountFilter(**filters), today=TODAY
        )
    db.session.info.clear()
    return report


def test_hand_checked_portfolio(app, make_user, portfolio):
    report = _report(app, make_user("sales_lead"))
    by_name = {a.name: a for a in report.accounts}
    steady = by_name["Steady"]
    assert steady.revenue == Decimal("1500.00") and steady.revenue_previous == Decimal("1000.00")
    assert steady.growth == Decimal("50.00")
    assert steady.orders == 2 and steady.average_order_value == Decimal("750.00")
    assert steady.gross_margin == Decimal("600.00")  # (700 − 400) + (800 − 500)
    assert steady.share.value == Decimal("25.00") and steady.share.headroom == Decimal("4500.00")
    assert (
        by_name["Newbie"].share.value is None and by_name["Newbie"].share.status.value == "unknown"
    )
    assert report.revenue == Decimal("2000.00") and report.revenue_previous == Decimal("1300.00")
    # Active at start of 2025: steady and gone (ordered in 2024); at end: steady and newbie.
    assert (
        report.retention.clients_at_start,
        report.retention.clients_at_end,
        report.retention.new_clients,
    ) == (2, 2, 1)
    assert report.retention.value == Decimal("50.00")  # (2 − 1) ÷ 2 × 100
    assert report.churn.value == Decimal("50.00") and report.churn.clients_lost == 1
    assert report.net_revenue_retention.value == Decimal("115.38")  # 1,500 ÷ 1,300
    assert {a.name: a.abc.value for a in report.accounts} == {
        "Steady": "A",
        "Newbie": "A",  # Steady makes 75 %; Newbie crosses 80 %, and the crossing account is A
        "Gone": "C",
    }
    assert by_name["Gone"].lifecycle.stage.value == "lost candidate"
    assert "no interaction" in by_name["Gone"].lifecycle.reason
    assert report.abc == {"A": 2, "C": 1}


def test_each_accounts_explanations_give_the_values_the_report_counts(
    app, make_user, make_account, category, portfolio
):
    """The report classifies every account by value (stage, segment, the days health
    grades recency by) and builds the explanations when read: for each account, and for
    every kind of stage and segment source, the explanation says what was counted."""
    from b2b_loyalty.models import SegmentOverride
    from b2b_loyalty.services.wallet_estimates import create_wallet_estimate

    lead = make_user("admin")
    closed = make_account(portfolio["alice"], "Closed")
    closed.closed_on, closed.closed_reason = date(2025, 3, 1), "ceased trading"
    make_account(portfolio["bob"], "Prospect")
    # Per-category estimates for Newbie in 2025, one for all categories for Gone in 2024.
    create_wallet_estimate(
        lead,
        portfolio["newbie"],
        {"year": 2025, "category_id": category.id, "estimated_spend": 2000},
    )
    create_wallet_estimate(lead, portfolio["gone"], {"year": 2024, "estimated_spend": 1200})
    db.session.add(
        SegmentOverride(account_id=portfolio["gone"].id, segment="vip", reason="strategic logo")
    )
    db.session.commit()
    report = _report(app, lead)
    stages = set()
    for a in report.accounts:
        assert a.lifecycle.stage is a.lifecycle_stage
        assert a.lifecycle.days_since_last_order == a.days_since_last_order
        assert a.lifecycle.cycle.days == a.cycle_days
        assert a.segment.segment is a.segment_value
        assert (a.share.value, a.share_previous.value) == (a.share_value, a.share_previous_value)
        assert a.needs_attention == bool(a.attention)
        stages.add(a.lifecycle_stage.value)
    assert stages == {"active", "lost candidate", "closed", "prospect"}
    by_name = {a.name: a for a in report.accounts}
    assert by_name["Closed"].lifecycle.reason == "closed by hand: ceased trading"
    gone = by_name["Gone"].segment
    assert gone.segment.value == "vip" and gone.source.value == "manual override"
    assert report.segments["vip"] == 1
    # Newbie's one order day takes the category's cycle: Steady's median of 181 days.
    assert by_name["Newbie"].lifecycle.reason == (
        "last order 213 days ago; cycle 181 days "
        "(category median; account has 1 order day, fewer than 3)"
    )
    assert by_name["Newbie"].cycle_days == 181
    assert report.lifecycle == {"active": 2, "lost candidate": 1, "closed": 1, "prospect": 1}
    assert by_name["Newbie"].share_value == Decimal("25.00")  # 500 of 2,000 in its category
    # 300 in 2024 of its estimate scaled to the period: 1,200 × 366 ÷ 365 = 1,203.29.
    assert by_name["Gone"].share_previous_value == Decimal("24.93")
    assert by_name["Steady"].share_value == Decimal("25.00")


def test_manager_dashboard_counts_only_their_accounts(app, portfolio, make_user):
    alice_view = _report(app, portfolio["alice"])
    assert {a.name for a in alice_view.accounts} == {"Steady", "Newbie"}
    assert alice_view.revenue == Decimal("2000.00") and alice_view.revenue_previous == Decimal(
        "1000.00"
    )
    # Bob's lost client is no client of hers: active at the start only Steady; at the end
    # Steady and Newbie, who is new. (Unfiltered, her aggregates carry no account
    # condition of their own: the access rule on each table must keep Gone out.)
    assert (
        alice_view.retention.clients_at_start,
        alice_view.retention.clients_at_end,
        alice_view.retention.new_clients,
        alice_view.churn.clients_lost,
    ) == (1, 2, 1, 0)
    lead_view = _report(app, make_user("sales_lead"))
    assert len(lead_view.accounts) == 3
    # ABC classes are the company's, whoever looks.
    assert {a.name: a.abc.value for a in alice_view.accounts} == {"Steady": "A", "Newbie": "A"}


def test_dashboard_api_and_raw_rows_agree(app, client, login, api_headers, make_user, portfolio):
    lead = make_user("sales_lead")
    api = client.get(
        "/api/v1/portfolio/metrics", query_string={"period": PERIOD}, headers=api_headers(lead)
    ).json
    raw = (
        db.session.execute(
            select(Order.net_amount).where(
                Order.order_date >= date(2025, 1, 1), Order.order_date <= date(2025, 12, 31)
            )
        )
        .scalars()
        .all()
    )
    assert Decimal(api["revenue"]) == sum(Decimal(str(v)) for v in raw) == Decimal("2000.00")
    assert api["retention_rate"]["value"] == "50.00" and api["accounts"] == 3
    login(lead)
    page = client.get("/dashboard/", query_string={"period": PERIOD}).get_data(as_text=True)
    assert "€2,000.00" in page and "50 %" in page
    account = client.get(
        f"/api/v1/accounts/{portfolio['steady'].id}/metrics",
        query_string={"period": PERIOD},
        headers=api_headers(lead),
    ).json
    assert account["revenue"] == "1500.00" and account["share_of_wallet"]["value"] == "25.00"
    assert account["abc_class"] == "A" and account["growth_percent"] == "50.00"


def test_dashboard_counts_are_written_with_the_locales_grouping(
    app, client, login, make_user, make_account, category
):
    account = make_account(make_user(), "Busy")
    _orders(
        account, category, *[(date(2025, 1, 1) + timedelta(days=i % 300), 1) for i in range(1200)]
    )
    refresh_order_stats([account.id])
    db.session.commit()
    login(make_user("sales_lead"))
    page = client.get("/dashboard/", query_string={"period": PERIOD}).get_data(as_text=True)
    assert "1,200 / €1.00" in page


def test_manager_api_and_dashboard_are_scoped(client, login, api_headers, portfolio):
    headers = api_headers(portfolio["alice"])
    api = client.get(
        "/api/v1/portfolio/metrics", query_string={"period": PERIOD}, headers=headers
    ).json
    assert api["accounts"] == 2 and api["revenue"] == "2000.00"
    assert (
        client.get(f"/api/v1/accounts/{portfolio['gone'].id}/metrics", headers=headers).status_code
        == 404
    )
    login(portfolio["alice"])
    page = client.get(
        "/dashboard/accounts", query_string={"period": PERIOD, "metric": "all"}
    ).get_data(as_text=True)
    assert "Steady" in page and ">Gone<" not in page


def test_drill_down_lists_the_accounts_behind_a_number(client, login, make_user, portfolio):
    login(make_user("sales_lead"))
    page = client.get(
        "/dashboard/accounts", query_string={"period": PERIOD, "metric": "abc", "value": "A"}
    ).get_data(as_text=True)
    assert "Steady" in page and "Newbie" in page and ">Gone<" not in page
    attention = client.get(
        "/dashboard/accounts",
        query_string={"period": PERIOD, "metric": "lifecycle", "value": "lost candidate"},
    ).get_data(as_text=True)
    assert "Gone" in attention


def test_drill_down_lists_its_accounts_a_page_at_a_time(client, login, make_user, category):
    """A figure can stand for 10,000 accounts: its drill-down pages them, in name order,
    and says how many there are in all."""
    owner = make_user("account_manager")
    _bulk_portfolio(owner, category, 0, 30)
    login(make_user("sales_lead"))
    query = {"period": PERIOD, "metric": "all"}

    def names(page: str) -> list[str]:
        return re.findall(r'/accounts/\d+">([^<]+)</a>', page)

    first = client.get("/dashboard/accounts", query_string=query).get_data(as_text=True)
    assert "30 accounts" in first and "1–25 of 30" in first
    assert names(first) == [f"Bulk {i:05d}" for i in range(25)]
    assert 'rel="next"' in first and "page=2" in first and "metric=all" in first
    second = client.get("/dashboard/accounts", query_string={**query, "page": 2})
    assert names(second.get_data(as_text=True)) == [f"Bulk {i:05d}" for i in range(25, 30)]
    smaller = client.get("/dashboard/accounts", query_string={**query, "per_page": 10})
    assert len(names(smaller.get_data(as_text=True))) == 10
    beyond = client.get("/dashboard/accounts", query_string={**query, "page": "x9"})
    assert names(beyond.get_data(as_text=True)) == names(first)  # junk: the first page


def test_bad_period_is_a_clear_error(client, api_headers, make_user, login, portfolio):
    headers = api_headers(make_user("sales_lead"))
    response = client.get(
        "/api/v1/portfolio/metrics", query_string={"period": "last year"}, headers=headers
    )
    assert response.status_code == 422 and "period" in response.json["error"]["fields"]
    response = client.get(
        "/api/v1/portfolio/metrics", query_string={"from": "2025-05-01"}, headers=headers
    )
    assert response.status_code == 422
    login(make_user("sales_lead"))
    assert client.get("/dashboard/?period=nonsense").status_code == 200


def _bulk_portfolio(owner, category, start_index: int, count: int) -> None:
    db.session.execute(
        insert(Account),
        [
            {"name": f"Bulk {start_index + i:05d}", "owner_id": owner.id, "region": "North"}
            for i in range(count)
        ],
    )
    ids = db.session.scalars(
        select(Account.id).where(Account.name.like("Bulk %")).order_by(Account.id)
    ).all()[start_index:]
    _rows = []
    for k, account_id in enumerate(ids):
        for j in range(3):
            net = Decimal(100 + (k * 7 + j * 13) % 900)
            _rows.append(order_row(account_id, category.id, date(2025, 1 + j * 4, 1 + k % 27), net))
    db.session.execute(insert(Order), _rows)
    refresh_order_stats(ids)
    db.session.commit()


def test_dashboard_and_account_page_cost_the_same_for_10_and_1000_accounts(
    client, login, make_user, category, count_statements
):
    owner = make_user("account_manager")
    login(make_user("sales_lead"))

    def cost(path):
        with count_statements() as seen:
            assert client.get(path).status_code == 200
        return len(seen)

    _bulk_portfolio(owner, category, 0, 10)
    first = db.session.scalar(select(Account.id).order_by(Account.id))
    small = (cost(f"/dashboard/?period={PERIOD}"), cost(f"/accounts/{first}"))
    _bulk_portfolio(owner, category, 10, 990)
    large = (cost(f"/dashboard/?period={PERIOD}"), cost(f"/accounts/{first}"))
    assert small == large
    assert db.session.query(Account).count() == 1000


def test_margins_are_summed_once_for_a_whole_portfolio_when_read(
    app, make_user, category, count_statements
):
    """The dashboard never shows margins, so a portfolio report sums them only when one
    is first read — then for every account in one statement; the figures are those an
    account's own report (which sums them with its revenue) gives."""
    owner = make_user("account_manager")
    _bulk_portfolio(owner, category, 0, 30)
    db.session.execute(Order.__table__.update().values(unit_cost=Decimal(40)))
    refresh_order_stats(db.session.scalars(select(Account.id)).all())  # the month totals
    db.session.commit()
    lead = make_user("sales_lead")
    report = _report(app, lead)
    with count_statements() as seen:
        margins = {a.account_id: a.gross_margin for a in report.accounts}
        [a.clv for a in report.accounts]  # CLV reads the same margins
    assert len(seen) == 1 and len(margins) == 30
    some = report.accounts[7]
    alone = _report(app, lead, account_ids=(some.account_id,)).accounts[0]
    assert alone.gross_margin == margins[some.account_id] > 0
    quantities = db.session.scalar(
        select(func.sum(Order.net_amount - Order.quantity * Order.unit_cost)).where(
            Order.account_id == some.account_id,
            Order.order_date >= date(2025, 1, 1),
            Order.order_date <= date(2025, 12, 31),
        )
    )
    assert margins[some.account_id] == Decimal(quantities).quantize(Decimal("0.01"))


def test_edge_cases_no_orders_one_order_and_no_clients_at_start(
    app, client, login, make_user, make_account, category
):
    owner = make_user("account_manager")
    make_account(owner, "Prospect Ltd")
    one = make_account(owner, "One Order Ltd")
    _orders(one, category, (date(2025, 3, 3), 250))
    refresh_order_stats([one.id])
    db.session.commit()
    report = _report(app, owner)
    by_name = {a.name: a for a in report.accounts}
    assert by_name["Prospect Ltd"].lifecycle.stage.value == "prospect"
    assert (
        by_name["Prospect Ltd"].average_order_value is None
        and by_name["Prospect Ltd"].growth is None
    )
    assert by_name["One Order Ltd"].lifecycle.cycle.source.value != "account"  # too few order days
    assert by_name["One Order Ltd"].growth is None  # nothing the year before: no percentage
    # Nobody was active at the start of 2025: retention has no base and says so.
    assert report.retention.clients_at_start == 0 and report.retention.value is None
    login(owner)
    page = client.get("/dashboard/", query_string={"period": PERIOD}).get_data(as_text=True)
    assert "Retention (CRR)" in page and "—" in page


def test_client_lost_and_won_back(app, make_user, make_account, category):
    owner = make_user("account_manager")
    back = make_account(owner, "Boomerang")
    _orders(back, category, (date(2023, 1, 10), 100), (date(2025, 9, 1), 200))
    refresh_order_stats([back.id])
    db.session.commit()
    report = _report(app, owner)
    account = report.accounts[0]
    # Not active at the start (no order in 2024), not new (first order in 2023): a returning client.
    assert report.retention.clients_at_start == 0 and report.retention.new_clients == 0
    assert report.retention.clients_at_end == 1
    assert account.lifecycle.stage.value in {"active", "at risk", "lost candidate"}
    assert account.revenue == Decimal("200.00")


def test_supplier_ranking_gives_an_estimated_share_when_no_estimate_exists(
    app, client, login, api_headers, make_user, make_account, category
):
    owner = make_user("account_manager")
    ranked = make_account(owner, "Ranked Ltd")
    _orders(ranked, category, (date(2025, 4, 1), 40000))
    refresh_order_stats([ranked.id])
    db.session.commit()
    login(owner)
    response = client.post(
        f"/accounts/{ranked.id}/supplier-rankings/new",
        data={"year": "2025", "rank": "1", "supplier_count": "4"},
    )
    assert response.status_code == 302
    bad = client.post(
        f"/accounts/{ranked.id}/supplier-rankings/new",
        data={"year": "2024", "rank": "5", "supplier_count": "4"},
    )
    assert bad.status_code == 422 and "between 1 and the number of suppliers" in bad.get_data(
        as_text=True
    )
    body = client.get(
        f"/api/v1/accounts/{ranked.id}/metrics",
        query_string={"period": PERIOD},
        headers=api_headers(owner),
    ).json
    assert body["share_of_wallet"]["value"] is None
    estimate = body["share_of_wallet_estimate"]
    assert estimate["value"] == "40.00" and estimate["implied_wallet"] == "100000.00"
    assert "estimate" in estimate["formula"]


def test_one_accounts_abc_class_equals_the_whole_ranking(app, make_user, make_account, category):
    """The account page reads the company ranking kept between orders
    (``services.company_ranking``); the unfiltered dashboard ranks the accounts it
    shows. Ties (broken by id), an exact 80 % / 95 % boundary and accounts without
    revenue must give the same class on both paths."""
    owner = make_user("account_manager", name="Owner")
    # 2025 revenue, total 1,000: equal pairs straddle the 80 % and the 95 % boundary,
    # so only the tie-break by id decides their classes.
    amounts = [700, 100, 100, 50, 50, 0]
    accounts = [make_account(owner, f"Client {i}") for i in range(len(amounts))]
    for account, amount in zip(accounts, amounts, strict=True):
        if amount:
            _orders(account, category, (date(2025, 4, 1), amount))
    refresh_order_stats([a.id for a in accounts])
    db.session.commit()
    whole = {a.name: a.abc.value for a in _report(app).accounts}
    one_by_one = {a.name: _report(app, account_ids=(a.id,)).accounts[0].abc.value for a in accounts}
    assert one_by_one == whole
    assert whole == {
        "Client 0": "A",
        "Client 1": "A",  # 70 % before it
        "Client 2": "B",  # exactly 80 % before it: not A
        "Client 3": "B",  # 90 % before it
        "Client 4": "C",  # exactly 95 % before it
        "Client 5": "C",  # no revenue
    }


def test_too_few_orders_take_the_main_categorys_median_cycle(
    app, make_user, make_account, category
):
    """An account with fewer than 3 order days takes the median cycle of the accounts
    whose main category is its own; with no such accounts, the 90-day default."""
    from b2b_loyalty.models import AccountOrderStats, ProductCategory

    other = ProductCategory(name="Cable")
    db.session.add(other)
    db.session.commit()
    owner = make_user("account_manager")
    regulars = [make_account(owner, f"Regular {i}") for i in range(3)]
    for gap, account in zip((10, 20, 40), regulars, strict=True):
        days = [date(2025, 1, 1) + i * timedelta(days=gap) for i in range(4)]
        _orders(account, category, *[(d, 100) for d in days])
        _orders(account, other, (date(2025, 1, 1), 50))  # less: not the main category
    newcomer = make_account(owner, "Newcomer")
    _orders(newcomer, category, (date(2025, 12, 1), 100))
    loner = make_account(owner, "Loner")
    _orders(loner, other, (date(2025, 12, 1), 100))
    ids = [a.id for a in (*regulars, newcomer, loner)]
    refresh_order_stats(ids)
    db.session.commit()

    stats = {s.account_id: s for s in db.session.scalars(select(AccountOrderStats))}
    assert stats[regulars[0].id].main_category_id == category.id
    assert stats[loner.id].main_category_id == other.id
    by_name = {a.name: a.lifecycle.cycle for a in _report(app).accounts}
    assert by_name["Newcomer"].days == Decimal(20)  # median of 10, 20, 40
    assert by_name["Newcomer"].source.value == "category"
    assert "category median" in by_name["Newcomer"].explanation
    assert by_name["Loner"].days == Decimal(90)  # nobody with a cycle buys mostly cable
    assert by_name["Loner"].source.value == "default"


def test_the_previous_health_score_is_the_latest_stored_month_with_a_score(
    app, make_user, make_account
):
    from b2b_loyalty.models import AccountHealthScore
    from b2b_loyalty.services.health import previous_scores

    owner = make_user("account_manager")
    first, second = make_account(owner, "First"), make_account(owner, "Second")
    rows = [
        (first.id, date(2026, 7, 1), Decimal("40.0")),
        (first.id, date(2026, 8, 1), Decimal("55.5")),
        (first.id, date(2026, 9, 1), None),  # a month without data does not count
        (first.id, date(2026, 11, 1), Decimal("90.0")),  # the current month: not "previous"
        (second.id, date(2026, 11, 1), Decimal("70.0")),
    ]
    db.session.execute(
        insert(AccountHealthScore),
        [
            {"account_id": a, "period_start": p, "score": s, "grade": None, "measures": []}
            for a, p, s in rows
        ],
    )
    db.session.commit()
    assert previous_scores([first.id, second.id], date(2026, 11, 1)) == {first.id: Decimal("55.5")}
