"""Record-level access: a manager reaches only their own accounts' engagement, pages and API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from b2b_loyalty.extensions import db
from plugins.engagement.models import Interaction, SurveyResponse


@pytest.fixture
def setup(make_user, make_account, add_people, log, today):
    mine = make_user("account_manager", name="Mia Mine")
    other = make_user("account_manager", name="Otto Other")
    my_account = make_account(mine, "Mine AG")
    their_account = make_account(other, "Theirs AG")
    (my_person,) = add_people(mine, my_account, {"name": "My Contact"})
    (their_person,) = add_people(other, their_account, {"name": "Their Contact"})
    log(mine, my_account, [my_person], days_ago=60, next_step="Mine step", next_step_due=today)
    theirs = log(
        other,
        their_account,
        [their_person],
        days_ago=60,
        next_step="Their step",
        next_step_due=today,
    )
    return mine, other, my_account, their_account, their_person, theirs


def test_manager_gets_404_for_another_managers_account_pages(client, login, setup, today):
    mine, _, _, theirs, their_person, interaction = setup
    login(mine)
    base = f"/engagement/accounts/{theirs.id}"
    for path in (
        base,
        f"{base}/cadence",
        f"{base}/interactions/new",
        f"{base}/interactions/{interaction.id}/edit",
        f"{base}/interactions/{interaction.id}/delete",
        f"{base}/people/{their_person.id}",
        f"{base}/people/{their_person.id}/survey-responses/new",
    ):
        assert client.get(path).status_code == 404, path
    posts = {
        f"{base}/interactions/new": {
            "type": "call",
            "date": today.isoformat(),
            "stakeholder_ids": [their_person.id],
            "summary": "Sneaky",
        },
        f"{base}/interactions/{interaction.id}/done": {},
        f"{base}/interactions/{interaction.id}/delete": {},
        f"{base}/people/{their_person.id}/stance": {"stance": "blocker", "influence": 5},
        f"{base}/people/{their_person.id}/survey-responses/new": {
            "score": 0,
            "date": today.isoformat(),
        },
        f"{base}/cadence": {"circle_1": 5},
    }
    for path, data in posts.items():
        assert client.post(path, data=data).status_code == 404, path
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Interaction)) == 2
    assert db.session.get(Interaction, interaction.id).next_step_done_on is None
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_my_interaction_cannot_name_another_managers_person(client, login, setup, today):
    mine, _, my_account, _, their_person, _ = setup
    login(mine)
    response = client.post(
        f"/engagement/accounts/{my_account.id}/interactions/new",
        data={
            "type": "call",
            "date": today.isoformat(),
            "stakeholder_ids": [their_person.id],
            "summary": "x",
        },
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Interaction)) == 2


def test_manager_gets_404_for_another_managers_account_through_the_api(
    client, api_headers, setup, today
):
    mine, _, _, theirs, their_person, _ = setup
    headers = api_headers(mine)
    for path in (
        f"/api/v1/accounts/{theirs.id}/interactions",
        f"/api/v1/accounts/{theirs.id}/engagement",
    ):
        assert client.get(path, headers=headers).status_code == 404, path
    body = {"type": "call", "date": today.isoformat(), "stakeholder_ids": [their_person.id]}
    assert (
        client.post(
            f"/api/v1/accounts/{theirs.id}/interactions", json=body, headers=headers
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/stakeholders/{their_person.id}/survey-responses",
            json={"score": 1, "date": today.isoformat()},
            headers=headers,
        ).status_code
        == 404
    )


def test_my_week_lists_only_my_accounts(client, login, setup):
    mine, other, *_ = setup
    login(mine)
    page = client.get("/engagement/my-week").get_data(as_text=True)
    assert "Mine step" in page and "Mine AG" in page
    assert "Their step" not in page and "Theirs AG" not in page and "Their Contact" not in page
    login(other)
    page = client.get("/engagement/my-week").get_data(as_text=True)
    assert "Their step" in page and "Mine step" not in page


def test_team_members_share_the_account_and_my_week(client, login, make_user, setup, today):
    mine, _, my_account, *_ = setup
    from b2b_loyalty.services.accounts import update_account

    helper = make_user("account_manager")
    update_account(mine, my_account, {"team_ids": [helper.id]})
    login(helper)
    assert client.get(f"/engagement/accounts/{my_account.id}").status_code == 200
    assert "Mine step" in client.get("/engagement/my-week").get_data(as_text=True)


def test_leadership_sees_every_account_in_the_portfolio(client, login, make_user, setup):
    lead = make_user("sales_lead")
    login(lead)
    page = client.get("/engagement/portfolio").get_data(as_text=True)
    assert "Mine AG" in page and "Theirs AG" in page
    assert "Summary of 2 accounts" in page
    mine = setup[0]
    login(mine)
    page = client.get("/engagement/portfolio").get_data(as_text=True)
    assert "Mine AG" in page and "Theirs AG" not in page  # a manager sees only theirs
    filtered = client.get(f"/engagement/portfolio?owner={setup[1].id}").get_data(as_text=True)
    assert "Theirs AG" not in filtered
    # An owner id beyond INTEGER is no owner, not a database error (was a 500).
    huge = client.get(f"/engagement/portfolio?owner={10**30}")
    assert huge.status_code == 200 and "Mine AG" in huge.get_data(as_text=True)


def test_alerts_hook_is_batched_and_sees_every_account_outside_a_request(app, setup):
    from datetime import date

    from b2b_loyalty.plugin_host import plugin_host

    _, _, my_account, theirs, *_ = setup
    alerts = plugin_host(app).call(
        "account_alerts", account_ids=[my_account.id, theirs.id], as_of=date.today()
    )
    mine = [a for a in alerts if a.source == "engagement"]
    assert {a.account_id for a in mine} == {my_account.id, theirs.id}
    assert all(a.message and a.key.startswith("engagement.") for a in mine)
