"""Concurrent work on a tenure schedule draft (issue 9): nothing is overwritten unseen.

Tenure schedule versions carry a ``row_version`` (revision ten0003), like the core's
discount schedules. Two finance users open the same draft; the first saves; the
second, still on the version it read, gets the form again (409) with the current
values and a note of what changed, and the draft keeps the first edit. An approver
whose page shows an older state of the version is refused too, so nobody approves
tiers they never saw.
"""

from __future__ import annotations

import html

import pytest

from b2b_loyalty.extensions import db
from plugins.tenure_pricing.models import TenureSchedule
from plugins.tenure_pricing.services import tenure_schedules as service
from tests.tenure_pricing_plugin.conftest import ISSUE_TIERS
from tests.test_optimistic_locking import hidden_inputs, input_value, logged_in_client

RULES = {
    "stacking": "additive",
    "max_total_percent": "10",
    "grace_days": "30",
    "renewal_uplift_percent": "3",
    "effective_from": "2026-01-01",
}


@pytest.fixture
def draft(people) -> TenureSchedule:
    return service.create_draft(people["finance"], {**RULES, "tiers": ISSUE_TIERS})


def _form_of(page: str, **changes: str) -> dict[str, str]:
    """What the browser posts from ``page``: its hidden fields and inputs, then ``changes``."""
    values = hidden_inputs(page)
    for name in ("effective_from", "max_total_percent", "grace_days", "renewal_uplift_percent"):
        values[name] = input_value(page, name) or ""
    values["stacking"] = "additive"
    for i, tier in enumerate(ISSUE_TIERS):
        values[f"tiers-{i}-from_months"] = str(tier["from_months"])
        values[f"tiers-{i}-percent"] = input_value(page, f"tiers-{i}-percent") or ""
    values.update(changes)
    return values


def _stored_percents(version_id: int) -> list[str]:
    db.session.expire_all()
    return [str(t.percent.normalize()) for t in db.session.get(TenureSchedule, version_id).tiers]


def test_second_editor_of_a_draft_gets_the_conflict_and_the_first_edit_stays(app, people, draft):
    """Would catch the edit page saving a stale draft over a colleague's change (no
    version check), or a tiers-only edit leaving the version where it was (no
    ``mark_edited``): then the second save would pass."""
    url = f"/tenure/schedules/{draft.id}/edit"
    first = logged_in_client(app, people["finance"])
    second = logged_in_client(app, people["finance2"])
    page_first = first.get(url).get_data(as_text=True)
    page_second = second.get(url).get_data(as_text=True)
    assert hidden_inputs(page_first)["stamp-row_version"] == "1"

    saved = first.post(url, data=_form_of(page_first, **{"tiers-1-percent": "2.5"}))
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    refused = second.post(url, data=_form_of(page_second, **{"tiers-1-percent": "3"}))
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409, page[:2000]
    assert "Someone else saved this" in page and "Nothing you entered was saved" in page
    # The form again, with the draft as it is now and the version to overwrite knowingly.
    assert input_value(page, "tiers-1-percent") == "2.5"
    assert hidden_inputs(page)["stamp-row_version"] == "2"
    assert "Changed by someone else" in page
    assert _stored_percents(draft.id) == ["0", "2.5", "4", "6"]

    # Saving again from the refreshed form is a deliberate overwrite and goes through.
    again = second.post(url, data=_form_of(page, **{"tiers-1-percent": "3"}))
    assert again.status_code == 302
    assert _stored_percents(draft.id) == ["0", "3", "4", "6"]


def test_an_approver_on_an_outdated_page_is_refused(app, people, draft):
    """Would catch approving a version whose tiers changed after the approver's page
    was loaded (withdrawn, edited and submitted again in between)."""
    author = logged_in_client(app, people["finance"])
    approver = logged_in_client(app, people["finance2"])
    assert author.post(f"/tenure/schedules/{draft.id}/submit").status_code == 302
    detail = approver.get(f"/tenure/schedules/{draft.id}").get_data(as_text=True)
    seen = hidden_inputs(detail)["row_version"]

    # Meanwhile: rejected, edited and submitted again by the author's side.
    db.session.expire_all()
    version = db.session.get(TenureSchedule, draft.id)
    assert version.status == "pending_approval"
    service.reject(people["admin"], version, "tiers too generous")
    service.update_draft(
        people["finance"],
        version,
        {"tiers": [{**t, "percent": "1"} if t["from_months"] == 60 else t for t in ISSUE_TIERS]},
    )
    service.submit(people["finance"], version)

    response = approver.post(
        f"/tenure/schedules/{draft.id}/approve",
        data={"comment": "fine", "row_version": seen},
        follow_redirects=True,
    )
    assert "Someone else changed this tenure schedule version" in html.unescape(
        response.get_data(as_text=True)
    )
    db.session.expire_all()
    assert db.session.get(TenureSchedule, draft.id).status == "pending_approval"

    # With the page as it is now, the decision goes through.
    current = hidden_inputs(approver.get(f"/tenure/schedules/{draft.id}").get_data(as_text=True))
    approver.post(
        f"/tenure/schedules/{draft.id}/approve",
        data={"comment": "fine", "row_version": current["row_version"]},
    )
    db.session.expire_all()
    assert db.session.get(TenureSchedule, draft.id).status == "approved"
