"""The metrics bench's baseline, bench/dashboard_figures_sql.py, computes the dashboard's
own figures with bare SQL: on a small portfolio built to reach every rule's edge, its
figures equal the app's (``portfolio_metrics`` as the dashboard calls it), on SQLite and
on PostgreSQL, for a period with partial months at both edges, the default trailing
year and a calendar year. The data is checked to make each compared figure
non-trivial, and the SQL is broken on purpose to see the comparison fail."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.extensions import db
from b2b_loyalty.models import ProductCategory
from b2b_loyalty.services.order_stats import refresh_order_stats
from bench import dashboard_figures_sql as figures_sql
from tests.order_support import insert_orders

TODAY = date(2026, 11, 26)
# Partial months at both edges: 15 March 2025 to 10 February 2026 (333 days); the
# previous period is the 333 days before, itself with partial months at both edges.
EDGES = Period(date(2025, 3, 15), date(2026, 2, 10))
AS_OF = EDGES.end
DEFAULT_YEAR = Period(TODAY - timedelta(days=364), TODAY)  # dashboard.request_args.period_from({})
CALENDAR_YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def app(make_app):
    """Plugins disabled, as the bench runs the dashboard: no interactions, no
    complaints, no plugin health measures."""
    app = make_app(B2B_LOYALTY_PLUGINS="none")
    with app.app_context():
        yield app


def _category(name: str) -> ProductCategory:
    row = ProductCategory(name=name)
    db.session.add(row)
    db.session.commit()
    return row


def _estimate(actor, account, year: int, spend, category=None) -> None:  # noqa: ANN001
    from b2b_loyalty.services.wallet_estimates import create_wallet_estimate

    data = {"year": year, "estimated_spend": Decimal(spend)}
    if category is not None:
        data["category_id"] = category.id
    create_wallet_estimate(actor, account, data)


# The portfolio: account -> (manager, [(category, order day, net amount), ...]), and
# each account's lifecycle stage on AS_OF (checked, so that the data says what the
# fixture's docstring says).
# fmt: off
ORDERS = {
    "Regular 10.5": ("Bob", [("Lamps", "2026-01-15", 1000), ("Lamps", "2026-01-25", 1000), ("Lamps", "2026-02-05", 1000)]),
    "Regular 14": ("Bob", [("Lamps", day, 1500) for day in ("2025-02-01", "2025-02-15", "2025-03-01")]
                   + [("Lamps", day, 2000) for day in ("2025-12-04", "2025-12-18", "2026-01-01", "2026-01-15")]),
    "Regular 20.5": ("Bob", [("Lamps", "2025-09-01", 500), ("Lamps", "2025-09-21", 500), ("Lamps", "2025-10-12", 500)]),
    "Regular 30": ("Bob", [("Lamps", "2025-11-11", 700), ("Lamps", "2025-12-11", 700), ("Lamps", "2026-01-10", 700)]),
    "Single": ("Alice", [("Lamps", "2026-01-25", 600)]),
    "Double": ("Alice", [("Valves", "2025-06-01", 450), ("Valves", "2025-08-01", 550)]),
    "Closed": ("Carol", [("Cable", "2024-10-10", 1000), ("Cable", "2025-05-05", 1200), ("Cable", "2025-09-09", 800)]),
    "Override": ("Carol", [("Cable", "2024-12-01", 500), ("Cable", "2025-07-01", 700), ("Cable", "2026-01-30", 900)]),
    "Categories": ("Alice", [("Lamps", "2024-09-01", 4000), ("Cable", "2025-03-10", 2000), ("Cable", "2025-03-20", 1000),
                             ("Lamps", "2025-04-01", 3000), ("Switches", "2026-02-05", 8000)]),
    "Whole wallet": ("Bob", [("Cable", "2024-12-15", 4000), ("Cable", "2025-06-15", 5000), ("Cable", "2025-12-15", 6000)]),
    "Share fell": ("Bob", [("Switches", "2024-10-01", 6000), ("Switches", "2026-02-01", 1000)]),
    "Zero estimate": ("Carol", [("Valves", "2025-10-01", 300)]),
    "VIP": ("Alice", [("Cable", "2024-07-01", 30000), ("Cable", "2025-04-10", 60000), ("Cable", "2025-10-10", 50000),
                      ("Cable", "2026-02-08", 10000)]),
    "Gone": ("Bob", [("Valves", "2024-08-01", 2500), ("Valves", "2024-12-01", 1500)]),
    "Returning": ("Carol", [("Valves", "2023-01-10", 400), ("Valves", "2025-11-20", 450)]),
    "Later": ("Alice", [("Valves", "2026-03-01", 700)]),
    "After end": ("Bob", [("Valves", "2025-12-01", 1000), ("Valves", "2026-02-15", 1500)]),
    "Prospect": ("Alice", []),
    "Tie Zeta": ("Carol", [("Valves", "2025-04-15", "1234.00")]),
    "tie alpha": ("Carol", [("Valves", "2025-04-15", "1234.00")]),
    "Half cent": ("Dave", [("Valves", "2024-05-01", "800.00"), ("Valves", "2025-05-01", "898.76")]),
}
STAGES = {
    "Regular 10.5": "active", "Regular 14": "at risk", "Regular 20.5": "lost candidate",
    "Regular 30": "active", "Single": "new", "Double": "lost candidate", "Closed": "closed",
    "Override": "active", "Categories": "active", "Whole wallet": "active", "Share fell": "active",
    "Zero estimate": "active", "VIP": "active", "Gone": "lost candidate", "Returning": "active",
    "Later": "prospect", "After end": "new", "Prospect": "prospect",
    "Tie Zeta": "lost candidate", "tie alpha": "lost candidate", "Half cent": "lost candidate",
}
# fmt: on


@pytest.fixture
def portfolio(make_user, make_account, category):
    """``ORDERS`` of four managers, reaching every rule's edge (amounts in EUR; AS_OF is
    10 February 2026, the end of the ``EDGES`` period):

    - four regulars buying lamps, own purchase cycles 10.5, 14, 20.5 and 30 days, so
      the lamps' median cycle is 17.25 days; Single (one lamp order 16 days ago) takes
      it and is new; Double (two orders of valves, a category without a median) takes
      the 90-day default;
    - Closed (closed by hand), Override (set to difficult by hand), VIP (trailing
      12-month revenue ≥ 100,000), Gone (bought only in the previous period: lost),
      Returning (bought in 2023 and again in the period), Later (first order after
      the as-of day: a prospect then), After end (last order after the as-of day),
      Prospect (no orders);
    - orders on the partial months' days (Categories: 20 March 2025 and 5 February
      2026; 10 March 2025 in the previous period's);
    - wallet estimates: per category (Categories: its share falls by 25 points), for
      all categories with a per-category one beside it (Whole wallet), for all
      categories with a share that falls by 27 points (Share fell), and of 0;
    - Tie Zeta and tie alpha: the same revenue, both needing attention (ordered by
      name as Python compares strings: capitals first);
    - Half cent, Dave's only account: growth of exactly 12.345 %.
    """
    from b2b_loyalty.services.metric_settings import set_closed, set_segment_override

    categories = {"Lamps": category, **{n: _category(n) for n in ("Cable", "Switches", "Valves")}}
    managers = {n: make_user("account_manager", name=n) for n in ("Alice", "Bob", "Carol", "Dave")}
    accounts = {}
    for name, (manager, orders) in ORDERS.items():
        accounts[name] = account = make_account(managers[manager], name)
        for category_name, day, amount in orders:
            insert_orders(account, categories[category_name], (date.fromisoformat(day), amount))
    refresh_order_stats([a.id for a in accounts.values()])
    db.session.commit()

    alice, bob, carol = managers["Alice"], managers["Bob"], managers["Carol"]
    set_closed(carol, accounts["Closed"], date(2026, 1, 1), "ceased trading")
    set_segment_override(carol, accounts["Override"], "difficult", "complains on every call")
    lamps, cable = categories["Lamps"], categories["Cable"]
    _estimate(alice, accounts["Categories"], 2026, 10000, lamps)
    _estimate(alice, accounts["Categories"], 2026, 5000, cable)
    _estimate(alice, accounts["Categories"], 2025, 8000, lamps)
    _estimate(bob, accounts["Whole wallet"], 2026, 50000)
    _estimate(bob, accounts["Whole wallet"], 2026, 1000, cable)  # beside an all-category one
    _estimate(bob, accounts["Whole wallet"], 2025, 40000)
    _estimate(bob, accounts["Share fell"], 2026, 20000)
    _estimate(bob, accounts["Share fell"], 2025, 20000)
    _estimate(carol, accounts["Zero estimate"], 2026, 0)
    db.session.commit()
    return accounts


def _from_app(app, viewer, period: Period, today: date = TODAY):  # noqa: ANN001, ANN202
    """The app's figures for ``period`` seen by ``viewer``: (dashboard, per account)."""
    from b2b_loyalty.access import AccessScope, set_access_scope
    from b2b_loyalty.services.portfolio_metrics import portfolio_metrics

    with app.test_request_context():
        set_access_scope(AccessScope.for_user(viewer))
        report = portfolio_metrics(period, today=today)
        figures = figures_sql.app_figures(report), figures_sql.app_account_figures(report)
    db.session.info.clear()
    return figures


def _from_sql(period: Period, today: date = TODAY):  # noqa: ANN202
    """The SQL's figures for ``period``: (dashboard, per account)."""
    dates = figures_sql.ReportDates.of(period, today)
    settings = figures_sql.app_settings()
    with db.engine.connect() as connection:
        return (
            figures_sql.dashboard_figures(connection, dates, settings),
            figures_sql.account_figures(connection, dates, settings),
        )


def _differences(from_app, from_sql) -> list[str]:  # noqa: ANN001
    return figures_sql.differences(from_app[0], from_sql[0]) + figures_sql.account_differences(
        from_app[1], from_sql[1]
    )


def _assert_equal(app, viewer, period: Period) -> dict:  # noqa: ANN001
    """The SQL's figures equal the app's, the dashboard's and each account's; returns
    the app's dashboard figures."""
    from_app, from_sql = _from_app(app, viewer, period), _from_sql(period)
    assert _differences(from_app, from_sql) == []
    assert from_sql == from_app
    return from_app[0]


def test_the_edge_cases_are_all_in_the_data(app, make_user, portfolio):
    """Each compared figure is non-trivial for the period with partial months: a
    comparison that any SQL would pass proves nothing."""
    from_app, per_account = _from_app(app, make_user("sales_lead"), EDGES)
    ids = {name: account.id for name, account in portfolio.items()}
    assert {name: per_account[i]["stage"] for name, i in ids.items()} == STAGES
    assert per_account[ids["Single"]]["cycle_days"] == Decimal("17.25")  # lamps' median
    assert per_account[ids["Double"]]["cycle_days"] == Decimal(90)  # the default
    assert per_account[ids["After end"]]["days_since_last_order"] == 0
    assert from_app["accounts"] == len(ORDERS) == 21
    assert set(from_app["segments"]) == {"vip", "current", "difficult", "none"}
    assert set(from_app["abc"]) == {"A", "B", "C"}
    assert set(from_app["health_grades"]) == {"green", "amber", "red", "none"}
    assert 0 < from_app["needing_attention"] < from_app["accounts"]
    assert len(from_app["by_manager"]) == 4
    assert from_app["by_manager"][-1]["growth"] == Decimal("12.35")  # Dave: 12.345 % half up
    for key in ("growth", "retention_rate", "churn_rate", "net_revenue_retention",
                "repeat_purchase_rate", "purchase_frequency", "share_of_accounts_in_a"):  # fmt: skip
        assert from_app[key] not in (None, Decimal(0)), key
    assert from_app["clients_lost"] > 0 and from_app["new_clients"] > 0
    # Attention by share of wallet alone (active accounts whose share fell > 5 points).
    assert {ids["Categories"], ids["Share fell"]} <= set(from_app["attention_shown"])
    assert per_account[ids["Zero estimate"]]["share"] is None
    shown = from_app["attention_shown"]
    assert shown.index(ids["Tie Zeta"]) + 1 == shown.index(ids["tie alpha"])
    assert from_app["largest"][0] == ids["VIP"] and len(from_app["largest"]) == 21
    assert figures_sql.differences(from_app, _from_sql(EDGES)[0]) == []


@pytest.mark.parametrize(
    "period", [EDGES, DEFAULT_YEAR, CALENDAR_YEAR], ids=["partial-months", "default", "2025"]
)
def test_the_sql_computes_the_dashboards_figures(app, make_user, portfolio, period):
    _assert_equal(app, make_user("sales_lead"), period)


def test_with_an_admins_settings(app, make_user, portfolio):
    """Segment rules and health settings an admin saved (decimals in thresholds and
    weights, VIP by order count alone) are read and applied alike."""
    from b2b_loyalty.services.metric_settings import save_health_settings, save_segment_rules

    admin = make_user("admin")
    save_segment_rules(admin, {"vip_min_orders_12m": 3})
    save_health_settings(
        admin,
        {
            "weights": {"revenue_trend": "0.5", "share_trend": "2", "order_recency": "1.25"},
            "thresholds": {
                "revenue_trend": {"poor": "-15.5", "good": "12.25"},
                "share_trend": {"poor": "-7", "good": "3.5"},
                "order_recency": {"poor": "2.5", "good": "0.75"},
            },
            "amber_from": "35.5",
            "green_from": "64.5",
        },
    )
    from_app = _assert_equal(app, make_user("sales_lead"), EDGES)
    assert from_app["segments"]["vip"] > 1  # the regulars with 3+ orders, not VIP's revenue
    assert set(from_app["health_grades"]) == {"green", "amber", "red", "none"}


@pytest.fixture
def ties(make_user, make_account, category):
    """June 2025 against May 2025, with exact ties, which the app rounds half up
    (half to even, Decimal's default, would give the figures in brackets):

    - purchase frequency 13 orders ÷ 8 buyers = 1.625: 1.63 (1.62);
    - company growth (898.76 − 800.00) ÷ 800.00 = 12.345 %: 12.35 (12.34);
    - Rhythm orders every 8 days and last 9 days before 30 June: 1.125 cycles, 1.13
      (1.12), scored 87.0 (88.0); with revenue only now (100) its health is 93.5,
      amber with green from 94 (94.0 would be green);
    - Wallet's share 19.99 % in May (619.69 of 3,100.00) and 14.985 % in June (449.55
      of 3,000.00): 14.99 half up, a fall of exactly 5.00 points, not "more than 5"
      (14.98 half to even would put it on the attention list).
    """
    from b2b_loyalty.services.metric_settings import save_health_settings

    owner = make_user("account_manager", name="Owner")
    rhythm = make_account(owner, "Rhythm")
    insert_orders(rhythm, category, *[(date(2025, 6, day), 10) for day in (5, 13, 21)])
    many = make_account(owner, "Many")
    insert_orders(many, category, *[(date(2025, 6, 2), 10)] * 4)
    wallet = make_account(owner, "Wallet")
    insert_orders(wallet, category, (date(2025, 5, 15), "619.69"), (date(2025, 6, 25), "449.55"))
    small = [make_account(owner, f"Small {i}") for i in range(5)]
    for account, amount in zip(small, ("75.00", "75.00", "75.00", "75.00", "79.21"), strict=True):
        insert_orders(account, category, (date(2025, 6, 10), amount))
    earlier = make_account(owner, "Earlier")
    insert_orders(earlier, category, (date(2025, 5, 20), "180.31"))
    refresh_order_stats([a.id for a in (rhythm, many, wallet, earlier, *small)])
    db.session.commit()
    _estimate(owner, wallet, 2025, 36500)
    save_health_settings(make_user("admin"), {"amber_from": 40, "green_from": 94})
    db.session.commit()
    return {"rhythm": rhythm, "wallet": wallet}


JUNE_2025 = Period(date(2025, 6, 1), date(2025, 6, 30))


def test_exact_ties_round_as_the_app_rounds_them(app, make_user, ties):
    from_app = _assert_equal(app, make_user("sales_lead"), JUNE_2025)
    assert from_app["purchase_frequency"] == Decimal("1.63")
    assert from_app["growth"] == Decimal("12.35")
    assert from_app["health_grades"].get("green", 0) == 0  # Rhythm's 93.5 is amber
    assert ties["wallet"].id not in from_app["attention_shown"]


@pytest.fixture
def boundaries(make_user, make_account, category):
    """June 2025 against May 2025, with accounts exactly on the rules' thresholds:

    - Risk edge buys every 10 days, last exactly 15 days (1.5 cycles) before 30 June:
      not yet at risk ("more than 1.5 cycles");
    - New edge ordered once, exactly 90 days (the default cycle) before: still new;
    - Fall edge's share of wallet falls exactly 5.00 points (20 % of 3,100.00 in May,
      15 % of 3,000.00 in June): not "more than 5";
    - Grade edge's health is exactly 70.0 (revenue trend 40.0 at −8 %, recency 100):
      green from 70;
    - June revenue 1,080 + 920 + 450 + 50 = 2,500: Fall edge has exactly 80 % ranked
      above it, so it is B, not A.
    """
    valves = _category("Valves")
    owner = make_user("account_manager", name="Owner")
    risk = make_account(owner, "Risk edge")
    insert_orders(
        risk, category, (date(2025, 5, 26), 25), (date(2025, 6, 5), 25), (date(2025, 6, 15), 25)
    )
    new = make_account(owner, "New edge")
    insert_orders(new, valves, (date(2025, 4, 1), 300))
    fall = make_account(owner, "Fall edge")
    insert_orders(fall, category, (date(2025, 5, 15), 620), (date(2025, 6, 25), 450))
    grade = make_account(owner, "Grade edge")
    insert_orders(grade, category, (date(2025, 5, 10), 1000), (date(2025, 6, 28), 920))
    big = make_account(owner, "Big")
    insert_orders(big, valves, (date(2025, 6, 20), 1080))
    refresh_order_stats([a.id for a in (risk, new, fall, grade, big)])
    db.session.commit()
    _estimate(owner, fall, 2025, 36500)
    db.session.commit()
    return {"risk": risk, "new": new, "fall": fall, "grade": grade}


def test_figures_exactly_on_a_threshold(app, make_user, boundaries):
    from_app = _assert_equal(app, make_user("sales_lead"), JUNE_2025)
    assert from_app["lifecycle"] == {"active": 3, "new": 2}  # Risk edge active, New edge new
    assert from_app["abc"] == {"A": 2, "B": 1, "C": 2}
    assert from_app["needing_attention"] == 0
    assert from_app["health_grades"]["green"] >= 1


# Deliberate mistakes in the SQL, one rule each, with the portfolio and period that
# exercise the rule: the comparison must catch every one.
MISTAKES = {
    "a class boundary": ("boundaries", "< 80 * positive_revenue", "<= 80 * positive_revenue"),
    "the at-risk threshold": ("boundaries", "days_since_order * 200 > 3", "days_since_order * 200 >= 3"),
    "the lost-candidate threshold": ("portfolio", "days_since_order * 100 > 2", "days_since_order * 100 > 3"),
    "the new-client threshold": ("boundaries", "days_since_first * 100 <= cycle", "days_since_first * 100 < cycle"),
    "the category's median cycle": ("portfolio", "(accounts + 2) / 2)", "(accounts + 1) / 2)"),
    "the default cycle": ("portfolio", ":default_cycle_centidays)\n", "9100)\n"),
    "the as-of day": ("portfolio", "CASE WHEN last_day > :as_of_day THEN 0", "CASE WHEN last_day > :as_of_day THEN 1"),
    "the attention threshold": ("boundaries", "share_change_bp < -500", "share_change_bp <= -500"),
    "the estimate's scaling": ("portfolio", "* :{period}_days + 365) / 730", "* 365 + 365) / 730"),
    "the per-category share": ("portfolio", "ELSE pc.revenue_cents END", "ELSE period.revenue_cents END"),
    "a partial month": ("portfolio", ":{name}_tail_from AND :{name}_tail_to", ":{name}_tail_from AND :{name}_head_to"),
    "the VIP rule": ("portfolio", "revenue_12m_cents >= CAST", "revenue_12m_cents > 2 * CAST"),
    "the segment override": ("portfolio", "COALESCE(segment_override,", "COALESCE(NULL,"),
    "closed accounts": ("portfolio", "WHEN closed = 1 THEN 'closed'", "WHEN closed = 2 THEN 'closed'"),
    "the health grade": ("boundaries", ">= :green_from_tenths", "> :green_from_tenths"),
    "a health measure's weight": ("portfolio", "revenue_trend_score * :revenue_trend_weight", "revenue_trend_score * 2 * :revenue_trend_weight"),
    "the list order's ties": ("portfolio", "DESC, label COLLATE {binary}, ref", "DESC, LOWER(label), ref"),
    "the manager growth's rounding": ("portfolio", "{group_growth} AS growth_bp", "(revenue_cents - previous_cents) * 10000 / NULLIF(previous_cents, 0) AS growth_bp"),
    "half up as truncation (frequency)": ("ties", "{purchase_frequency} AS", "orders * 100 / NULLIF(buying, 0) AS"),
    "half up as truncation (cycles)": ("ties", "{cycles_since_order} AS", "days_since_order * 10000 / cycle_centidays AS"),
    "half up as truncation (share)": ("ties", "{share} AS share_bp", "share_counted_cents * 10000 / NULLIF(share_estimate_cents, 0) AS share_bp"),
}  # fmt: skip
PERIODS = {"portfolio": EDGES, "ties": JUNE_2025, "boundaries": JUNE_2025}


def _break(monkeypatch, right: str, mistake: str) -> None:  # noqa: ANN001
    """Put one mistake into the statement's templates (it must be found there once)."""
    templates = ("_ACCOUNTS", "_SUMMARY", "_WINDOW_TOTALS", "_CATEGORY_WALLET", "_SCALED")
    found = [name for name in templates if right in getattr(figures_sql, name)]
    assert len(found) == 1 and getattr(figures_sql, found[0]).count(right) == 1, right
    template = getattr(figures_sql, found[0])
    monkeypatch.setattr(figures_sql, found[0], template.replace(right, mistake))


@pytest.mark.parametrize("data", sorted(PERIODS))
def test_every_broken_rule_is_caught(app, make_user, monkeypatch, request, data):
    """Each mistake of ``MISTAKES`` for this data, one at a time, makes the SQL's
    figures differ from the app's (the data is built once, the app asked once)."""
    request.getfixturevalue(data)
    from_app = _from_app(app, make_user("sales_lead"), PERIODS[data])
    assert _differences(from_app, _from_sql(PERIODS[data])) == []
    missed = []
    for name, (data_for, right, mistake) in MISTAKES.items():
        if data_for != data:
            continue
        with monkeypatch.context() as patched:
            _break(patched, right, mistake)
            if not _differences(from_app, _from_sql(PERIODS[data])):
                missed.append(name)
    assert missed == []
