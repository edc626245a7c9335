"""The change log's one-line text of a recorded state, whatever shape the entry has."""

from __future__ import annotations

from b2b_loyalty.extensions import db
from b2b_loyalty.models import AuditEntry
from b2b_loyalty.pricing.audit_text import audit_state

SCHEDULE = {
    "name": "Lamps",
    "version": 2,
    "status": "pending_approval",
    "tiers": [{"from": "0", "percent": "0"}, {"from": "100", "percent": "5"}],
}
TENURE = {
    "version": 1,
    "status": "approved",
    "tiers": [{"from_months": 0, "percent": "0"}, {"from_months": 12, "percent": "2"}],
}


def test_a_discount_schedule_gets_its_compact_form(app):
    with app.test_request_context():
        assert audit_state(SCHEDULE, "discount_schedule") == "v2 pending approval: 0→0%, 100→5%"


def test_any_other_shape_is_written_out_key_by_key(app):
    with app.test_request_context():
        text = audit_state(TENURE, "tenure_schedule")
        # Tiers shaped like a schedule's but of another entity: not read as a schedule's.
        assert text == (
            "version: 1; status: approved; "
            "tiers: (from months 0, percent 0), (from months 12, percent 2)"
        )
        # A schedule entry missing a tier field falls back to the same plain form.
        broken = {"version": 1, "tiers": [{"percent": "5"}]}
        assert audit_state(broken, "discount_schedule") == "version: 1; tiers: (percent 5)"
        assert audit_state({"closed_on": None, "notes": "x"}) == "closed on: —; notes: x"
        assert audit_state(None) == "" and audit_state({}) == ""


def test_the_finance_pages_show_an_entry_of_a_plugins_shape(app, client, login, make_user):
    """A plugin records its own entities in the same log (the tenure plugin's schedules
    have ``from_months`` tiers); the finance pages once answered 500 on such an entry."""
    finance = make_user("finance")
    db.session.add(
        AuditEntry(
            actor_id=finance.id,
            entity="tenure_schedule",
            entity_id=7,
            action="approved",
            before=None,
            after=TENURE,
        )
    )
    db.session.commit()
    login(finance)
    for path in ("/pricing/finance", "/pricing/audit"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "(from months 12, percent 2)" in response.get_data(as_text=True)
