"""data generations: what caches of company-wide figures are keyed by

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 15:20:00

The account page shows the account's ABC class in the whole company's ranking;
each app process keeps that ranking until the orders change, which the order
services record here (a new random token per committed change).
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "data_generations",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_data_generations")),
    )
    # The orders already in the database are one generation; the next order makes
    # the next.
    op.bulk_insert(table, [{"key": "orders", "generation": secrets.randbits(62)}])


def downgrade():
    op.drop_table("data_generations")
