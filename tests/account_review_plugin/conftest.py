"""Fixtures of the account review tests: people, an approved schedule, an account with a
history of priced orders, and helpers to read the files back.

The review period is the last full quarter before today, so the data is always in the
past and the previous period (the quarter before) has orders too.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from b2b_loyalty.domain.order_metrics import Period

LAMPS = [
    {"from": "0", "percent": "0"},
    {"from": "100", "percent": "5"},
    {"from": "200", "percent": "10"},
    {"from": "300", "percent": "20"},
]


def last_full_quarter(today: date) -> tuple[str, Period]:
    quarter = (today.month - 1) // 3 + 1
    year, q = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    start = date(year, 3 * q - 2, 1)
    end = (date(year, 3 * q, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return f"{year}-Q{q}", Period(start, end)


@pytest.fixture
def quarter() -> tuple[str, Period]:
    return last_full_quarter(date.today())


@pytest.fixture
def people(make_user):
    """One user per role; the password hash is computed once (scrypt is slow)."""
    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import User

    first = make_user("account_manager", name="Anna Manager")
    others = {}
    for key, role, name in (
        ("other_manager", "account_manager", "Boris Other"),
        ("finance", "finance", "Frida Finance"),
        ("finance2", "finance", "Fred Finance"),
        ("lead", "sales_lead", "Lena Lead"),
        ("admin", "admin", "Ada Admin"),
    ):
        others[key] = User(email=f"{key}@review.example.com", name=name, role=role)
        others[key].password_hash = first.password_hash
    db.session.add_all(others.values())
    db.session.commit()
    return {"manager": first, **others}


@pytest.fixture
def lamps_schedule(people, category, quarter):
    """An approved cumulative-per-year, incremental quantity schedule, default for Lamps."""
    from b2b_loyalty.services import discount_schedules as service

    _, period = quarter
    version = service.create_schedule(
        people["finance"],
        {
            "name": "Lamps annual",
            "description": "Industrial lamp packs: =SUM(A1) on annual volume",
            "basis": "quantity",
            "mode": "incremental",
            "scope": "cumulative_calendar_year",
            "tiers": LAMPS,
            "effective_from": date(period.start.year - 1, 1, 1).isoformat(),
        },
        currency="EUR",
    )
    service.submit(people["finance"], version)
    service.approve(people["finance2"], version, "four eyes: ok")
    service.assign(people["finance"], version.family, category)
    return version


@dataclass
class ReviewData:
    account: object
    other_account: object
    period: Period
    previous: Period
    label: str


@pytest.fixture
def review_data(app, people, category, lamps_schedule, quarter, make_account):
    """Acme (Anna's) with priced and hand-entered orders in this quarter and the previous
    one, wallet estimates, people; Borealis belongs to Boris."""
    from b2b_loyalty.domain.periods import previous_period
    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import ProductCategory
    from b2b_loyalty.services.orders import create_order
    from b2b_loyalty.services.pricing import save_quote_as_order
    from b2b_loyalty.services.stakeholders import create_stakeholder
    from b2b_loyalty.services.wallet_estimates import create_wallet_estimate

    label, period = quarter
    previous = previous_period(period)
    manager = people["manager"]
    cables = ProductCategory(name="Cables")
    db.session.add(cables)
    db.session.commit()
    account = make_account(
        manager,
        "Acme Industrial",
        region="North",
        industry="Manufacturing",
        notes="Key account since 2019.",
    )
    other = make_account(people["other_manager"], "Borealis Trading")
    for year in {period.end.year, previous.end.year, previous.start.year - 0}:
        create_wallet_estimate(
            manager, account, {"year": year, "estimated_spend": Decimal("40000")}
        )
    ten = Decimal("10.00")
    cost = Decimal("6.00")
    for offset, quantity in ((5, 60), (40, 70)):
        save_quote_as_order(
            manager,
            account,
            category,
            Decimal(quantity),
            ten,
            previous.start + timedelta(days=offset),
            cost,
        )
    for offset, quantity in ((3, 80), (30, 120), (60, 150)):
        save_quote_as_order(
            manager,
            account,
            category,
            Decimal(quantity),
            ten,
            period.start + timedelta(days=offset),
            cost,
        )
    create_order(
        manager,
        account,
        {
            "category_id": cables.id,
            "date": period.start + timedelta(days=10),
            "quantity": Decimal("3"),
            "unit_price": Decimal("99.90"),
            "discount_amount": Decimal("12.55"),
            "external_ref": "PO-7781",
        },
    )
    create_order(
        manager,
        account,
        {
            "category_id": cables.id,
            "date": previous.start + timedelta(days=20),
            "quantity": Decimal("2"),
            "unit_price": Decimal("99.90"),
            "discount_amount": Decimal("5.00"),
        },
    )
    save_quote_as_order(
        people["other_manager"],
        other,
        category,
        Decimal("500"),
        ten,
        period.start + timedelta(days=7),
        cost,
    )
    create_stakeholder(
        manager, account, {"name": "Rita Buyer", "circle": 1, "title": "Head of purchasing"}
    )
    create_stakeholder(manager, account, {"name": "Ivan Logistics", "circle": 2})
    return ReviewData(account, other, period, previous, label)


def open_workbook(content: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def cents(value) -> Decimal:  # noqa: ANN001 - a cell value or an API string
    return Decimal(str(value)).quantize(Decimal("0.01"))
