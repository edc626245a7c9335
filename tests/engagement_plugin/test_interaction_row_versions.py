"""Concurrent edits of interactions: a stale edit or delete is refused, the first edit stays.

Interactions carry ``version`` (their ``row_version``, revision eng0002). Two people
open an interaction's form; the first saves; the second, still on the version it
read, gets the form again (409) with the current values and nothing of theirs is
saved. A deletion confirmed on an outdated page deletes nothing. A change that loses
a race with one committed between loading and flushing is refused the same way.
"""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select, update

from b2b_loyalty.extensions import db
from plugins.engagement.models import Interaction
from tests.test_optimistic_locking import hidden_inputs, logged_in_client


@pytest.fixture
def manager(make_user):
    return make_user("account_manager")


@pytest.fixture
def teammate(make_user):
    return make_user("account_manager", name="Tina Teammate")


@pytest.fixture
def account(manager, teammate, make_account):
    return make_account(manager, "Versioned Talks AG", team_ids=[teammate.id])


@pytest.fixture
def talk(manager, account, add_people, log):
    (person,) = add_people(manager, account, {})
    return log(manager, account, [person], type="call", summary="First words"), person


def stored_summary(interaction_id: int) -> str | None:
    with db.engine.connect() as conn:
        table = Interaction.__table__
        return conn.execute(
            select(table.c.summary).where(table.c.id == interaction_id)
        ).scalar_one_or_none()


def stamp_of(page: str) -> dict[str, str]:
    """The edit stamp ``page`` carries (its version and the values it showed)."""
    hidden = hidden_inputs(page)
    return {key: hidden[key] for key in ("stamp-row_version", "stamp-loaded")}


def test_page_second_editor_gets_the_form_back_and_the_first_edit_stays(
    app, manager, teammate, account, talk, today
):
    """Catches a stale interaction form saving over a colleague's edit without a word."""
    interaction, person = talk
    url = f"/engagement/accounts/{account.id}/interactions/{interaction.id}/edit"
    first, second = logged_in_client(app, manager), logged_in_client(app, teammate)
    stamps = [stamp_of(c.get(url).get_data(as_text=True)) for c in (first, second)]
    form = {"type": "call", "date": today.isoformat(), "stakeholder_ids": [person.id]}
    saved = first.post(url, data={**form, **stamps[0], "summary": "Agreed the volumes"})
    assert saved.status_code == 302
    refused = second.post(url, data={**form, **stamps[1], "summary": "Lost the deal"})
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409
    assert "Someone else saved this interaction" in page
    assert "now “Agreed the volumes”; you had entered “Lost the deal”" in page
    assert "Agreed the volumes</textarea>" in page  # the form shows the current summary
    assert stored_summary(interaction.id) == "Agreed the volumes"
    # Sent again from the refilled form (which carries the new version), it saves.
    again = second.post(
        url,
        data={
            **form,
            **stamp_of(refused.get_data(as_text=True)),
            "summary": "Lost the deal after all",
        },
    )
    assert again.status_code == 302
    assert stored_summary(interaction.id) == "Lost the deal after all"


def test_a_change_that_loses_a_race_is_refused(app, manager, account, talk, today, monkeypatch):
    """Catches an edit flushed over one committed after it was loaded (StaleDataError)."""
    from plugins.engagement.services import interactions as service

    interaction, person = talk
    url = f"/engagement/accounts/{account.id}/interactions/{interaction.id}/edit"
    client = logged_in_client(app, manager)
    stamp = stamp_of(client.get(url).get_data(as_text=True))
    real_check = service.check_row_version

    def check_then_lose_the_race(record, sent_version):  # noqa: ANN001, ANN202
        real_check(record, sent_version)
        table = Interaction.__table__
        with db.engine.begin() as conn:
            conn.execute(
                update(table)
                .where(table.c.id == interaction.id)
                .values(summary="Theirs", row_version=table.c.row_version + 1)
            )

    monkeypatch.setattr(service, "check_row_version", check_then_lose_the_race)
    form = {"type": "call", "date": today.isoformat(), "stakeholder_ids": [person.id]}
    response = client.post(url, data={**form, **stamp, "summary": "Mine"})
    assert response.status_code == 409
    assert stored_summary(interaction.id) == "Theirs"


def test_a_deletion_confirmed_on_an_outdated_page_deletes_nothing(
    app, manager, teammate, account, talk, today
):
    """Catches a delete of an interaction someone changed after the confirmation opened."""
    interaction, person = talk
    base = f"/engagement/accounts/{account.id}/interactions/{interaction.id}"
    deleter, editor = logged_in_client(app, manager), logged_in_client(app, teammate)
    confirm = deleter.get(f"{base}/delete").get_data(as_text=True)
    assert 'name="row_version" type="hidden" value="1"' in confirm
    edit_page = editor.get(f"{base}/edit").get_data(as_text=True)
    edited = editor.post(
        f"{base}/edit",
        data={
            "type": "call",
            "date": today.isoformat(),
            "stakeholder_ids": [person.id],
            "summary": "Changed meanwhile",
            **stamp_of(edit_page),
        },
    )
    assert edited.status_code == 302
    refused = deleter.post(f"{base}/delete", data={"row_version": "1"}, follow_redirects=True)
    assert "Nothing was deleted" in refused.get_data(as_text=True)
    assert stored_summary(interaction.id) == "Changed meanwhile"
    deleted = deleter.post(f"{base}/delete", data={"row_version": "2"})
    assert deleted.status_code == 302 and stored_summary(interaction.id) is None
