"""Cadence (engaged / overdue), windows, coverage per circle and multi-threading."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugins.engagement.domain.cadence import (
    cadences_for_account,
    contact_status,
    describe_cadence,
    in_window,
    window_start,
)
from plugins.engagement.domain.coverage import PersonFacts, account_coverage

AS_OF = date(2026, 6, 30)
CADENCES = {1: 30, 2: 91, 3: 182}


def person(pid, circle=1, days_ago=None, **kw):
    last = None if days_ago is None else AS_OF - timedelta(days=days_ago)
    defaults = dict(account_id=1, name=f"P{pid}", stance="neutral", influence=3)
    return PersonFacts(id=pid, circle=circle, last_contact_on=last, **{**defaults, **kw})


def test_engaged_up_to_the_cadence_and_overdue_the_day_after():
    on_time = contact_status(AS_OF - timedelta(days=30), AS_OF, 30)
    assert on_time.engaged and on_time.days_overdue == 0
    assert on_time.due_on == AS_OF
    late = contact_status(AS_OF - timedelta(days=31), AS_OF, 30)
    assert late.overdue and late.days_overdue == 1
    assert "1 days overdue" in late.explanation


def test_never_contacted_is_overdue_with_no_count():
    status = contact_status(None, AS_OF, 91)
    assert status.overdue and status.never_contacted and status.days_overdue is None
    assert status.explanation == "Never contacted; cadence quarterly (91 days)."


def test_contact_after_as_of_is_refused():
    with pytest.raises(ValueError):
        contact_status(AS_OF + timedelta(days=1), AS_OF, 30)


def test_window_includes_both_ends():
    assert window_start(AS_OF, 90) == AS_OF - timedelta(days=89)
    assert in_window(AS_OF - timedelta(days=89), AS_OF, 90)
    assert not in_window(AS_OF - timedelta(days=90), AS_OF, 90)
    assert not in_window(AS_OF + timedelta(days=1), AS_OF, 90)
    assert not in_window(None, AS_OF, 90)


def test_account_overrides_replace_the_defaults_per_circle():
    assert cadences_for_account(CADENCES, {3: 365}) == {1: 30, 2: 91, 3: 365}
    assert describe_cadence(182) == "twice a year (182 days)"
    assert describe_cadence(45) == "every 45 days"


def test_coverage_counts_engaged_over_known_active_people_per_circle():
    people = [
        person(1, 1, days_ago=30),  # engaged (boundary)
        person(2, 1, days_ago=31),  # overdue by a day
        person(3, 2, days_ago=91),  # engaged (boundary)
        person(4, 2, active=False, days_ago=1),  # left: not known any more
    ]
    coverage = account_coverage(people, AS_OF, CADENCES, 90)
    assert (coverage.circles[1].known, coverage.circles[1].engaged) == (2, 1)
    assert coverage.circles[1].ratio == Decimal("0.5000")
    assert (coverage.circles[2].known, coverage.circles[2].engaged) == (1, 1)
    assert coverage.circles[3].ratio is None  # nobody known: undefined, not 0
    assert coverage.circles[3].explanation == "Nobody known in the third circle."
    assert (coverage.overall.known, coverage.overall.engaged) == (3, 2)
    assert coverage.overall.explanation == (
        "2 of 3 known people engaged within their circle's cadence."
    )


def test_multi_threading_counts_distinct_people_in_the_window():
    people = [person(1, days_ago=0), person(2, days_ago=89), person(3, days_ago=90), person(4)]
    coverage = account_coverage(people, AS_OF, CADENCES, 90)
    assert coverage.multi_threading == 2
    assert "2 distinct people" in coverage.multi_threading_explanation


def test_influence_weighted_engagement_weighs_scores_by_influence():
    people = [
        person(1, influence=5, score=Decimal(10)),
        person(2, influence=1, score=Decimal(4)),
    ]
    coverage = account_coverage(people, AS_OF, CADENCES, 90)
    assert coverage.influence_weighted == Decimal("9.00")  # (50 + 4) / 6
    assert coverage.influence_total == 6
    assert account_coverage([person(1)], AS_OF, CADENCES, 90).influence_weighted is None


@given(
    st.lists(
        st.tuples(st.integers(1, 3), st.one_of(st.none(), st.integers(0, 400)), st.booleans()),
        max_size=40,
    )
)
def test_coverage_is_always_within_zero_and_one(specs):
    people = [
        person(i, circle, days_ago=age, active=active)
        for i, (circle, age, active) in enumerate(specs)
    ]
    coverage = account_coverage(people, AS_OF, CADENCES, 90)
    for c in [*coverage.circles.values(), coverage.overall]:
        assert 0 <= c.engaged <= c.known
        assert c.ratio is None or Decimal(0) <= c.ratio <= Decimal(1)
    assert 0 <= coverage.multi_threading <= coverage.overall.known


@given(
    st.lists(
        st.tuples(
            st.integers(1, 4),  # account
            st.sampled_from(sorted(CADENCES)),  # circle
            st.none() | st.integers(0, 400),  # days since the last contact
            st.booleans(),  # active
        ),
        max_size=40,
    ),
    st.dictionaries(
        st.tuples(st.integers(1, 4), st.sampled_from(sorted(CADENCES))), st.integers(1, 400)
    ),
)
def test_overall_coverage_by_account_equals_the_full_coverage(people, overrides):
    """The portfolio's lean path (four columns per active person) gives each account the
    same overall coverage as ``account_coverage`` over its full facts and cadences."""
    from plugins.engagement.domain.coverage import CircleCoverage, overall_coverage_by_account

    facts = [
        person(n, circle, days_ago, account_id=account, active=active)
        for n, (account, circle, days_ago, active) in enumerate(people)
    ]
    # Counted the way the query groups them: people sharing account, circle, last contact.
    groups = Counter(
        (p.account_id, p.circle, p.last_contact_on, overrides.get((p.account_id, p.circle)))
        for p in facts
        if p.active
    )
    lean = overall_coverage_by_account(
        ((*key, people) for key, people in groups.items()), AS_OF, CADENCES
    )
    for account in range(1, 5):
        own = [p for p in facts if p.account_id == account]
        cadences = {c: overrides.get((account, c), d) for c, d in CADENCES.items()}
        full = account_coverage(own, AS_OF, cadences, 90).overall
        assert lean.get(account, CircleCoverage(0, 0, 0)) == full


def test_overall_coverage_by_account_counts_by_hand():
    from plugins.engagement.domain.coverage import overall_coverage_by_account

    contacts = [
        (1, 1, AS_OF - timedelta(days=30), None, 2),  # engaged: 30 days on a 30-day cadence
        (1, 1, AS_OF - timedelta(days=31), None, 1),  # a day overdue
        (1, 1, AS_OF - timedelta(days=31), 45, 1),  # the same, with a 45-day override: engaged
        (1, 2, None, None, 3),  # never contacted
        (2, 3, AS_OF, None, 1),
    ]
    result = overall_coverage_by_account(contacts, AS_OF, CADENCES)
    assert (result[1].known, result[1].engaged, result[1].ratio) == (7, 3, Decimal("0.4286"))
    assert (result[2].known, result[2].engaged) == (1, 1)
    assert 3 not in result
