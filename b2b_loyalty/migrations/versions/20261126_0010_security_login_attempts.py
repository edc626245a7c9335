"""security: login attempts, session versions, token and audit origins

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 12:00:00

- ``login_attempts``: failed sign-ins inside the throttling window (pruned as
  new ones arrive), shared by every app server;
- ``users.session_version``: part of the id in the session cookie, raised on a
  password change to end the user's other sessions;
- ``api_tokens.last_used_from`` and ``audit_entries.remote_addr``: where a token
  was used and where a security event came from;
- tokens issued before this revision get an expiry: 90 days after the upgrade.
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

LEGACY_TOKEN_DAYS = 90


def upgrade():
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("email_digest", sa.String(length=64), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_attempts_at"), ["at"], unique=False)
        batch_op.create_index(
            "ix_login_attempts_email_digest_at", ["email_digest", "at"], unique=False
        )
        batch_op.create_index(
            "ix_login_attempts_remote_addr_at", ["remote_addr", "at"], unique=False
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_used_from", sa.String(length=64), nullable=True))
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("remote_addr", sa.String(length=64), nullable=True))

    api_tokens = sa.table(
        "api_tokens",
        sa.column("expires_at", sa.DateTime(timezone=True)),
        sa.column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        api_tokens.update()
        .where(api_tokens.c.expires_at.is_(None), api_tokens.c.revoked_at.is_(None))
        .values(expires_at=datetime.now(UTC) + timedelta(days=LEGACY_TOKEN_DAYS))
    )


def downgrade():
    # Expiry dates given to older tokens stay: a downgraded app still honours them.
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_column("remote_addr")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("last_used_from")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")

    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempts_remote_addr_at")
        batch_op.drop_index("ix_login_attempts_email_digest_at")
        batch_op.drop_index(batch_op.f("ix_login_attempts_at"))
    op.drop_table("login_attempts")
