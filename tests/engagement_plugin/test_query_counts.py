"""The engagement pages and hooks cost the same number of SQL statements at any size."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Stakeholder
from plugins.engagement.models import (
    Interaction,
    InteractionParticipant,
    StanceChangeRecord,
    SurveyResponse,
)


def grow(owner, n_accounts: int, people_per_account: int, interactions_per_account: int) -> list:
    """Add accounts with people, interactions (with next steps), NPS answers and history."""
    rng = random.Random(n_accounts * 1000 + interactions_per_account)
    today = date.today()
    start = db.session.query(Account).count()
    db.session.execute(
        insert(Account),
        [{"name": f"Bulk {start + i:04d}", "owner_id": owner.id} for i in range(n_accounts)],
    )
    accounts = db.session.scalars(select(Account).order_by(Account.id)).all()[start:]
    db.session.execute(
        insert(Stakeholder),
        [
            {
                "account_id": a.id,
                "name": f"P{a.id}-{k}",
                "circle": 1 + k % 3,
                "stance": ("champion", "neutral", "blocker")[k % 3],
                "buying_role": "decision_maker" if k == 0 else None,
                "influence": 1 + k % 5,
                "active": k % 7 != 6,
                "reports_to_id": None,
            }
            for a in accounts
            for k in range(people_per_account)
        ],
    )
    people = {}
    for s in db.session.scalars(
        select(Stakeholder).where(Stakeholder.account_id.in_([a.id for a in accounts]))
    ):
        people.setdefault(s.account_id, []).append(s)
    for a in accounts:
        for k in range(interactions_per_account):
            who = rng.sample(people[a.id], min(2, len(people[a.id])))
            interaction = Interaction(
                account_id=a.id,
                type=rng.choice(["meeting", "call", "email", "complaint"]),
                occurred_on=today - timedelta(days=rng.randint(0, 500)),
                summary="bulk",
                next_step="follow up" if k % 3 == 0 else None,
                next_step_due=today + timedelta(days=rng.randint(-5, 5)) if k % 3 == 0 else None,
            )
            interaction.participants = [
                InteractionParticipant(stakeholder_id=s.id, account_id=a.id) for s in who
            ]
            db.session.add(interaction)
        for s in people[a.id][:3]:
            db.session.add(
                SurveyResponse(
                    account_id=a.id,
                    stakeholder_id=s.id,
                    answered_on=today - timedelta(days=rng.randint(0, 300)),
                    score=rng.randint(0, 10),
                )
            )
            db.session.add(
                StanceChangeRecord(
                    account_id=a.id,
                    stakeholder_id=s.id,
                    changed_on=today - timedelta(days=10),
                    stance_before="skeptic",
                    stance_after=s.stance,
                    influence_before=s.influence,
                    influence_after=s.influence,
                )
            )
    db.session.commit()
    return accounts


def statements(client, count_statements, path: str) -> int:
    with count_statements() as seen:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(seen)


@pytest.mark.parametrize(
    "path",
    [
        "/engagement/my-week",
        "/engagement/portfolio",
        "/engagement/accounts/{first}",
        "/engagement/accounts/{first}/people/{person}",
        "/accounts/{first}",
    ],
)
def test_pages_cost_the_same_for_10_and_100_interactions_and_people(
    client, login, make_user, count_statements, path
):
    owner = make_user("account_manager")
    login(owner)
    first = grow(owner, 3, people_per_account=10, interactions_per_account=10)[0]
    person = db.session.scalar(select(Stakeholder.id).where(Stakeholder.account_id == first.id))
    url = path.format(first=first.id, person=person)
    small = statements(client, count_statements, url)
    # Ten times the people and interactions at the same account, and more accounts.
    more = db.session.scalars(select(Stakeholder).where(Stakeholder.account_id == first.id)).all()
    db.session.execute(
        insert(Stakeholder),
        [
            {
                "account_id": first.id,
                "name": f"Extra {k}",
                "circle": 1 + k % 3,
                "stance": "neutral",
                "influence": 3,
                "active": True,
                "reports_to_id": more[0].id,
            }
            for k in range(90)
        ],
    )
    db.session.commit()
    grow(owner, 10, people_per_account=10, interactions_per_account=100)
    everyone = db.session.scalars(
        select(Stakeholder.id).where(Stakeholder.account_id == first.id)
    ).all()
    for k in range(90):
        interaction = Interaction(
            account_id=first.id,
            type="call",
            occurred_on=date.today() - timedelta(days=k),
            summary="more",
            next_step="again",
            next_step_due=date.today(),
        )
        interaction.participants = [
            InteractionParticipant(
                stakeholder_id=everyone[(k + j) % len(everyone)], account_id=first.id
            )
            for j in range(2)
        ]
        db.session.add(interaction)
    db.session.commit()
    large = statements(client, count_statements, url)
    assert small == large, (small, large)


def test_the_plugins_share_of_the_account_page_is_three_statements(
    client, login, make_user, count_statements
):
    """Panel, alerts and health measures share one account's figures (2 statements); the
    facts hook adds 1. The rest of the page belongs to the core and other plugins."""
    owner = make_user("account_manager")
    login(owner)
    first = grow(owner, 2, people_per_account=20, interactions_per_account=200)[0]
    with count_statements() as seen:
        assert client.get(f"/accounts/{first.id}").status_code == 200
    ours = [s for s in seen if "engagement_" in s]
    assert len(ours) <= 3, ours


@pytest.mark.parametrize("hook", ["account_alerts", "account_facts", "account_health_measures"])
def test_batch_hooks_cost_the_same_for_10_and_100_accounts(app, make_user, count_statements, hook):
    from b2b_loyalty.plugin_host import plugin_host

    owner = make_user("account_manager")
    host = plugin_host(app)
    impl = next(
        i for i in getattr(host.manager.hook, hook).get_hookimpls() if i.plugin_name == "engagement"
    )
    small_ids = [a.id for a in grow(owner, 10, 5, 10)]
    with count_statements() as seen:
        small_result = impl.function(account_ids=small_ids, as_of=date.today())
    small = len(seen)
    large_ids = small_ids + [a.id for a in grow(owner, 90, 10, 30)]
    with count_statements() as seen:
        large_result = impl.function(account_ids=large_ids, as_of=date.today())
    assert len(seen) == small <= 2
    assert {r.account_id for r in large_result} >= set(small_ids) & {
        r.account_id for r in small_result
    }
