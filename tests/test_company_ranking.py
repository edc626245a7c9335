"""The company-wide ABC ranking each app process keeps between orders, and the data
generation that tells every process when it is stale."""

from __future__ import annotations

from datetime import date

from b2b_loyalty.extensions import db
from b2b_loyalty.services import company_ranking, data_generations
from b2b_loyalty.services.order_stats import refresh_order_stats
from tests.test_metrics import _orders, _report


def _class_of(app, account) -> str:
    return _report(app, account_ids=(account.id,)).accounts[0].abc.value


def test_an_order_committed_anywhere_changes_the_kept_class(
    app, make_user, make_account, category, monkeypatch
):
    """The ranking is kept after the first account page and read again only when the
    orders' generation changes. It would catch a writer that forgets to mark the
    change (the second class would stay B) and a cache that ignores the generation."""
    computed = []
    original = company_ranking._classes
    monkeypatch.setattr(
        company_ranking, "_classes", lambda period: computed.append(period) or original(period)
    )
    owner = make_user("account_manager")
    big, small = make_account(owner, "Big"), make_account(owner, "Small")
    _orders(big, category, (date(2025, 3, 1), 900))
    _orders(small, category, (date(2025, 3, 1), 100))
    refresh_order_stats([big.id, small.id])
    db.session.commit()
    before = data_generations.current(data_generations.ORDERS)
    assert before is not None

    assert _class_of(app, small) == "B"  # 90 % of the revenue ranks above it
    assert _class_of(app, big) == "A"
    assert len(computed) == 1, "the second account page reads the kept ranking"

    _orders(small, category, (date(2025, 9, 1), 5000))
    refresh_order_stats([small.id])  # what every order service does in its transaction
    db.session.commit()
    assert data_generations.current(data_generations.ORDERS) != before
    assert _class_of(app, small) == "A"
    assert _class_of(app, big) == "B"  # 5,100 of 6,000 = 85 % ranks above it
    assert len(computed) == 2


def test_a_rolled_back_change_keeps_the_generation(app):
    data_generations.mark_changed(data_generations.ORDERS)
    db.session.commit()
    committed = data_generations.current(data_generations.ORDERS)
    assert committed is not None

    data_generations.mark_changed(data_generations.ORDERS)
    db.session.rollback()
    db.session.commit()  # nothing pending any more: nothing written
    assert data_generations.current(data_generations.ORDERS) == committed

    data_generations.mark_changed(data_generations.ORDERS)
    db.session.commit()
    assert data_generations.current(data_generations.ORDERS) != committed


def test_without_a_generation_nothing_is_kept(app, make_user, make_account, category):
    """A database whose generation row is gone (emptied by hand) is ranked every time."""
    from b2b_loyalty.models import DataGeneration

    owner = make_user("account_manager")
    account = make_account(owner, "Only")
    _orders(account, category, (date(2025, 3, 1), 100))
    refresh_order_stats([account.id])
    db.session.commit()
    db.session.query(DataGeneration).delete()
    db.session.commit()
    assert _class_of(app, account) == "A"
    assert not app.extensions.get(company_ranking._EXTENSION, company_ranking._Kept()).entries


def test_a_restore_renews_every_generation(app):
    """Processes serving the target of a restore kept figures of the database as it
    was (empty); the restore's new tokens make them compute again."""
    from b2b_loyalty.portability.restore import renew_generations

    data_generations.mark_changed(data_generations.ORDERS)
    db.session.commit()
    before = data_generations.current(data_generations.ORDERS)
    with db.engine.begin() as conn:
        renew_generations(conn)
    db.session.rollback()  # end the session's read, see the committed token
    after = data_generations.current(data_generations.ORDERS)
    assert after is not None and after != before
