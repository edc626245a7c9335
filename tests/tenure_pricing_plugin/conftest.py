"""Fixtures of the tenure pricing tests: an app with this plugin only, people, helpers.

The shared ``app`` fixture enables every bundled plugin; here the app enables
this one alone, so these tests prove the plugin on its own (the core suite runs
with all of them).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

PLUGIN = "tenure_pricing"


@pytest.fixture
def app(make_app):
    app = make_app(B2B_LOYALTY_PLUGINS=PLUGIN)
    with app.app_context():
        yield app


@pytest.fixture
def people(make_user):
    """One user per role the tests need; one password hash shared (scrypt is slow)."""
    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import User

    first = make_user("account_manager")
    others = {}
    for key, role in (
        ("other_manager", "account_manager"),
        ("finance", "finance"),
        ("finance2", "finance"),
        ("lead", "sales_lead"),
        ("admin", "admin"),
    ):
        others[key] = User(
            email=f"{key}@tenure.example.com", name=key.replace("_", " ").title(), role=role
        )
        others[key].password_hash = first.password_hash
    db.session.add_all(others.values())
    db.session.commit()
    return {"manager": first, **others}


ISSUE_TIERS = [
    {"from_months": 0, "percent": "0"},
    {"from_months": 12, "percent": "2"},
    {"from_months": 36, "percent": "4"},
    {"from_months": 60, "percent": "6"},
]


@pytest.fixture
def approve_schedule(people):
    """Draft, submit and approve a tenure schedule through the service (four eyes)."""
    from plugins.tenure_pricing.services import tenure_schedules as service

    def build(**overrides):
        data = {
            "tiers": ISSUE_TIERS,
            "stacking": "additive",
            "max_total_percent": "10",
            "grace_days": 30,
            "renewal_uplift_percent": "3",
            "effective_from": date(2015, 1, 1),
            **overrides,
        }
        version = service.create_draft(people["finance"], data)
        service.submit(people["finance"], version)
        return service.approve(people["finance2"], version, "ok")

    return build


@pytest.fixture
def add_contract(people):
    """Record a signed contract through the service (defaults: 12 months, active)."""
    from plugins.tenure_pricing.services.contracts import create_contract

    counter = iter(range(1, 10_000))

    def build(account, start: date, months: int = 12, **fields):
        data = {
            "number": f"C-{next(counter):03d}",
            "start_date": start,
            "term_months": months,
            "status": "expired" if start.year < date.today().year - 1 else "active",
            "annual_value": Decimal("100000"),
            **fields,
        }
        return create_contract(people["manager"], account, data)

    return build
