"""Importing interactions through the core's spreadsheet import (the ``import_entities`` hook)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from b2b_loyalty.extensions import db
from b2b_loyalty.imports.registry import import_entities
from plugins.engagement.models import Interaction, InteractionParticipant
from tests.test_imports_support import csv_bytes, run_import, wire_imports

pytest_plugins = ["tests.test_imports_support"]

HEADERS = [
    "Клиент",
    "Type",
    "Date",
    "Participants",
    "Channel",
    "Summary",
    "Outcome",
    "Next step",
    "Next step due",
]


def _count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


def _stored() -> list[tuple]:
    db.session.expire_all()
    return [
        (i.account_id, i.type, i.occurred_on, i.summary, i.channel, i.stakeholder_ids)
        for i in db.session.scalars(select(Interaction).order_by(Interaction.id))
    ]


@pytest.fixture
def acme(maria, make_account, add_people):
    account = make_account(maria, "Acme Industrial")
    anna, ivan = add_people(
        maria,
        account,
        {"name": "Anna Petrova", "email": "anna@acme.test"},
        {"name": "Ivan Sidorov"},
    )
    return account, anna, ivan


def test_the_entity_is_offered_with_its_natural_key(imports_app):
    entity = import_entities()["interactions"]
    assert "Account, date, type and summary" in entity.natural_key
    assert {"account", "account_tax_id", "type", "date", "stakeholders", "summary"} <= {
        f.key for f in entity.fields
    }


def test_a_clean_import_creates_interactions_and_a_second_changes_nothing(
    imports_app, maria, acme, today
):
    account, anna, ivan = acme
    day = today - timedelta(days=3)
    data = csv_bytes(
        [
            HEADERS,
            [
                "Acme Industrial",
                "Meeting",
                day.isoformat(),
                "ANNA@acme.test; ivan  sidorov",
                "In person",
                "Quarterly review",
                "Happy with deliveries",
                "Send the offer",
                (today + timedelta(days=7)).isoformat(),
            ],
            ["acme industrial", "call", day.isoformat(), "Ivan Sidorov", "", "Price check"],
        ]
    )
    _, report = run_import(maria, "interactions", "i.csv", data, commit=True)
    assert report.rejections == []
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert _stored() == [
        (account.id, "meeting", day, "Quarterly review", "in_person", sorted([anna.id, ivan.id])),
        (account.id, "call", day, "Price check", None, [ivan.id]),
    ]
    assert _count(InteractionParticipant) == 3

    _, again = run_import(maria, "interactions", "i.csv", data, commit=True)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 0)
    assert _count(Interaction) == 2 and _count(InteractionParticipant) == 3

    changed = csv_bytes(
        [
            HEADERS,
            ["Acme Industrial", "call", day.isoformat(), "Anna Petrova", "phone", "Price check"],
        ]
    )
    _, update = run_import(maria, "interactions", "u.csv", changed, commit=True)
    assert (update.created, update.updated, update.rejected) == (0, 1, 0)
    assert _stored()[1] == (account.id, "call", day, "Price check", "phone", [anna.id])


def test_a_bad_row_is_rejected_with_its_column_and_nothing_is_written(
    imports_app, maria, acme, make_account, add_people, today
):
    other = make_account(maria, "Other Works")
    add_people(maria, other, {"name": "Boris Other"})
    day = (today - timedelta(days=1)).isoformat()
    data = csv_bytes(
        [
            HEADERS,
            ["Acme Industrial", "meeting", day, "Anna Petrova", "", "Fine row"],
            ["Acme Industrial", "dinner", day, "Anna Petrova", "", "Unknown type"],
            [
                "Acme Industrial",
                "call",
                (today + timedelta(days=2)).isoformat(),
                "Anna Petrova",
                "",
                "Future",
            ],
            ["Acme Industrial", "call", day, "Boris Other", "", "Wrong account"],
            ["Acme Industrial", "meeting", day, "Ivan Sidorov", "", "fine  ROW"],
        ]
    )
    _, report = run_import(maria, "interactions", "bad.csv", data, commit=True)
    assert (report.created, report.rejected, report.committed) == (1, 4, False)
    assert [(r.row, r.column, r.message) for r in report.rejections] == [
        (3, "Type", "Not a valid choice."),
        (4, "Date", "An interaction cannot be in the future; plan it as a next step."),
        (5, "Participants", "Not a person at this account: Boris Other."),
        (6, "Summary", "Row 2 has the same account, date, type and summary."),
    ]
    assert _count(Interaction) == 0 and _count(InteractionParticipant) == 0


def test_a_manager_cannot_import_into_another_managers_account(
    imports_app, maria, oleg, make_account, add_people, today
):
    theirs = make_account(oleg, "Oleg Trading")
    add_people(oleg, theirs, {"name": "Olga Buyer"})
    data = csv_bytes(
        [
            HEADERS,
            [
                "Oleg Trading",
                "call",
                (today - timedelta(days=1)).isoformat(),
                "Olga Buyer",
                "",
                "Sneaky",
            ],
        ]
    )
    _, report = run_import(maria, "interactions", "x.csv", data, commit=True, skip=True)
    assert (report.created, report.rejected) == (0, 1)
    assert [(r.row, r.column, r.message) for r in report.rejections] == [
        (2, "Клиент", "Unknown account or not yours: Oleg Trading.")
    ]
    assert _count(Interaction) == 0


def test_with_the_plugin_disabled_interactions_are_not_offered(make_app):
    app = make_app(B2B_LOYALTY_PLUGINS="none")
    with app.app_context():
        wire_imports(app)
        entities = import_entities(app)
        assert "stakeholders" in entities and "interactions" not in entities
