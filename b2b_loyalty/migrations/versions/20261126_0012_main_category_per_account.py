"""main category per account, for the purchase-cycle fallback

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 13:00:00

An account with fewer than three order days takes its main category's median
purchase cycle (DOMAIN.md); the stats row now records that category.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("account_order_stats") as batch_op:
        batch_op.add_column(sa.Column("main_category_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_account_order_stats_main_category_id", ["main_category_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_account_order_stats_main_category_id_product_categories",
            "product_categories",
            ["main_category_id"],
            ["id"],
            ondelete="SET NULL",
        )
    _backfill()


def _backfill():
    """The category with the most net revenue per account (ties: the lower id)."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT account_id, category_id, SUM(net_amount) FROM orders "
            "GROUP BY account_id, category_id"
        )
    )
    best = {}
    for account_id, category_id, revenue in rows:
        candidate = (round(float(revenue or 0), 2), -category_id)
        if account_id not in best or candidate > best[account_id]:
            best[account_id] = candidate
    stats = sa.table(
        "account_order_stats", sa.column("account_id"), sa.column("main_category_id")
    )
    updates = [{"a": a, "c": -negated} for a, (_, negated) in best.items()]
    if updates:
        bind.execute(
            stats.update()
            .where(stats.c.account_id == sa.bindparam("a"))
            .values(main_category_id=sa.bindparam("c")),
            updates,
        )


def downgrade():
    with op.batch_alter_table("account_order_stats") as batch_op:
        batch_op.drop_constraint(
            "fk_account_order_stats_main_category_id_product_categories", type_="foreignkey"
        )
        batch_op.drop_index("ix_account_order_stats_main_category_id")
        batch_op.drop_column("main_category_id")
