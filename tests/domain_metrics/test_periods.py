from datetime import date

import pytest

from b2b_loyalty.domain.order_metrics import Period
from b2b_loyalty.domain.periods import parse_period, previous_period

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("2025-Q2", date(2025, 4, 1), date(2025, 6, 30)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        (None, date(2025, 11, 27), TODAY),
    ],
)
def test_parse_period(text, start, end):
    assert parse_period(text, today=TODAY) == Period(start, end)


def test_from_to_and_errors():
    assert parse_period(start="2025-03-05", end="2025-04-01", today=TODAY) == Period(
        date(2025, 3, 5), date(2025, 4, 1)
    )
    for bad in ("last year", "2025-13", "2025-Q5"):
        with pytest.raises(ValueError):
            parse_period(bad, today=TODAY)
    with pytest.raises(ValueError):
        parse_period(start="2025-03-05", today=TODAY)
    with pytest.raises(ValueError):
        parse_period(start="2025-04-05", end="2025-03-01", today=TODAY)


def test_previous_period():
    assert previous_period(Period(date(2025, 1, 1), date(2025, 12, 31))) == Period(
        date(2024, 1, 1), date(2024, 12, 31)
    )
    assert previous_period(Period(date(2025, 4, 1), date(2025, 6, 30))) == Period(
        date(2025, 1, 1), date(2025, 3, 31)
    )
    assert previous_period(Period(date(2024, 3, 1), date(2024, 3, 31))) == Period(
        date(2024, 2, 1), date(2024, 2, 29)
    )
    assert previous_period(Period(date(2025, 3, 5), date(2025, 3, 14))) == Period(
        date(2025, 2, 23), date(2025, 3, 4)
    )
