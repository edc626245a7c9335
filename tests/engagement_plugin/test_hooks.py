"""What the plugin gives the core: facts, health measures, review sections, navigation,
demo data; and how it leaves when disabled."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import render_template
from sqlalchemy import delete, select

from b2b_loyalty.extensions import db
from b2b_loyalty.plugin_host import plugin_host
from plugins.engagement.models import (
    Interaction,
    StanceChangeRecord,
    SurveyResponse,
)


def ours(results):
    return [r for r in results if getattr(r, "source", "engagement") == "engagement"]


@pytest.fixture
def manager(make_user):
    return make_user("account_manager")


def test_facts_give_the_last_interaction_and_complaints_of_twelve_months(
    app, manager, make_account, add_people, log, today
):
    account = make_account(manager, "Facts AG")
    quiet = make_account(manager, "Quiet AG")
    (person,) = add_people(manager, account, {})
    log(manager, account, [person], days_ago=364, type="complaint")  # inside 365 days
    log(manager, account, [person], days_ago=365, type="complaint")  # outside
    log(manager, account, [person], days_ago=10, type="call")
    facts = ours(
        plugin_host(app).call("account_facts", account_ids=[account.id, quiet.id], as_of=today)
    )
    by_key = {(f.account_id, f.key): f.value for f in facts}
    assert by_key[(account.id, "last_interaction_on")] == today - timedelta(days=10)
    assert by_key[(account.id, "complaints_12m")] == 1
    assert by_key[(quiet.id, "last_interaction_on")] is None
    assert by_key[(quiet.id, "complaints_12m")] == 0
    earlier = ours(
        plugin_host(app).call(
            "account_facts", account_ids=[account.id], as_of=today - timedelta(days=100)
        )
    )
    assert {f.key: f.value for f in earlier}["last_interaction_on"] == today - timedelta(days=364)


def test_health_measures_are_scored_0_to_100_with_what_they_counted(
    app, manager, make_account, add_people, log, today
):
    from plugins.engagement.services.surveys import record_survey_response

    account = make_account(manager, "Health AG")
    empty = make_account(manager, "Empty AG")
    a, b = add_people(manager, account, {"circle": 1}, {"circle": 2})
    log(manager, account, [a], days_ago=5)
    record_survey_response(manager, a, {"score": 10, "date": today})
    record_survey_response(manager, b, {"score": 3, "date": today})
    measures = ours(
        plugin_host(app).call(
            "account_health_measures", account_ids=[account.id, empty.id], as_of=today
        )
    )
    by_key = {(m.account_id, m.key): m for m in measures}
    coverage = by_key[(account.id, "engagement_coverage")]
    assert coverage.score == Decimal("50.00")
    assert coverage.explanation.startswith("1 of 2 known people engaged")
    nps = by_key[(account.id, "nps")]
    assert nps.score == Decimal("50.00")  # NPS 0 on −100..100 is 50 on 0..100
    assert "1 promoters" in nps.explanation
    assert by_key[(empty.id, "engagement_coverage")].score == 0
    assert (empty.id, "nps") not in by_key  # no answers: no measure rather than a made-up one
    assert all(Decimal(0) <= m.score <= Decimal(100) for m in measures)


def test_review_section_renders_the_map_coverage_alerts_and_nps(
    app, manager, make_account, add_people, log, today
):
    from plugins.engagement.services.stances import change_stance

    account = make_account(manager, "Review AG")
    boss, other = add_people(
        manager, account, {"name": "Rita Review", "stance": "skeptic"}, {"circle": 3}
    )
    log(manager, account, [boss], days_ago=20, type="meeting")
    change_stance(manager, account, boss, "supporter", 4)
    sections = ours(
        plugin_host(app).call(
            "review_sections",
            account=account,
            period_start=today - timedelta(days=90),
            period_end=today,
            user=manager,
        )
    )
    (section,) = [s for s in sections if s.key.startswith("engagement.")]
    assert section.weight == 40
    with app.test_request_context():
        html = render_template(section.template, ctx=section.context, account=account)
    assert "engagement-circle-map" in html and "Rita Review" in html
    assert "1 meeting" in html
    assert "Skeptic → Supporter" in html
    assert "Warning signs" in html and "Circle not reached" in html


def test_navigation_entries_by_role(client, login, make_user):
    manager = make_user("account_manager")
    login(manager)
    page = client.get("/accounts/").get_data(as_text=True)
    assert 'href="/engagement/my-week"' in page
    assert 'href="/engagement/portfolio"' not in page
    login(make_user("sales_lead"))
    page = client.get("/accounts/").get_data(as_text=True)
    assert 'href="/engagement/portfolio"' in page
    assert 'href="/engagement/my-week"' not in page


@pytest.mark.parametrize("plugins", ["tenure_pricing", "none"])
def test_disabling_the_plugin_removes_its_screens_and_alerts(make_app, plugins):
    from b2b_loyalty.services.accounts import create_account
    from b2b_loyalty.services.users import create_user, issue_api_token
    from tests.conftest import PASSWORD

    app = make_app(B2B_LOYALTY_PLUGINS=plugins)
    with app.app_context():
        assert "engagement" not in plugin_host(app).enabled
        user = create_user("off@example.com", "Off", "account_manager", PASSWORD)
        account = create_account(user, {"name": "Still Works AG"})
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        page = client.get(f"/accounts/{account.id}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "circle map" not in html.lower() and "/engagement/" not in html
        assert "My week" not in client.get("/accounts/").get_data(as_text=True)
        assert client.get("/engagement/my-week").status_code == 404
        assert client.get(f"/engagement/accounts/{account.id}").status_code == 404
        token = issue_api_token(user)
        headers = {"Authorization": f"Bearer {token}"}
        assert (
            client.get(f"/api/v1/accounts/{account.id}/engagement", headers=headers).status_code
            == 404
        )
        alerts = plugin_host(app).call(
            "account_alerts", account_ids=[account.id], as_of=date.today()
        )
        assert not [a for a in alerts if a.source == "engagement"]


def test_settings_come_from_configuration_and_bad_ones_stop_the_start(make_app):
    from plugins.engagement.domain.settings import SettingsError
    from plugins.engagement.figures import current_settings

    app = make_app(ENGAGEMENT_HALF_LIFE_DAYS=30, ENGAGEMENT_CADENCE_DAYS="14,60,120")
    with app.app_context():
        settings = current_settings()
        assert settings.half_life_days == 30
        assert dict(settings.cadence_days) == {1: 14, 2: 60, 3: 120}
    with pytest.raises(SettingsError, match="ENGAGEMENT_HALF_LIFE_DAYS"):
        make_app(ENGAGEMENT_HALF_LIFE_DAYS="never")


def _snapshot():
    interactions = db.session.scalars(select(Interaction).order_by(Interaction.id)).all()
    return (
        [
            (
                i.account_id,
                i.type,
                i.occurred_on,
                i.summary,
                i.next_step_due,
                tuple(i.stakeholder_ids),
            )
            for i in interactions
        ],
        db.session.execute(
            select(
                SurveyResponse.stakeholder_id, SurveyResponse.answered_on, SurveyResponse.score
            ).order_by(SurveyResponse.id)
        ).all(),
        db.session.execute(
            select(
                StanceChangeRecord.stakeholder_id,
                StanceChangeRecord.changed_on,
                StanceChangeRecord.stance_after,
            ).order_by(StanceChangeRecord.id)
        ).all(),
    )


def test_demo_data_is_deterministic_and_gives_the_alerts_something_to_say(app):
    from b2b_loyalty.demo_data import build_demo
    from b2b_loyalty.models import Account
    from plugins.engagement.demo import build_engagement_demo

    as_of = date(2026, 11, 26)
    build_demo(as_of)
    first = _snapshot()
    assert len(first[0]) > 300 and len(first[1]) > 20 and len(first[2]) > 100
    assert all(day <= as_of for _, _, day, *_ in first[0])
    for model in (Interaction, SurveyResponse, StanceChangeRecord):
        db.session.execute(delete(model))
    db.session.flush()
    build_engagement_demo(as_of)
    db.session.flush()
    assert _snapshot() == first
    db.session.commit()
    ids = db.session.scalars(select(Account.id)).all()
    alerts = ours(plugin_host(app).call("account_alerts", account_ids=ids, as_of=as_of))
    kinds = Counter(a.key.split(".")[1] for a in alerts)
    for kind in (
        "single_threaded",
        "silent_key_person",
        "circle_gap",
        "key_person_left",
        "influential_blocker",
        "over_contact",
        "falling_nps",
    ):
        assert kinds[kind] >= 1, kinds


def test_health_measures_of_many_accounts_equal_the_full_figures(
    app, manager, make_account, add_people, log, today
):
    """The health hook reads many accounts through the lean path (active people's last
    contacts, the NPS window's answers); it must give what the full figures give: the
    same overall coverage and NPS per account, overrides and inactive people included."""
    from plugins.engagement.figures import (
        engagement_of_accounts,
        health_figures_of_accounts,
    )
    from plugins.engagement.services.cadence import set_cadence_overrides
    from plugins.engagement.services.surveys import record_survey_response

    first = make_account(manager, "Lean One AG")
    second = make_account(manager, "Lean Two AG")
    nobody = make_account(manager, "Lean Nobody AG")
    a, b, c, _never_met_either, gone = add_people(
        manager,
        first,
        {"circle": 1},
        {"circle": 2},
        {"circle": 3},
        {"circle": 3},  # counted in one row with c: same circle, never contacted
        {"circle": 1, "active": False},
    )
    (d,) = add_people(manager, second, {"circle": 2})
    log(manager, first, [a, gone], days_ago=3)
    log(manager, first, [b], days_ago=120)  # outside circle 2's default cadence ...
    set_cadence_overrides(manager, first, {2: 150})  # ... inside this override
    log(manager, second, [d], days_ago=200)
    record_survey_response(manager, a, {"score": 9, "date": today})
    record_survey_response(manager, c, {"score": 2, "date": today - timedelta(days=10)})
    ids = [first.id, second.id, nobody.id]

    lean = health_figures_of_accounts(ids, today)
    full = engagement_of_accounts(ids, today)
    for account_id in ids:
        assert lean[account_id] == (full[account_id].coverage.overall, full[account_id].nps)
    coverage, nps = lean[first.id]
    assert (coverage.known, coverage.engaged) == (
        4,
        2,
    )  # a and b (override); c and her colleague never met
    assert (nps.promoters, nps.detractors) == (1, 1)
    assert lean[second.id][0].engaged == 0 and lean[nobody.id][0].known == 0
