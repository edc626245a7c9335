"""Cumulative pricing under concurrency (issue 9): orders saved at the same moment.

An order under a cumulative schedule is priced on the volume the account already
bought this period (its *prior volume*). If two orders of one account are saved
at the same moment and both read the prior volume before either is committed,
both are priced as if the other did not exist: the later one misses the tier the
account reached. ``queries.pricing.lock_account_for_pricing`` serialises them.

Here N threads, each with its own app context, session and database connection,
save a quote as an order for the same account, category and day, released
together by a barrier. The prior-volume read is slowed down (it sleeps after
reading) so that, without the lock, every thread reads before any commits;
the test then shows it reliably instead of once in a while.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from b2b_loyalty.domain.price_breakdown import price_breakdown
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Order, ProductCategory, User

ON = date(2026, 3, 2)
QUANTITY = Decimal(50)
UNIT_PRICE = Decimal("10.00")
# The reference lamp schedule: incremental, by units, cumulative over the calendar year.
LAMPS = [
    {"from": "0", "percent": "0"},
    {"from": "100", "percent": "5"},
    {"from": "200", "percent": "10"},
    {"from": "300", "percent": "20"},
]
READ_DELAY_SECONDS = 0.15


@pytest.fixture
def lamp_buyer(make_user, make_account, category):
    """An account whose Lamps are priced by an approved cumulative schedule."""
    from b2b_loyalty.services import discount_schedules as schedules

    drafter, approver = make_user("finance"), make_user("finance")
    manager = make_user("account_manager")
    version = schedules.create_schedule(
        drafter,
        {
            "name": "Lamps annual",
            "basis": "quantity",
            "mode": "incremental",
            "scope": "cumulative_calendar_year",
            "tiers": LAMPS,
            "effective_from": "2026-01-01",
        },
        currency="EUR",
    )
    schedules.submit(drafter, version)
    schedules.approve(approver, version, "ok")
    schedules.assign(drafter, version.family, category)
    account = make_account(manager, "Lamp Buyer")
    db.session.commit()
    return manager.id, account.id, category.id, version


@pytest.fixture
def slow_prior_volume(monkeypatch):
    """Widen the window between reading the prior volume and committing the order."""
    from b2b_loyalty.queries import pricing as pricing_queries

    real = pricing_queries.prior_volume

    def read_then_wait(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        volume = real(*args, **kwargs)
        time.sleep(READ_DELAY_SECONDS)
        return volume

    monkeypatch.setattr(pricing_queries, "prior_volume", read_then_wait)


def save_orders_at_once(app, lamp_buyer, threads: int) -> list[BaseException]:  # noqa: ANN001
    """``threads`` quotes saved as orders together; the exceptions they raised."""
    from b2b_loyalty.services.pricing import save_quote_as_order

    manager_id, account_id, category_id, _ = lamp_buyer
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def one_order() -> None:
        try:
            with app.app_context():  # its own session, so its own connection
                actor = db.session.get(User, manager_id)
                account = db.session.get(Account, account_id)
                category = db.session.get(ProductCategory, category_id)
                barrier.wait(timeout=30)
                save_quote_as_order(actor, account, category, QUANTITY, UNIT_PRICE, ON)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    workers = [threading.Thread(target=one_order) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers), "a writer hung"
    return errors


def assert_each_order_priced_after_the_ones_before(
    lamp_buyer, threads: int, errors: list[BaseException]
) -> None:
    """Every writer succeeded; order k (by id) was priced on the quantity of orders 1..k-1."""
    _, account_id, _, version = lamp_buyer
    db.session.expire_all()
    orders = db.session.scalars(
        select(Order).where(Order.account_id == account_id).order_by(Order.id)
    ).all()
    priors = [order.pricing.prior_volume for order in orders]
    assert len(set(priors)) == len(priors), f"orders priced on the same prior volume: {priors}"
    assert errors == [], f"{len(errors)} of {threads} writers failed: {errors[0]!r}"
    assert priors == [QUANTITY * k for k in range(threads)]
    schedule = version.as_value()
    for k, order in enumerate(orders):
        expected = price_breakdown(
            schedule, quantity=QUANTITY, unit_price=UNIT_PRICE, prior_volume=QUANTITY * k
        )
        assert order.net_amount == expected.net_total
        assert order.pricing.breakdown["effective_percent"] == str(expected.effective_percent)
    # The tier the account reached (8 x 50 = 400 units: the top one, 20 %) prices the
    # last units of the last order.
    total = threads * QUANTITY
    reached = max(
        (t for t in LAMPS if Decimal(t["from"]) < total), key=lambda t: Decimal(t["from"])
    )
    last_line = orders[-1].pricing.breakdown["lines"][-1]
    assert Decimal(last_line["percent"]) == Decimal(reached["percent"])


@pytest.mark.postgres
def test_orders_saved_at_the_same_moment_are_priced_one_after_the_other_on_postgresql(
    app, lamp_buyer, slow_prior_volume
):
    """Eight writers at once on PostgreSQL: each order's prior volume includes the others.

    Without ``lock_account_for_pricing`` (the ``SELECT ... FOR UPDATE`` on the
    account) all eight read a prior volume of 0 inside the widened window: the
    orders that commit are all priced as the year's first (stored prior volumes
    ``[0, 0, 0]`` instead of ``[0, 50, 100, ...]``, at list price, missing the
    5/10/20 % tiers the account reached), and the others fail with a 409 because
    their refresh of the account's order statistics collides. Checked by
    disabling the lock: this test then fails, on the shared prior volume (2 or 3
    orders at 0) or, when only one writer got through, on the 7 that failed.
    """
    threads = 8
    errors = save_orders_at_once(app, lamp_buyer, threads)
    assert_each_order_priced_after_the_ones_before(lamp_buyer, threads, errors)


def test_orders_saved_at_the_same_moment_are_priced_one_after_the_other_on_sqlite(
    app, lamp_buyer, slow_prior_volume
):
    """The same race on SQLite: four threads, four connections to one database file.

    SQLite has one writer at a time, but the pysqlite driver begins a
    transaction only at the first write, so without the lock the prior-volume
    reads run outside any transaction, all see 0, and the inserts then simply
    queue: the stored prior volumes are ``[0, 0, 0, 0]``. ``BEGIN IMMEDIATE``
    makes each writer take the write lock before it reads. Checked by disabling
    the lock: this test then fails on the shared prior volume.
    """
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite variant; PostgreSQL has its own test")
    threads = 4
    errors = save_orders_at_once(app, lamp_buyer, threads)
    assert_each_order_priced_after_the_ones_before(lamp_buyer, threads, errors)


def test_a_plain_order_waits_for_the_lock_too(app, lamp_buyer, monkeypatch):
    """Recording or changing an order takes the same lock (it changes the prior volume).

    A spy on the lock shows every order writer calls it before writing, on any
    database; the threaded tests above show what the lock does.
    """
    from b2b_loyalty.queries import pricing as pricing_queries
    from b2b_loyalty.services import orders as order_service

    manager_id, account_id, category_id, _ = lamp_buyer
    manager = db.session.get(User, manager_id)
    account = db.session.get(Account, account_id)
    calls: list[int] = []
    real = pricing_queries.lock_account_for_pricing

    def spy(locked_id: int) -> None:
        calls.append(locked_id)
        real(locked_id)

    monkeypatch.setattr(order_service, "lock_account_for_pricing", spy)
    order = order_service.create_order(
        manager,
        account,
        {"date": ON, "category_id": category_id, "quantity": QUANTITY, "unit_price": UNIT_PRICE},
    )
    order_service.update_order(manager, account, order, {"quantity": Decimal(60)})
    order_service.delete_order(manager, order)
    assert calls == [account_id] * 3
