"""The engagement pages: quick entry, editing with history, stance, NPS, cadence, the map."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import AuditEntry
from b2b_loyalty.services.security_audit import SECURITY_ACTIONS
from plugins.engagement.models import (
    CadenceOverride,
    Interaction,
    StanceChangeRecord,
    SurveyResponse,
)
from tests.engagement_plugin.test_circle_map import check_dots_in_their_rings


@pytest.fixture
def manager(make_user):
    return make_user("account_manager")


@pytest.fixture
def account(manager, make_account):
    return make_account(manager, "Hartmann GmbH")


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg .*?</svg>", html, re.S)]


def the_map(html: str) -> ET.Element:
    maps = [s for s in svgs(html) if "engagement-circle-map" in s.get("class", "")]
    assert maps, "no circle map on the page"
    return maps[0]


@pytest.mark.parametrize("n_people", [0, 1, 40])
def test_account_page_and_panel_draw_one_dot_per_active_person(
    client, login, manager, account, add_people, n_people
):
    specs = [{"circle": 1 + i % 3, "influence": 1 + i % 5} for i in range(n_people)]
    made = add_people(manager, account, *specs)
    if n_people:
        add_people(manager, account, {"name": "Gone Person", "active": False})
    login(manager)
    for path in (f"/accounts/{account.id}", f"/engagement/accounts/{account.id}"):
        response = client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        dots = check_dots_in_their_rings(the_map(html))
        assert sorted(int(d.get("data-stakeholder-id")) for d in dots) == sorted(p.id for p in made)
        assert "Gone Person" not in ET.tostring(the_map(html), encoding="unicode")
    assert "List view" in html


def test_quick_entry_from_the_account_page_logs_an_interaction(
    client, login, manager, account, add_people, today
):
    boss, buyer = add_people(manager, account, {"name": "Eva Boss"}, {"name": "Bo Buyer"})
    login(manager)
    page = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "Log interaction" in page
    response = client.post(
        f"/engagement/accounts/{account.id}/interactions/new?next=/accounts/{account.id}",
        data={
            "type": "meeting",
            "date": today.isoformat(),
            "stakeholder_ids": [boss.id, buyer.id],
            "our_people_ids": [manager.id],
            "summary": "Annual review",
            "next_step": "Send the offer",
            "next_step_due": (today + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/accounts/{account.id}")
    interaction = db.session.scalar(select(Interaction))
    assert interaction.stakeholder_ids == sorted([boss.id, buyer.id])
    assert [u.id for u in interaction.colleagues] == [manager.id]
    assert interaction.created_by_id == manager.id
    page = client.get(f"/engagement/accounts/{account.id}").get_data(as_text=True)
    assert "Annual review" in page and "Send the offer" in page


def test_quick_entry_from_a_stakeholder_preselects_them(
    client, login, manager, account, add_people
):
    (person,) = add_people(manager, account, {"name": "Pia Picked"})
    login(manager)
    page = client.get(
        f"/engagement/accounts/{account.id}/interactions/new?stakeholder_id={person.id}"
    ).get_data(as_text=True)
    assert re.search(rf'<option selected value="{person.id}">|value="{person.id}" selected', page)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"type": "lunch"}, "type"),
        ({"date": ""}, "date"),
        ({"summary": ""}, "summary"),
        ({"stakeholder_ids": []}, "stakeholder_ids"),
        ({"next_step": "", "next_step_due": "2020-01-01"}, "next_step"),
    ],
)
def test_bad_interaction_input_shows_errors_and_writes_nothing(
    client, login, manager, account, add_people, today, change, field
):
    (person,) = add_people(manager, account, {})
    login(manager)
    data = {
        "type": "call",
        "date": today.isoformat(),
        "stakeholder_ids": [person.id],
        "summary": "Call",
        **change,
    }
    response = client.post(f"/engagement/accounts/{account.id}/interactions/new", data=data)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert count(Interaction) == 0


def test_future_dated_and_foreign_people_are_refused(
    client, login, manager, account, add_people, make_account, today
):
    (person,) = add_people(manager, account, {})
    other = make_account(manager, "Other Ltd")
    (stranger,) = add_people(manager, other, {})
    login(manager)
    base = {"type": "call", "stakeholder_ids": [person.id], "summary": "Call"}
    future = client.post(
        f"/engagement/accounts/{account.id}/interactions/new",
        data={**base, "date": (today + timedelta(days=1)).isoformat()},
    )
    assert future.status_code == 422
    assert "cannot be in the future" in future.get_data(as_text=True)
    foreign = client.post(
        f"/engagement/accounts/{account.id}/interactions/new",
        data={**base, "date": today.isoformat(), "stakeholder_ids": [stranger.id]},
    )
    assert foreign.status_code == 422
    assert "Not a person at this account" in foreign.get_data(as_text=True)
    assert count(Interaction) == 0


def test_editing_keeps_who_changed_what(
    client, login, manager, make_user, account, add_people, log, today
):
    first, second = add_people(manager, account, {"name": "A"}, {"name": "B"})
    interaction = log(manager, account, [first], type="call", summary="First words")
    teammate = make_user("account_manager", name="Tina Teammate")
    from b2b_loyalty.services.accounts import update_account

    update_account(manager, account, {"team_ids": [teammate.id]})
    login(teammate)
    response = client.post(
        f"/engagement/accounts/{account.id}/interactions/{interaction.id}/edit",
        data={
            "type": "meeting",
            "date": today.isoformat(),
            "stakeholder_ids": [first.id, second.id],
            "summary": "Better words",
        },
    )
    assert response.status_code == 302
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.not_in(SECURITY_ACTIONS)).order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == ["create", "update"]
    update = entries[-1]
    assert update.actor_id == teammate.id and update.entity_id == interaction.id
    assert update.before == {
        "type": "call",
        "stakeholder_ids": [first.id],
        "summary": "First words",
    }
    assert update.after["stakeholder_ids"] == [first.id, second.id]
    page = client.get(
        f"/engagement/accounts/{account.id}/interactions/{interaction.id}/edit"
    ).get_data(as_text=True)
    assert "Who changed what" in page and "Tina Teammate" in page and "First words" in page
    db.session.expire_all()
    assert db.session.get(Interaction, interaction.id).updated_by_id == teammate.id


def test_next_step_done_and_delete(client, login, manager, account, add_people, log, today):
    (person,) = add_people(manager, account, {})
    interaction = log(manager, account, [person], next_step="Call back", next_step_due=today)
    login(manager)
    url = f"/engagement/accounts/{account.id}/interactions/{interaction.id}"
    assert client.post(f"{url}/done?next=/engagement/my-week").status_code == 302
    db.session.expire_all()
    assert db.session.get(Interaction, interaction.id).next_step_done_on == today
    assert client.get(f"{url}/delete").status_code == 200
    assert client.post(f"{url}/delete").status_code == 302
    assert count(Interaction) == 0
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.action.not_in(SECURITY_ACTIONS))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["create", "complete_next_step", "delete"]


def test_stance_change_is_recorded_with_its_history(client, login, manager, account, add_people):
    (person,) = add_people(manager, account, {"name": "Sam Skeptic", "stance": "skeptic"})
    login(manager)
    url = f"/engagement/accounts/{account.id}/people/{person.id}"
    response = client.post(
        f"{url}/stance", data={"stance": "supporter", "influence": 4, "note": "Site visit"}
    )
    assert response.status_code == 302
    rows = db.session.scalars(select(StanceChangeRecord).order_by(StanceChangeRecord.id)).all()
    assert [(r.stance_before, r.stance_after) for r in rows] == [
        (None, "skeptic"),  # the seed: the stance when tracking began
        ("skeptic", "supporter"),
    ]
    assert rows[-1].changed_by_id == manager.id and rows[-1].influence_after == 4
    db.session.expire_all()
    assert (person.stance, person.influence) == ("supporter", 4)  # the core fields changed
    page = client.get(url).get_data(as_text=True)
    assert "Skeptic →" in page and "Site visit" in page
    account_page = client.get(f"/engagement/accounts/{account.id}").get_data(as_text=True)
    assert "Skeptic → Supporter" in account_page  # "who moved"
    # A bad influence writes nothing.
    assert (
        client.post(f"{url}/stance", data={"stance": "champion", "influence": 9}).status_code == 303
    )
    assert count(StanceChangeRecord) == 2


def test_nps_answer_form(client, login, manager, account, add_people, today):
    (person,) = add_people(manager, account, {})
    login(manager)
    url = f"/engagement/accounts/{account.id}/people/{person.id}/survey-responses/new"
    assert client.get(url).status_code == 200
    bad = client.post(url, data={"score": 11, "date": today.isoformat()})
    assert bad.status_code == 422 and count(SurveyResponse) == 0
    good = client.post(url, data={"score": 9, "date": today.isoformat(), "comment": "Great"})
    assert good.status_code == 302
    page = client.get(f"/engagement/accounts/{account.id}").get_data(as_text=True)
    assert "1 answers: 1 promoters, 0 detractors" in page


def test_cadence_override_per_account(client, login, manager, account, add_people, log):
    (person,) = add_people(manager, account, {"circle": 3})
    log(manager, account, [person], days_ago=200)
    login(manager)
    page = client.get(f"/engagement/accounts/{account.id}").get_data(as_text=True)
    gap = "the only person known in the third circle, was not contacted within its cadence"
    assert gap in page
    url = f"/engagement/accounts/{account.id}/cadence"
    assert client.post(url, data={"circle_3": "0"}).status_code == 422
    assert count(CadenceOverride) == 0
    assert client.post(url, data={"circle_3": "365"}).status_code == 302
    page = client.get(f"/engagement/accounts/{account.id}").get_data(as_text=True)
    assert "circle 3 yearly (365 days) (account" in page
    assert gap not in page
    assert client.post(url, data={"circle_3": ""}).status_code == 302
    assert count(CadenceOverride) == 0


def test_stakeholder_page_shows_score_and_timeline(
    client, login, manager, account, add_people, log
):
    (person,) = add_people(manager, account, {"name": "Tim Line"})
    log(manager, account, [person], days_ago=7, type="meeting", summary="Plant tour")
    log(manager, account, [person], days_ago=400, type="email", summary="Old mail")
    login(manager)
    page = client.get(f"/engagement/accounts/{account.id}/people/{person.id}").get_data(
        as_text=True
    )
    assert "Plant tour" in page and "Old mail" in page
    assert page.index("Plant tour") < page.index("Old mail")
    assert "2 interactions (1 meeting, 1 e-mail)" in page


def test_read_only_roles_see_but_cannot_write(
    client, login, make_user, manager, account, add_people, today
):
    (person,) = add_people(manager, account, {})
    lead = make_user("sales_lead")
    login(lead)
    assert client.get(f"/engagement/accounts/{account.id}").status_code == 200
    assert client.get("/engagement/portfolio").status_code == 200
    page = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "Log interaction" not in page
    response = client.post(
        f"/engagement/accounts/{account.id}/interactions/new",
        data={"type": "call", "date": today.isoformat(), "stakeholder_ids": [person.id]},
    )
    assert response.status_code == 403
    assert count(Interaction) == 0


def test_timeline_pages_show_each_answer_once(
    client, login, manager, account, add_people, log, today
):
    from plugins.engagement.services.surveys import record_survey_response

    (person,) = add_people(manager, account, {})
    for k in range(25):
        log(manager, account, [person], days_ago=10 * k, summary=f"Touch {k:02d}")
    for days_ago, score in ((5, 9), (195, 3), (235, 7)):  # page 1, page 1/2 gap, page 2
        record_survey_response(
            manager, person, {"score": score, "date": today - timedelta(days=days_ago)}
        )
    login(manager)
    url = f"/engagement/accounts/{account.id}/people/{person.id}"
    first = client.get(url).get_data(as_text=True)
    second = client.get(f"{url}?page=2").get_data(as_text=True)
    shown = [page.count("NPS answer</div>") for page in (first, second)]
    assert sum(shown) == 3, shown
    assert "<strong>9</strong>/10" in first and "<strong>7</strong>/10" in second
