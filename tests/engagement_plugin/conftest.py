"""Helpers for the engagement plugin's tests: people at an account, logged interactions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest


@pytest.fixture
def today() -> date:
    return date.today()


@pytest.fixture
def add_people(app):
    from b2b_loyalty.services.stakeholders import create_stakeholder

    def build(owner, account, *specs: dict):
        made = []
        for n, spec in enumerate(specs, start=1):
            data = {
                "name": f"Person {account.id}-{n}",
                "circle": 1,
                "stance": "neutral",
                "influence": 3,
                "active": True,
                **spec,
            }
            made.append(create_stakeholder(owner, account, data))
        return made

    return build


@pytest.fixture
def log(app, today):
    from plugins.engagement.services.interactions import create_interaction

    def do(actor, account, people, days_ago: int = 0, type: str = "meeting", **extra):
        data = {
            "type": type,
            "date": today - timedelta(days=days_ago),
            "stakeholder_ids": [p.id for p in people],
            "summary": extra.pop("summary", f"{type} with {len(people)} people"),
            **extra,
        }
        return create_interaction(actor, account, data)

    return do
