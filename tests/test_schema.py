"""The migrated schema is exactly what the models declare (no drift, no create_all)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from b2b_loyalty.extensions import db


def test_migrations_produce_the_models_schema(app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_core_and_plugin_branches_are_at_their_heads(make_app):
    """The plugin's own branch is applied, and upgrading to heads finds nothing left to do."""
    from b2b_loyalty.schema import upgrade_database

    app = make_app(B2B_LOYALTY_PLUGINS="all,testplugin")
    with app.app_context():
        with db.engine.connect() as conn:
            before = set(MigrationContext.configure(conn).get_current_heads())
        upgrade_database()
        with db.engine.connect() as conn:
            after = set(MigrationContext.configure(conn).get_current_heads())
    assert "tp0001" in before
    assert before == after


def test_init_is_idempotent_and_works_with_a_once_enabled_plugin_disabled(app):
    """The test database carries the test plugin's branch; this app has it disabled."""
    from b2b_loyalty.schema import upgrade_database

    upgrade_database()
    upgrade_database()
    assert "accounts" in inspect(db.engine).get_table_names()


def test_deleting_an_account_cascades_in_the_database(app, make_user, make_account):
    """ON DELETE CASCADE holds on SQLite too (foreign keys are switched on per connection)."""
    from b2b_loyalty.models import Account, Stakeholder
    from b2b_loyalty.services.stakeholders import create_stakeholder

    owner = make_user()
    account = make_account(owner, "Gone Soon")
    create_stakeholder(
        owner,
        account,
        {"name": "P", "circle": 1, "stance": "neutral", "influence": 3, "active": True},
    )
    with db.engine.begin() as conn:
        conn.execute(Account.__table__.delete().where(Account.__table__.c.id == account.id))
    db.session.expire_all()
    assert db.session.query(Stakeholder).count() == 0


def test_database_refuses_inconsistent_order_amounts(app, make_user, make_account, category):
    """Check constraints back the service's rules for writers that bypass it."""
    import pytest
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from b2b_loyalty.models import Order

    account = make_account(make_user())
    row = {
        "account_id": account.id,
        "order_date": __import__("datetime").date(2026, 1, 1),
        "category_id": category.id,
        "quantity": 1,
        "unit_price": 10,
        "list_amount": 10,
        "discount_amount": 0,
        "net_amount": 10,
        "currency": "EUR",
    }
    db.session.execute(insert(Order), [row])
    db.session.commit()
    for bad in ({"quantity": -1}, {"discount_amount": -1, "net_amount": 11}, {"net_amount": 9}):
        with pytest.raises(IntegrityError):
            db.session.execute(insert(Order), [{**row, **bad}])
        db.session.rollback()


def test_database_refuses_a_second_all_categories_estimate(app, make_user, make_account):
    import pytest
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from b2b_loyalty.models import WalletEstimate

    account = make_account(make_user())
    row = {"account_id": account.id, "year": 2026, "category_id": None, "estimated_spend": 5}
    db.session.execute(insert(WalletEstimate), [row])
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(insert(WalletEstimate), [row])
    db.session.rollback()
