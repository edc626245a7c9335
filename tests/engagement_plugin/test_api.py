"""/api/v1 routes of the engagement plugin: shapes, validation, record-level access."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from b2b_loyalty.extensions import db
from plugins.engagement.models import Interaction, SurveyResponse


@pytest.fixture
def manager(make_user):
    return make_user("account_manager")


@pytest.fixture
def headers(api_headers, manager):
    return api_headers(manager)


@pytest.fixture
def account(manager, make_account):
    return make_account(manager, "Nordwind AG")


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_post_and_list_interactions(client, headers, manager, account, add_people, today):
    boss, buyer = add_people(manager, account, {"name": "Eva"}, {"name": "Bo", "circle": 2})
    body = {
        "type": "meeting",
        "date": (today - timedelta(days=2)).isoformat(),
        "stakeholder_ids": [boss.id, buyer.id],
        "channel": "in_person",
        "summary": "Kick-off",
        "outcome": "Agreed on a pilot",
        "next_step": "Send the pilot plan",
        "next_step_due": (today + timedelta(days=5)).isoformat(),
    }
    created = client.post(f"/api/v1/accounts/{account.id}/interactions", json=body, headers=headers)
    assert created.status_code == 201, created.json
    assert {k: created.json[k] for k in body} == {
        **body,
        "stakeholder_ids": sorted([boss.id, buyer.id]),
    }
    assert created.json["created_by_id"] == manager.id
    listed = client.get(f"/api/v1/accounts/{account.id}/interactions", headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == created.json["id"]
    assert set(listed) == {"items", "page", "per_page", "total", "pages"}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"type": "lunch"}, "type"),
        ({"date": "yesterday"}, "date"),
        ({"date": "2999-01-01"}, "date"),
        ({"stakeholder_ids": []}, "stakeholder_ids"),
        ({"stakeholder_ids": ["x"]}, "stakeholder_ids"),
        ({"stakeholder_ids": [999999]}, "stakeholder_ids"),
        ({"stakeholder_ids": [10**30]}, "stakeholder_ids"),
        ({"our_people_ids": [10**30]}, "our_people_ids"),
        ({"summary": ""}, "summary"),
        ({"channel": "pigeon"}, "channel"),
        ({"next_step_due": "2000-01-01", "next_step": "x"}, "next_step_due"),
        ({"circel": 1}, "circel"),
    ],
)
def test_bad_interactions_are_422_and_write_nothing(
    client, headers, manager, account, add_people, today, change, field
):
    (person,) = add_people(manager, account, {})
    body = {
        "type": "call",
        "date": today.isoformat(),
        "stakeholder_ids": [person.id],
        "summary": "Call",
        **change,
    }
    response = client.post(
        f"/api/v1/accounts/{account.id}/interactions", json=body, headers=headers
    )
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"], response.json
    assert count(Interaction) == 0


def test_engagement_figures(client, headers, manager, account, add_people, log, today):
    boss, helper, it = add_people(
        manager,
        account,
        {"name": "Boss", "buying_role": "decision_maker", "influence": 5},
        {"name": "Helper", "circle": 2},
        {"name": "IT", "circle": 3},
    )
    log(manager, account, [boss], days_ago=3, type="meeting")
    log(manager, account, [boss], days_ago=400, type="email")
    client.post(
        f"/api/v1/stakeholders/{boss.id}/survey-responses",
        json={"score": 9, "date": today.isoformat()},
        headers=headers,
    )
    body = client.get(f"/api/v1/accounts/{account.id}/engagement", headers=headers).json
    assert body["account_id"] == account.id and body["as_of"] == today.isoformat()
    scores = {s["stakeholder_id"]: s for s in body["scores"]}
    assert scores[boss.id]["counted"]["interactions"] == 2
    assert scores[boss.id]["counted"]["by_type"] == {"meeting": 1, "email": 1}
    assert isinstance(scores[boss.id]["score"], str) and float(scores[boss.id]["score"]) > 4
    assert "2 interactions" in scores[boss.id]["explanation"]
    assert scores[it.id]["score"] == "0.00" and scores[it.id]["engaged"] is False
    assert body["coverage"]["1"] == {
        "known": 1,
        "engaged": 1,
        "ratio": "1.0000",
        "cadence_days": 30,
        "explanation": "1 of 1 known people in the first circle engaged within its cadence.",
    }
    assert body["coverage"]["3"]["ratio"] == "0.0000"
    assert body["multi_threading"]["people"] == 1
    assert body["influence_weighted_engagement"]["total_influence"] == 11
    kinds = {a["kind"] for a in body["alerts"]}
    assert {"single_threaded", "circle_gap"} <= kinds
    assert all(a["reason"] for a in body["alerts"])
    assert body["nps"]["value"] == "100.00" and body["nps"]["answers"] == 1
    assert body["nps"]["by_circle"]["1"]["promoters"] == 1
    assert len(body["nps"]["by_quarter"]) == 8
    past = client.get(
        f"/api/v1/accounts/{account.id}/engagement?as_of={(today - timedelta(days=10)).isoformat()}",
        headers=headers,
    ).json
    assert {s["stakeholder_id"]: s for s in past["scores"]}[boss.id]["counted"]["interactions"] == 1
    bad = client.get(f"/api/v1/accounts/{account.id}/engagement?as_of=soon", headers=headers)
    assert bad.status_code == 422
    # Days at the ends of the calendar: the quarters around them would leave it (was a 500).
    for far in ("9999-12-31", "0001-01-01"):
        bad = client.get(f"/api/v1/accounts/{account.id}/engagement?as_of={far}", headers=headers)
        assert bad.status_code == 422 and "as_of" in bad.json["error"]["fields"]


def test_survey_responses(client, headers, manager, account, add_people, today):
    (person,) = add_people(manager, account, {})
    url = f"/api/v1/stakeholders/{person.id}/survey-responses"
    created = client.post(
        url, json={"score": 6, "date": today.isoformat(), "comment": "Slow"}, headers=headers
    )
    assert created.status_code == 201
    assert created.json["score"] == 6 and created.json["stakeholder_id"] == person.id
    for bad in (
        {"score": 11, "date": today.isoformat()},
        {"score": -1, "date": today.isoformat()},
        {"score": 7.5, "date": today.isoformat()},
        {"score": 7, "date": (today + timedelta(days=1)).isoformat()},
        {"score": 7},
    ):
        response = client.post(url, json=bad, headers=headers)
        assert response.status_code == 422, bad
    assert count(SurveyResponse) == 1
    assert (
        client.post(
            "/api/v1/stakeholders/999999/survey-responses", json={}, headers=headers
        ).status_code
        == 404
    )


def test_api_needs_a_token_and_a_writing_role(
    client, api_headers, make_user, manager, account, add_people, today
):
    (person,) = add_people(manager, account, {})
    assert client.get(f"/api/v1/accounts/{account.id}/engagement").status_code == 401
    lead = api_headers(make_user("sales_lead"))
    assert client.get(f"/api/v1/accounts/{account.id}/engagement", headers=lead).status_code == 200
    body = {
        "type": "call",
        "date": today.isoformat(),
        "stakeholder_ids": [person.id],
        "summary": "x",
    }
    response = client.post(f"/api/v1/accounts/{account.id}/interactions", json=body, headers=lead)
    assert response.status_code == 403
    response = client.post(
        f"/api/v1/stakeholders/{person.id}/survey-responses",
        json={"score": 5, "date": today.isoformat()},
        headers=lead,
    )
    assert response.status_code == 403
    assert count(Interaction) == 0 and count(SurveyResponse) == 0


def test_ids_beyond_the_column_range_are_simply_not_found(client, headers):
    huge = 2**40
    assert client.get(f"/api/v1/accounts/{huge}/engagement", headers=headers).status_code == 404
    assert client.get(f"/api/v1/accounts/{huge}/interactions", headers=headers).status_code == 404
    response = client.post(
        f"/api/v1/stakeholders/{huge}/survey-responses", json={"score": 1}, headers=headers
    )
    assert response.status_code == 404
