"""row versions for optimistic locking

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 13:00:00

Rows that people edit (accounts, stakeholders, orders, discount schedule
families and versions) get ``row_version``, the counter SQLAlchemy's
``version_id_col`` increments on every UPDATE and checks in its WHERE clause.
Existing rows start at 1, like new ones. The tenure plugin adds the same column
to its contracts in its own branch (ten0002).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = ("accounts", "stakeholders", "orders", "discount_schedule_families", "discount_schedules")


def upgrade():
    for table in TABLES:
        # A constant server default lets SQLite add a NOT NULL column in place.
        op.add_column(
            table,
            sa.Column("row_version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("row_version")
