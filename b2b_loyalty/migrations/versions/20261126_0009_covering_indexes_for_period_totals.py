"""covering indexes for period totals

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 12:20:00

The dashboard and the account page sum orders and monthly totals over a date
range per account. With the summed columns in the index, SQLite and
PostgreSQL answer those from the index alone instead of visiting every row.
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

MONTH_COLUMNS = ["month_start", "account_id", "revenue", "orders", "margin", "margin_revenue"]


def upgrade():
    op.drop_index("ix_account_month_totals_month_start", table_name="account_month_totals")
    op.create_index("ix_account_month_totals_month_cover", "account_month_totals", MONTH_COLUMNS)
    op.drop_index("ix_orders_account_id_order_date", table_name="orders")
    op.drop_index("ix_orders_order_date_account_id", table_name="orders")
    op.create_index(
        "ix_orders_account_date_cover",
        "orders",
        ["account_id", "order_date", "category_id", "net_amount"],
    )
    op.create_index(
        "ix_orders_date_cover",
        "orders",
        ["order_date", "account_id", "net_amount", "quantity", "unit_cost"],
    )


def downgrade():
    op.drop_index("ix_orders_date_cover", table_name="orders")
    op.drop_index("ix_orders_account_date_cover", table_name="orders")
    op.create_index("ix_orders_order_date_account_id", "orders", ["order_date", "account_id"])
    op.create_index("ix_orders_account_id_order_date", "orders", ["account_id", "order_date"])
    op.drop_index("ix_account_month_totals_month_cover", table_name="account_month_totals")
    op.create_index(
        "ix_account_month_totals_month_start", "account_month_totals", ["month_start", "account_id"]
    )
