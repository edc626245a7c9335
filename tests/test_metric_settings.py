"""Segment rules, manual overrides, closed clients and stored health scores."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from click.testing import CliRunner
from flask.cli import ScriptInfo

from b2b_loyalty.extensions import db
from b2b_loyalty.models import AccountHealthScore, AuditEntry
from tests.test_metrics import (  # noqa: F401 - shared fixture helpers
    PERIOD,
    _orders,
    _report,
    portfolio,  # noqa: F401 - the fixture
)


def test_admin_sets_segment_rules_and_they_apply(client, login, make_user, app, portfolio):
    admin = make_user("admin")
    login(admin)
    assert client.get("/admin/metrics").status_code == 200
    response = client.post(
        "/admin/metrics", data={"rules-vip_min_revenue_12m": "1000", "rules-save": "1"}
    )
    assert response.status_code == 302
    report = _report(app, make_user("sales_lead"))
    steady = next(a for a in report.accounts if a.name == "Steady")
    # Trailing 12 months before 2025-12-31: 1,500 ≥ 1,000.
    assert steady.segment.segment.value == "vip" and "1,000.00" in steady.segment.reason
    assert db.session.query(AuditEntry).filter_by(entity="segment_rules").count() == 1


def test_bad_segment_rules_are_refused(client, login, make_user):
    login(make_user("admin"))
    response = client.post(
        "/admin/metrics", data={"rules-vip_min_revenue_12m": "-5", "rules-save": "1"}
    )
    assert response.status_code == 200 and "errors" in response.get_data(as_text=True)


def test_only_admin_opens_metric_settings(client, login, make_user):
    for role in ("account_manager", "sales_lead", "finance"):
        login(make_user(role))
        assert client.get("/admin/metrics").status_code == 403


def test_manager_overrides_segment_with_a_reason(client, login, app, make_user, portfolio):
    alice, steady = portfolio["alice"], portfolio["steady"]
    login(alice)
    missing_reason = client.post(
        f"/accounts/{steady.id}/status", data={"segment-segment": "difficult", "segment-save": "1"}
    )
    assert missing_reason.status_code == 422
    response = client.post(
        f"/accounts/{steady.id}/status",
        data={
            "segment-segment": "difficult",
            "segment-reason": "Disputes every invoice",
            "segment-save": "1",
        },
    )
    assert response.status_code == 302
    account = next(a for a in _report(app, alice).accounts if a.name == "Steady")
    assert (
        account.segment.segment.value == "difficult"
        and "Disputes every invoice" in account.segment.reason
    )
    login(make_user("sales_lead"))
    assert (
        client.post(
            f"/accounts/{steady.id}/status",
            data={"segment-segment": "vip", "segment-reason": "x", "segment-save": "1"},
        ).status_code
        == 403
    )
    login(portfolio["bob"])
    assert client.get(f"/accounts/{steady.id}/status").status_code == 404


def test_closed_client_is_closed_in_lifecycle(client, login, app, portfolio):
    login(portfolio["bob"])
    response = client.post(
        f"/accounts/{portfolio['gone'].id}/status",
        data={"closed-closed_on": "2025-06-30", "closed-reason": "Insolvent", "closed-save": "1"},
    )
    assert response.status_code == 302
    gone = next(a for a in _report(app, portfolio["bob"]).accounts if a.name == "Gone")
    assert gone.lifecycle.stage.value == "closed" and "Insolvent" in gone.lifecycle.reason
    assert gone.attention == []


def test_health_scores_are_stored_per_month_and_give_the_trend(
    app, client, api_headers, make_user, portfolio
):
    from b2b_loyalty.cli import main

    runner = CliRunner()
    result = runner.invoke(
        main, ["health-snapshot", "--month", "2025-11"], obj=ScriptInfo(create_app=lambda: app)
    )
    assert result.exit_code == 0, result.output
    assert "Stored 3 health scores for 2025-11" in result.output
    stored = db.session.query(AccountHealthScore).filter_by(period_start=date(2025, 11, 1)).all()
    assert len(stored) == 3 and all(s.measures for s in stored)
    report = _report(app, make_user("sales_lead"))
    steady = next(a for a in report.accounts if a.name == "Steady")
    previous = next(s.score for s in stored if s.account_id == steady.account_id)
    assert steady.health.previous == Decimal(str(previous))
    assert steady.health.trend.value in {"up", "down", "same"}
    body = client.get(
        f"/api/v1/accounts/{portfolio['steady'].id}/metrics",
        query_string={"period": PERIOD},
        headers=api_headers(make_user("sales_lead")),
    ).json
    keys = [m["key"] for m in body["health"]["measures"]]
    assert keys[:3] == ["revenue_trend", "share_trend", "order_recency"]
    assert body["health"]["grade"] in {"red", "amber", "green"}


def test_health_snapshot_rejects_a_bad_month(app):
    from b2b_loyalty.cli import main

    result = CliRunner().invoke(
        main, ["health-snapshot", "--month", "someday"], obj=ScriptInfo(create_app=lambda: app)
    )
    assert result.exit_code != 0
