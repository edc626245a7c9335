from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_loyalty.domain.pareto import AbcClass, abc_analysis, abc_classes
from b2b_loyalty.domain.ratios import percent

D = Decimal
ORDER = {AbcClass.A: 0, AbcClass.B: 1, AbcClass.C: 2}


def classes(analysis):
    return {e.account_id: e.abc_class.value for e in analysis.entries}


def test_accounts_are_ranked_by_value_descending_with_cumulative_share():
    analysis = abc_analysis({"c": D(10), "a": D(50), "b": D(30), "e": D(4), "d": D(6)})
    assert [e.account_id for e in analysis.entries] == ["a", "b", "c", "d", "e"]
    assert [e.rank for e in analysis.entries] == [1, 2, 3, 4, 5]
    assert [e.cumulative_share for e in analysis.entries] == [
        D("50.00"),
        D("80.00"),
        D("90.00"),
        D("96.00"),
        D("100.00"),
    ]
    # b reaches 80 % exactly: A. d crosses 95 %: B. e starts above 95 %: C.
    assert classes(analysis) == {"a": "A", "b": "A", "c": "B", "d": "B", "e": "C"}


def test_the_account_that_crosses_80_percent_is_a():
    analysis = abc_analysis({"x": D(70), "y": D(20), "z": D(10)})
    # y: 70 % before it, 90 % after it → A; z: 90 % before → B.
    assert classes(analysis) == {"x": "A", "y": "A", "z": "B"}
    assert analysis.a_value_share == D("90.00")


def test_share_of_accounts_making_80_percent():
    values = {f"acc{i:02d}": D(1) for i in range(8)}
    values.update({"big1": D(50), "big2": D(42)})  # 92 of 100
    analysis = abc_analysis(values)
    assert analysis.a_accounts == 2
    assert analysis.share_of_accounts_in_a == D("20.00")  # 2 of 10 accounts
    assert analysis.a_value_share == D("92.00")
    assert (analysis.b_accounts, analysis.c_accounts) == (3, 5)


def test_ties_are_broken_by_account_id():
    analysis = abc_analysis({"b": D(10), "a": D(10), 3: D(10), 20: D(10)})
    assert [e.account_id for e in analysis.entries] == [3, 20, "a", "b"]


def test_zero_and_negative_accounts_are_c_and_do_not_shrink_the_total():
    analysis = abc_analysis({"a": D(100), "z": D(0), "loss": D(-40)})
    assert classes(analysis) == {"a": "A", "z": "C", "loss": "C"}
    assert analysis.positive_total == D(100)
    by_account = analysis.by_account()
    assert by_account["loss"].value_share is None
    assert by_account["loss"].cumulative_share == D("100.00")
    assert analysis.share_of_accounts_in_a == D("33.33")


def test_without_positive_value_every_account_is_c():
    analysis = abc_analysis({"a": D(0), "b": D(-1)})
    assert set(classes(analysis).values()) == {"C"}
    assert analysis.share_of_accounts_in_a is None
    assert analysis.a_value_share is None
    assert abc_analysis({}).entries == ()


def test_thresholds_can_be_set_but_must_be_ordered():
    analysis = abc_analysis(
        {"x": D(60), "y": D(30), "z": D(10)}, a_threshold=D(50), b_threshold=D(80)
    )
    assert classes(analysis) == {"x": "A", "y": "B", "z": "C"}
    assert "50" in analysis.formula
    with pytest.raises(ValueError):
        abc_analysis({}, a_threshold=D(90), b_threshold=D(80))


values_strategy = st.dictionaries(
    st.integers(min_value=1, max_value=500),
    st.decimals(min_value=-1000, max_value=10**6, places=2),
    max_size=40,
)


@given(values_strategy)
def test_abc_classes_never_improve_as_rank_worsens(values):
    entries = abc_analysis(values).entries
    for better, worse in zip(entries, entries[1:], strict=False):
        assert better.value >= worse.value
        assert ORDER[better.abc_class] <= ORDER[worse.abc_class]
        assert better.cumulative_share is None or better.cumulative_share <= worse.cumulative_share


@given(values_strategy)
def test_a_set_brings_at_least_80_percent_and_is_minimal(values):
    analysis = abc_analysis(values)
    total = analysis.positive_total
    a_values = [e.value for e in analysis.entries if e.abc_class is AbcClass.A]
    if total <= 0:
        assert a_values == []
        return
    assert sum(a_values) * 100 >= 80 * total
    # Dropping the last (smallest) A account falls below 80 %: no smaller set would do.
    assert sum(a_values[:-1]) * 100 < 80 * total
    assert all(v > 0 for v in a_values)


thresholds_strategy = st.tuples(
    st.decimals(min_value=1, max_value=100, places=0),
    st.decimals(min_value=1, max_value=100, places=0),
).map(sorted)


@given(values_strategy, thresholds_strategy)
def test_classes_alone_are_the_analysis_classes(values, thresholds):
    """``abc_classes`` (the company ranking behind every account page) must give what
    the full analysis gives, ties, zero and negative values and thresholds included."""
    a, b = thresholds
    expected = {e.account_id: e.abc_class for e in abc_analysis(values, "x", a, b).entries}
    assert abc_classes(values, a, b) == expected


def test_classes_alone_refuse_the_same_thresholds():
    with pytest.raises(ValueError):
        abc_classes({1: D(1)}, a_threshold=D(90), b_threshold=D(80))


@given(values_strategy)
def test_the_headline_and_classes_are_those_of_the_entries(values):
    """The headline and the class lookup are counted from the ranking; the entries
    that explain each rank are built when read: both must tell the same story."""
    analysis = abc_analysis(values)
    entries = analysis.entries
    assert analysis.classes == {e.account_id: e.abc_class for e in entries}
    assert [(e.account_id, e.value) for e in entries] == list(analysis.ranked)
    assert (analysis.a_accounts, analysis.b_accounts, analysis.c_accounts) == tuple(
        sum(1 for e in entries if e.abc_class is c) for c in (AbcClass.A, AbcClass.B, AbcClass.C)
    )
    a_value = sum((e.value for e in entries if e.abc_class is AbcClass.A), D(0))
    assert analysis.a_value_share == percent(a_value, analysis.positive_total)
