"""The tenure schedule: drafted, approved by a second person, versioned and audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from b2b_loyalty.extensions import db
from b2b_loyalty.models import AuditEntry
from b2b_loyalty.services.errors import Conflict, Forbidden, ValidationFailed
from plugins.tenure_pricing import queries
from plugins.tenure_pricing.models import TenureSchedule, TenureScheduleTier
from plugins.tenure_pricing.services import tenure_schedules as service
from tests.tenure_pricing_plugin.conftest import ISSUE_TIERS
from tests.tenure_pricing_plugin.helpers import count_rows

DATA = {
    "tiers": ISSUE_TIERS,
    "stacking": "compound",
    "max_total_percent": "9",
    "grace_days": 30,
    "renewal_uplift_percent": "3",
    "effective_from": date(2026, 1, 1),
}


def test_four_eyes_workflow_and_audit_trail(people):
    draft = service.create_draft(people["finance"], DATA)
    assert draft.status == "draft" and draft.version == 1
    service.submit(people["finance"], draft)
    with pytest.raises(Forbidden, match="someone else"):
        service.approve(people["finance"], draft, "self")
    with pytest.raises(Forbidden):
        service.approve(people["manager"], draft, "no")
    service.approve(people["finance2"], draft, "checked")
    assert draft.status == "approved" and draft.decided_by_id == people["finance2"].id
    assert queries.schedule_in_force(date(2026, 3, 1)).id == draft.id
    assert queries.schedule_in_force(date(2025, 12, 31)) is None
    entries = AuditEntry.query.filter_by(entity="tenure_schedule").order_by(AuditEntry.id).all()
    assert [e.action for e in entries] == ["created", "submitted", "approved"]
    assert entries[-1].after["tiers"][1] == {"from_months": 12, "percent": "2.0000"}


def test_approved_versions_never_change_and_a_new_version_retires_the_old(people):
    first = service.create_draft(people["finance"], DATA)
    service.submit(people["finance"], first)
    service.approve(people["finance2"], first, "ok")
    with pytest.raises(Conflict):
        service.update_draft(people["finance"], first, {"max_total_percent": "50"})
    second = service.new_version(people["finance"], first)
    assert second.version == 2 and [t.percent for t in second.tiers] == [
        t.percent for t in first.tiers
    ]
    with pytest.raises(Conflict):
        service.new_version(people["finance"], first)
    service.update_draft(
        people["finance"], second, {"max_total_percent": "12", "effective_from": date(2027, 1, 1)}
    )
    service.submit(people["finance"], second)
    service.reject(people["finance2"], second, "too generous")
    assert second.status == "rejected"
    service.update_draft(people["finance"], second, {"max_total_percent": "11"})
    service.submit(people["finance"], second)
    service.approve(people["admin"], second, "fine")
    assert first.status == "retired" and first.effective_to == date(2026, 12, 31)
    assert queries.schedule_in_force(date(2026, 6, 1)).version == 1
    assert queries.schedule_in_force(date(2027, 6, 1)).version == 2


def test_reject_needs_a_reason(people):
    draft = service.create_draft(people["finance"], DATA)
    service.submit(people["finance"], draft)
    with pytest.raises(ValidationFailed):
        service.reject(people["finance2"], draft, "  ")


def test_only_finance_or_admin_draft(people):
    with pytest.raises(Forbidden):
        service.create_draft(people["manager"], DATA)
    with pytest.raises(Forbidden):
        service.create_draft(people["lead"], DATA)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"max_total_percent": "101"}, "max_total_percent"),
        ({"renewal_uplift_percent": "100.5"}, "renewal_uplift_percent"),
        (
            {"tiers": [{"from_months": 0, "percent": "0"}, {"from_months": 12, "percent": "140"}]},
            "tiers.1.percent",
        ),
        ({"stacking": "multiply"}, "stacking"),
    ],
)
def test_bad_schedule_writes_nothing(people, change, field):
    before = (count_rows(TenureSchedule), count_rows(TenureScheduleTier), count_rows(AuditEntry))
    with pytest.raises(ValidationFailed) as caught:
        service.create_draft(people["finance"], {**DATA, **change})
    assert field in caught.value.fields
    assert (
        count_rows(TenureSchedule),
        count_rows(TenureScheduleTier),
        count_rows(AuditEntry),
    ) == before


def _form(**overrides):
    data = {
        "effective_from": "2026-01-01",
        "stacking": "additive",
        "max_total_percent": "10",
        "grace_days": "30",
        "renewal_uplift_percent": "3",
        "change_note": "first",
    }
    for i, tier in enumerate(ISSUE_TIERS):
        data[f"tiers-{i}-from_months"] = str(tier["from_months"])
        data[f"tiers-{i}-percent"] = tier["percent"]
    data.update(overrides)
    return data


def test_schedule_editor_pages_draft_submit_and_approve(client, login, people):
    login(people["finance"])
    form_page = client.get("/tenure/schedules/new").get_data(as_text=True)
    assert "New tenure schedule version" in form_page and 'value="36"' in form_page
    response = client.post("/tenure/schedules/new", data=_form())
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    version = TenureSchedule.query.one()
    detail = client.get(f"/tenure/schedules/{version.id}").get_data(as_text=True)
    assert "Submit for approval" in detail and "Preview" in detail and "<svg" in detail
    assert client.post(f"/tenure/schedules/{version.id}/submit").status_code == 302
    page = client.get(f"/tenure/schedules/{version.id}").get_data(as_text=True)
    assert "Waiting for another finance user" in page
    login(people["finance2"])
    client.post(f"/tenure/schedules/{version.id}/approve", data={"comment": "ok"})
    db.session.expire_all()
    assert TenureSchedule.query.one().status == "approved"
    listing = client.get("/tenure/schedules").get_data(as_text=True)
    assert "In force today: version 1." in listing and "3 years → 4 %" in listing


def test_schedule_preview_shows_each_tier_stacked(client, login, people, approve_schedule):
    version = approve_schedule(stacking="compound", max_total_percent="8")
    login(people["manager"])
    page = client.get(f"/tenure/schedules/{version.id}?volume_percent=5").get_data(as_text=True)
    assert "1 − 0.95 × 0.96 = 8.8 %; capped at 8 %" in page
    assert "Submit for approval" not in page and "Audit trail" not in page


def test_schedule_editor_shows_errors_in_the_row(client, login, people):
    login(people["finance"])
    response = client.post(
        "/tenure/schedules/new",
        data=_form(**{"tiers-1-percent": "120", "max_total_percent": "200"}),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.count("A percent runs from 0 to 100.") == 2
    assert count_rows(TenureSchedule) == 0


def test_managers_cannot_open_the_editor(client, login, people):
    login(people["manager"])
    assert client.get("/tenure/schedules/new").status_code == 403
    assert client.get("/tenure/schedules").status_code == 200


def test_new_version_from_the_list_page(client, login, people, approve_schedule):
    version = approve_schedule()
    login(people["finance"])
    response = client.post(f"/tenure/schedules/{version.id}/new_version")
    assert response.status_code == 302 and "/edit" in response.headers["Location"]
    draft = TenureSchedule.query.filter_by(version=2).one()
    assert draft.effective_from >= date.today() + timedelta(days=1)
