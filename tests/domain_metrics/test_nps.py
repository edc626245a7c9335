from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_loyalty.domain.nps import (
    NpsCategory,
    NpsStatus,
    classify_answer,
    net_promoter_score,
    nps_from_counts,
)

D = Decimal


@pytest.mark.parametrize(
    ("answer", "category"),
    [
        (0, NpsCategory.DETRACTOR),
        (6, NpsCategory.DETRACTOR),
        (7, NpsCategory.PASSIVE),
        (8, NpsCategory.PASSIVE),
        (9, NpsCategory.PROMOTER),
        (10, NpsCategory.PROMOTER),
    ],
)
def test_answers_fall_into_detractors_passives_promoters(answer, category):
    assert classify_answer(answer) is category


def test_nps_is_percent_promoters_minus_percent_detractors():
    answers = [10, 10, 9, 9, 9, 8, 7, 7, 3, 6]  # 5 promoters, 3 passives, 2 detractors
    nps = net_promoter_score(answers)
    assert nps.value == D("30.00")  # 50 % − 20 %
    assert (nps.answers, nps.promoters, nps.passives, nps.detractors) == (10, 5, 3, 2)
    assert (nps.promoter_percent, nps.passive_percent, nps.detractor_percent) == (
        D("50.00"),
        D("30.00"),
        D("20.00"),
    )
    assert nps.status is NpsStatus.OK


def test_nps_is_computed_from_counts_not_from_rounded_shares():
    nps = net_promoter_score([9, 0, 0])  # 33.33 % − 66.67 % would show −33.34
    assert nps.value == D("-33.33")


def test_nps_ranges_from_minus_100_to_100():
    assert net_promoter_score([9, 10, 10]).value == D("100.00")
    assert net_promoter_score([0, 6, 3]).value == D("-100.00")
    assert net_promoter_score([7, 8]).value == D("0.00")


def test_nps_without_answers_is_none_with_status_no_answers():
    nps = net_promoter_score([])
    assert nps.value is None
    assert nps.answers == 0
    assert nps.status is NpsStatus.NO_ANSWERS
    assert nps.status == "no answers"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (11, "out of range"),
        (-1, "out of range"),
        (7.5, "not a whole number"),
        (8.0, "not a whole number"),
        ("9", "not a whole number"),
        (True, "not a whole number"),
        (None, "not a whole number"),
    ],
)
def test_invalid_answers_are_refused_with_their_position(bad, message):
    with pytest.raises(ValueError, match=message) as error:
        net_promoter_score([10, 9, bad])
    assert "answer #3" in str(error.value)


def test_nps_from_counts_matches_nps_from_answers():
    assert nps_from_counts(promoters=5, passives=3, detractors=2) == net_promoter_score(
        [10, 10, 9, 9, 9, 8, 7, 7, 3, 6]
    )
    with pytest.raises(ValueError, match="non-negative"):
        nps_from_counts(promoters=-1, passives=0, detractors=0)


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=200))
def test_nps_stays_within_minus_100_and_100(answers):
    nps = net_promoter_score(answers)
    assert D(-100) <= nps.value <= D(100)
    assert nps.promoters + nps.passives + nps.detractors == len(answers)
    shares = nps.promoter_percent + nps.passive_percent + nps.detractor_percent
    assert abs(shares - D(100)) <= D("0.02")
