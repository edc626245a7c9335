"""tenure_pricing: row version of contracts (optimistic locking)

Revision ID: ten0002
Revises: ten0001
Create Date: 2026-11-26

``row_version`` is the counter SQLAlchemy's ``version_id_col`` increments on
every UPDATE of a contract and checks in its WHERE clause; existing contracts
start at 1.
"""

import sqlalchemy as sa
from alembic import op

revision = "ten0002"
down_revision = "ten0001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "tenure_contracts",
        sa.Column("row_version", sa.Integer(), nullable=False, server_default=sa.text("1")),
    )


def downgrade():
    with op.batch_alter_table("tenure_contracts") as batch_op:
        batch_op.drop_column("row_version")
