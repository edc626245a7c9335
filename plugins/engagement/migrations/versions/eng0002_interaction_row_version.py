"""engagement: row version of interactions (optimistic locking)

Revision ID: eng0002
Revises: eng0001
Create Date: 2026-11-26

``row_version`` is the counter SQLAlchemy's ``version_id_col`` increments on
every UPDATE of an interaction and checks in its WHERE clause; existing
interactions start at 1.
"""

import sqlalchemy as sa
from alembic import op

revision = "eng0002"
down_revision = "eng0001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "engagement_interactions",
        sa.Column("row_version", sa.Integer(), nullable=False, server_default=sa.text("1")),
    )


def downgrade():
    with op.batch_alter_table("engagement_interactions") as batch_op:
        batch_op.drop_column("row_version")
