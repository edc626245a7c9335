"""Deleting a record someone changed after you read it (issue 9: nothing lost unseen).

A DELETE may name the version it read (``?version=N``); a page's delete button always
does (the version its confirmation page showed). If the record changed since, nothing
is deleted: 409 with what changed, or the page says so. A DELETE without a version
still deletes, as before (old clients); the ORM's ``WHERE row_version`` still guards
the race between loading and deleting.
"""

from __future__ import annotations

import html

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Stakeholder
from b2b_loyalty.services.stakeholders import create_stakeholder
from tests.test_optimistic_locking import (  # noqa: F401 - fixtures
    account,
    hidden_inputs,
    logged_in_client,
    manager,
    teammate,
)


def _exists(model: type, record_id: int) -> bool:
    db.session.expire_all()
    return db.session.get(model, record_id) is not None


def test_api_delete_of_a_changed_record_is_a_409_and_deletes_nothing(
    client, api_headers, manager, teammate, account
):
    """Would catch a DELETE that ignores the version it names (a colleague's edit
    deleted unseen)."""
    person_id = create_stakeholder(manager, account, {"name": "Olga", "circle": 1}).id
    url = f"/api/v1/accounts/{account.id}/stakeholders/{person_id}"
    read = client.get(url, headers=api_headers(teammate)).json
    changed = client.patch(
        url, json={"title": "CFO", "version": read["version"]}, headers=api_headers(manager)
    )
    assert changed.status_code == 200

    refused = client.delete(f"{url}?version={read['version']}", headers=api_headers(teammate))
    assert refused.status_code == 409, refused.json
    conflict = refused.json["error"]["conflict"]
    assert conflict["sent_version"] == read["version"]
    assert conflict["current_version"] == changed.json["version"]
    assert conflict["current"]["title"] == "CFO"
    assert _exists(Stakeholder, person_id)

    junk = client.delete(f"{url}?version=first", headers=api_headers(teammate))
    assert junk.status_code == 422 and "version" in junk.json["error"]["fields"]
    assert _exists(Stakeholder, person_id)

    current = client.delete(
        f"{url}?version={changed.json['version']}", headers=api_headers(teammate)
    )
    assert current.status_code == 204
    assert not _exists(Stakeholder, person_id)


def test_api_account_delete_names_its_version_and_old_clients_still_delete(
    client, api_headers, manager, teammate, account, make_account
):
    url = f"/api/v1/accounts/{account.id}"
    read = client.get(url, headers=api_headers(teammate)).json
    client.patch(
        url, json={"region": "South", "version": read["version"]}, headers=api_headers(manager)
    )
    refused = client.delete(f"{url}?version={read['version']}", headers=api_headers(teammate))
    assert refused.status_code == 409
    assert _exists(Account, account.id)

    other_id = make_account(manager, "Old Client Ltd").id
    assert (
        client.delete(f"/api/v1/accounts/{other_id}", headers=api_headers(manager)).status_code
        == 204
    )
    assert not _exists(Account, other_id)


def test_page_delete_after_someone_changed_the_record_deletes_nothing(
    app, manager, teammate, account
):
    """The confirmation page carries the version it showed; a colleague's edit in
    between makes the delete button refuse (would catch a confirm form that forgets
    the version, or a view that does not pass it on)."""
    person_id = create_stakeholder(manager, account, {"name": "Olga", "circle": 1}).id
    deleter = logged_in_client(app, teammate)
    confirm_url = f"/accounts/{account.id}/stakeholders/{person_id}/delete"
    page = deleter.get(confirm_url).get_data(as_text=True)
    form = hidden_inputs(page)
    assert form["row_version"] == "1"

    editor = logged_in_client(app, manager)
    edit_url = f"/accounts/{account.id}/stakeholders/{person_id}/edit"
    edit_form = hidden_inputs(editor.get(edit_url).get_data(as_text=True))
    edit_form.update(name="Olga Ivanova", circle="1", influence="3", stance="neutral", active="y")
    assert editor.post(edit_url, data=edit_form).status_code == 302

    refused = deleter.post(confirm_url, data=form, follow_redirects=True)
    assert "Nothing was deleted" in html.unescape(refused.get_data(as_text=True))
    assert _exists(Stakeholder, person_id)

    # The confirmation opened again shows the current version, and then it deletes.
    again = hidden_inputs(deleter.get(confirm_url).get_data(as_text=True))
    assert again["row_version"] == "2"
    deleter.post(confirm_url, data=again)
    assert not _exists(Stakeholder, person_id)


def test_page_account_delete_after_an_edit_deletes_nothing(app, manager, teammate, account):
    deleter = logged_in_client(app, teammate)
    confirm_url = f"/accounts/{account.id}/delete"
    form = hidden_inputs(deleter.get(confirm_url).get_data(as_text=True))
    with app.test_request_context():
        from b2b_loyalty.services.accounts import update_account

        update_account(manager, db.session.get(Account, account.id), {"region": "South"})
    refused = deleter.post(confirm_url, data=form, follow_redirects=True)
    assert "Nothing was deleted" in html.unescape(refused.get_data(as_text=True))
    assert _exists(Account, account.id)
