"""tenure_pricing: row version of tenure schedule versions (optimistic locking)

Revision ID: ten0003
Revises: ten0002
Create Date: 2026-11-26

Like the contracts' (ten0002) and the core's discount schedules: two finance users
editing the same draft, or an approver deciding on a draft changed since they read
it, are refused instead of one silently overwriting the other. Existing versions
start at 1.
"""

import sqlalchemy as sa
from alembic import op

revision = "ten0003"
down_revision = "ten0002"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "tenure_schedules",
        sa.Column("row_version", sa.Integer(), nullable=False, server_default=sa.text("1")),
    )


def downgrade():
    with op.batch_alter_table("tenure_schedules") as batch_op:
        batch_op.drop_column("row_version")
