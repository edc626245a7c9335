"""The engagement score: decay with age, weights by type, what it counted."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugins.engagement.domain.scoring import Touch, decay_factor, engagement_score
from plugins.engagement.domain.settings import DEFAULT_TYPE_WEIGHTS

AS_OF = date(2026, 6, 30)
TYPES = sorted(DEFAULT_TYPE_WEIGHTS)


def score(touches, half_life=90, weights=DEFAULT_TYPE_WEIGHTS, as_of=AS_OF):
    return engagement_score(touches, as_of, half_life_days=half_life, weights=weights)


def test_no_interactions_score_zero_and_say_so():
    result = score([])
    assert result.value == Decimal("0.00")
    assert result.touches == 0
    assert result.explanation == "No interactions recorded: score 0."


def test_a_touch_today_counts_its_full_weight():
    assert score([Touch(AS_OF, "meeting")]).value == Decimal("5.00")


def test_a_touch_counts_half_after_one_half_life_and_a_quarter_after_two():
    assert score([Touch(AS_OF - timedelta(days=90), "meeting")]).value == Decimal("2.50")
    assert score([Touch(AS_OF - timedelta(days=180), "meeting")]).value == Decimal("1.25")


def test_a_meeting_last_week_counts_more_than_an_email_last_year():
    meeting = score([Touch(AS_OF - timedelta(days=7), "meeting")]).value
    email = score([Touch(AS_OF - timedelta(days=365), "email")]).value
    assert meeting > 40 * email


def test_weights_are_the_admins_to_set():
    touches = [Touch(AS_OF, "email")]
    assert score(touches, weights={**DEFAULT_TYPE_WEIGHTS, "email": Decimal(7)}).value == 7
    assert score(touches, weights={}).value == 0  # unknown type weighs nothing...
    assert score(touches, weights={}).touches == 1  # ...but is still counted


def test_half_life_is_the_admins_to_set():
    touch = [Touch(AS_OF - timedelta(days=30), "meeting")]
    assert score(touch, half_life=30).value == Decimal("2.50")


def test_counts_multiply_and_the_explanation_says_what_was_counted():
    result = score(
        [
            Touch(date(2026, 1, 5), "meeting", 2),
            Touch(date(2026, 6, 1), "email"),
            Touch(date(2026, 3, 1), "call", 0),
        ]
    )
    assert result.touches == 3
    assert result.by_type == {"meeting": 2, "email": 1}
    assert (result.first_on, result.last_on) == (date(2026, 1, 5), date(2026, 6, 1))
    assert result.explanation.startswith("3 interactions (2 meeting, 1 e-mail) from 2026-01-05")
    assert "halved every 90 days" in result.explanation


def test_future_dated_touches_are_rejected():
    with pytest.raises(ValueError, match="future-dated"):
        score([Touch(AS_OF + timedelta(days=1), "call")])
    assert score([Touch(AS_OF, "call")]).value == 3  # the day itself is not the future


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        decay_factor(-1, 90)
    with pytest.raises(ValueError):
        decay_factor(1, 0)
    with pytest.raises(ValueError):
        score([Touch(AS_OF, "call", -1)])


touch_lists = st.lists(
    st.builds(
        Touch,
        on=st.dates(min_value=date(2020, 1, 1), max_value=AS_OF),
        type=st.sampled_from(TYPES),
        count=st.integers(0, 5),
    ),
    max_size=30,
)


@given(touch_lists, st.integers(1, 720))
def test_score_is_never_negative(touches, half_life):
    assert score(touches, half_life=half_life).value >= 0


@given(st.integers(0, 2000), st.integers(0, 2000), st.integers(1, 720))
def test_decay_falls_monotonically_with_age(age_a, age_b, half_life):
    younger, older = sorted((age_a, age_b))
    assert 0 <= decay_factor(older, half_life) <= decay_factor(younger, half_life) <= 1


@given(touch_lists, st.integers(1, 400))
def test_the_same_touches_score_less_as_time_passes(touches, days_later):
    now = score(touches).value
    later = score(touches, as_of=AS_OF + timedelta(days=days_later)).value
    assert later <= now


@given(touch_lists, st.sampled_from(TYPES))
def test_one_more_touch_never_lowers_the_score(touches, kind):
    assert score([*touches, Touch(AS_OF, kind)]).value >= score(touches).value
