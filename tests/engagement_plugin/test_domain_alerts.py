"""Every warning sign, each at its boundary: one day inside fires, one day outside does not."""

from __future__ import annotations

from datetime import date, timedelta

from plugins.engagement.domain.alerts import AlertKind, account_alerts
from plugins.engagement.domain.coverage import PersonFacts
from plugins.engagement.domain.nps_trend import SurveyAnswer, compare_periods
from plugins.engagement.domain.settings import EngagementSettings

AS_OF = date(2026, 6, 30)
SETTINGS = EngagementSettings()
CADENCES = dict(SETTINGS.cadence_days)  # 30, 91, 182


def person(pid, circle=1, days_ago=None, **kw):
    last = None if days_ago is None else AS_OF - timedelta(days=days_ago)
    defaults = dict(account_id=7, name=f"Person {pid}", stance="neutral", influence=3)
    return PersonFacts(id=pid, circle=circle, last_contact_on=last, **{**defaults, **kw})


def covered(*extra):
    """Everyone engaged in every circle: no alert but what ``extra`` brings."""
    return [person(101, 1, 1), person(102, 2, 1), person(103, 3, 1), *extra]


def kinds(people, nps=None):
    return [a.kind for a in account_alerts(7, people, AS_OF, CADENCES, SETTINGS, nps)]


def test_a_well_covered_account_has_no_alerts():
    assert kinds(covered()) == []


def test_no_people_at_all_is_left_to_the_coverage_measure():
    # Nobody known is no warning sign of engagement (the coverage health measure is 0).
    assert account_alerts(7, [], AS_OF, CADENCES, SETTINGS) == []
    assert kinds([person(1, active=False)]) == []


def test_single_threaded_at_the_window_boundary():
    alone = [person(1, 1, days_ago=89), person(2, 2, days_ago=90), person(3, 3, days_ago=400)]
    alerts = account_alerts(7, alone, AS_OF, CADENCES, SETTINGS)
    single = [a for a in alerts if a.kind is AlertKind.SINGLE_THREADED]
    assert len(single) == 1 and single[0].stakeholder_id == 1
    assert "Only Person 1 took part" in single[0].reason
    assert single[0].severity == "critical"
    # Person 2 at 89 days: two people engaged, no longer single-threaded.
    two = [person(1, 1, days_ago=89), person(2, 2, days_ago=89), person(3, 3, days_ago=400)]
    assert AlertKind.SINGLE_THREADED not in kinds(two)


def test_silent_decision_maker_beyond_the_cadence():
    boss = person(1, 1, days_ago=30, buying_role="decision_maker")
    assert AlertKind.SILENT_KEY_PERSON not in kinds(covered(boss))
    late = person(1, 1, days_ago=31, buying_role="economic_buyer")
    alerts = account_alerts(7, covered(late), AS_OF, CADENCES, SETTINGS)
    silent = [a for a in alerts if a.kind is AlertKind.SILENT_KEY_PERSON]
    assert [a.stakeholder_id for a in silent] == [1]
    assert "1 days beyond the cadence" in silent[0].reason


def test_silent_champion_by_stance_or_role_and_never_contacted():
    assert AlertKind.SILENT_KEY_PERSON in kinds(covered(person(1, 2, 92, stance="champion")))
    assert AlertKind.SILENT_KEY_PERSON not in kinds(covered(person(1, 2, 91, stance="champion")))
    never = account_alerts(
        7, covered(person(1, 3, None, buying_role="champion")), AS_OF, CADENCES, SETTINGS
    )
    assert any("has never been contacted" in a.reason for a in never)
    # An ordinary person overdue is no key-person alert (only part of the circle figure).
    assert AlertKind.SILENT_KEY_PERSON not in kinds(covered(person(1, 1, 200)))


def test_circle_gap_when_nobody_in_a_circle_is_within_its_cadence():
    people = [person(1, 1, 1), person(2, 2, 1), person(3, 3, 182)]
    assert AlertKind.CIRCLE_GAP not in kinds(people)
    people = [person(1, 1, 1), person(2, 2, 1), person(3, 3, 183), person(4, 3)]
    alerts = account_alerts(7, people, AS_OF, CADENCES, SETTINGS)
    gaps = [a for a in alerts if a.kind is AlertKind.CIRCLE_GAP]
    assert [a.circle for a in gaps] == [3]
    assert "None of the 2 people in the third circle" in gaps[0].reason
    assert gaps[0].key == "engagement.circle_gap.3"


def test_circle_gap_when_a_circle_has_nobody_known():
    alerts = account_alerts(7, [person(1, 1, 1), person(2, 2, 1)], AS_OF, CADENCES, SETTINGS)
    assert [(a.kind, a.circle) for a in alerts] == [(AlertKind.CIRCLE_GAP, 3)]
    assert alerts[0].reason == "Nobody is known in the third circle."


def test_circle_cadence_override_moves_the_boundary():
    people = [person(1, 1, 1), person(2, 2, 1), person(3, 3, 200)]
    overridden = {**CADENCES, 3: 365}
    assert [a.kind for a in account_alerts(7, people, AS_OF, overridden, SETTINGS)] == []


def test_key_person_left_while_the_last_contact_is_recent():
    left = person(1, 1, 364, buying_role="decision_maker", active=False)
    alerts = account_alerts(7, covered(left), AS_OF, CADENCES, SETTINGS)
    assert [a.kind for a in alerts] == [AlertKind.KEY_PERSON_LEFT]
    assert "left the company" in alerts[0].reason and alerts[0].severity == "critical"
    old = person(1, 1, 365, buying_role="decision_maker", active=False)
    assert kinds(covered(old)) == []
    # Influence alone makes a key person; an ordinary person leaving is no alert.
    assert kinds(covered(person(1, 2, 10, influence=4, active=False))) == [
        AlertKind.KEY_PERSON_LEFT
    ]
    assert kinds(covered(person(1, 2, 10, influence=3, active=False))) == []


def test_influential_blocker_from_the_threshold():
    assert kinds(covered(person(1, 2, 1, stance="blocker", influence=4))) == [
        AlertKind.INFLUENTIAL_BLOCKER
    ]
    assert kinds(covered(person(1, 2, 1, stance="blocker", influence=3))) == []
    gone = kinds(covered(person(1, 2, 1, stance="blocker", influence=5, active=False)))
    assert AlertKind.INFLUENTIAL_BLOCKER not in gone


def test_over_contact_above_the_circles_monthly_tolerance():
    assert kinds(covered(person(1, 3, 1, touches_last_month=2))) == []
    alerts = account_alerts(
        7, covered(person(1, 3, 1, touches_last_month=3)), AS_OF, CADENCES, SETTINGS
    )
    assert [a.kind for a in alerts] == [AlertKind.OVER_CONTACT]
    assert "3 touches in the last 30 days; the third circle tolerates 2" in alerts[0].reason
    assert kinds(covered(person(1, 1, 1, touches_last_month=8))) == []
    assert kinds(covered(person(1, 1, 1, touches_last_month=9))) == [AlertKind.OVER_CONTACT]


def answer(pid, days_ago, score, circle=1):
    return SurveyAnswer(pid, circle, AS_OF - timedelta(days=days_ago), score)


def test_falling_nps_compares_two_periods_at_their_boundaries():
    # Period: the last 180 days (0..179 days ago); the one before: 180..359 days ago.
    answers = [answer(1, 359, 10), answer(2, 180, 9), answer(1, 179, 6), answer(2, 0, 9)]
    comparison = compare_periods(answers, AS_OF, 180, 10)
    assert (comparison.previous.value, comparison.current.value) == (100, 0)
    assert comparison.falling
    alerts = account_alerts(7, covered(), AS_OF, CADENCES, SETTINGS, comparison)
    assert [a.kind for a in alerts] == [AlertKind.FALLING_NPS]
    assert "-100 points" in alerts[0].reason


def test_falling_nps_needs_the_full_drop_and_answers_in_both_periods():
    # 100 -> 90? NPS moves in steps of whole answers: 10 promoters then 9 + 1 passive.
    before = [answer(i, 200, 10) for i in range(10)]
    now_small_drop = [answer(i, 10, 10) for i in range(9)] + [answer(9, 10, 8)]
    assert compare_periods(before + now_small_drop, AS_OF, 180, 10).falling  # exactly -10
    assert not compare_periods(before + now_small_drop, AS_OF, 180, 11).falling
    only_old = compare_periods([answer(1, 360, 0), answer(1, 200, 10)], AS_OF, 180, 10)
    assert only_old.change is None and not only_old.falling  # day 360 is outside both periods


def test_alerts_come_most_severe_first():
    people = [
        person(1, 1, 1, stance="blocker", influence=5),
        person(2, 2, 1, touches_last_month=9),
    ]
    alerts = account_alerts(7, people, AS_OF, CADENCES, SETTINGS)
    severities = [a.severity for a in alerts]
    assert severities == sorted(severities, key=["critical", "warning", "info"].index)
