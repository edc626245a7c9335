"""tenure_pricing: contracts, tenure schedules and their tiers

Revision ID: ten0001
Revises:
Create Date: 2026-11-26

The tenure pricing plugin's own branch; it needs the core schema up to 0003
(accounts, users).
"""

import sqlalchemy as sa
from alembic import op

revision = "ten0001"
down_revision = None
branch_labels = ("tenure_pricing",)
depends_on = "0003"


def upgrade():
    op.create_table(
        "tenure_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("stacking", sa.String(length=16), nullable=False),
        sa.Column("max_total_percent", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("grace_days", sa.Integer(), nullable=False),
        sa.Column("renewal_uplift_percent", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("change_note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "stacking IN ('additive', 'compound', 'best_of')",
            name=op.f("ck_tenure_schedules_stacking_known"),
        ),
        sa.CheckConstraint("grace_days >= 0", name=op.f("ck_tenure_schedules_grace_not_negative")),
        sa.CheckConstraint(
            "max_total_percent >= 0 AND max_total_percent <= 100",
            name=op.f("ck_tenure_schedules_cap_percent_range"),
        ),
        sa.CheckConstraint(
            "renewal_uplift_percent >= 0 AND renewal_uplift_percent <= 100",
            name=op.f("ck_tenure_schedules_uplift_percent_range"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_tenure_schedules_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_tenure_schedules_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenure_schedules")),
        sa.UniqueConstraint("version", name=op.f("uq_tenure_schedules_version")),
    )
    with op.batch_alter_table("tenure_schedules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tenure_schedules_status"), ["status"], unique=False)

    op.create_table(
        "tenure_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("auto_renew", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("annual_value", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("list_annual_value", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("membership_fee", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("membership_discount_percent", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("document_ref", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'active', 'expired', 'terminated')",
            name=op.f("ck_tenure_contracts_status_known"),
        ),
        sa.CheckConstraint(
            "annual_value >= 0", name=op.f("ck_tenure_contracts_annual_value_not_negative")
        ),
        sa.CheckConstraint(
            "end_date >= start_date", name=op.f("ck_tenure_contracts_ends_after_start")
        ),
        sa.CheckConstraint(
            "list_annual_value IS NULL OR list_annual_value >= 0",
            name=op.f("ck_tenure_contracts_list_value_not_negative"),
        ),
        sa.CheckConstraint(
            "membership_discount_percent IS NULL OR (membership_discount_percent >= 0 AND membership_discount_percent <= 100)",
            name=op.f("ck_tenure_contracts_membership_percent_range"),
        ),
        sa.CheckConstraint(
            "membership_fee IS NULL OR membership_fee >= 0",
            name=op.f("ck_tenure_contracts_fee_not_negative"),
        ),
        sa.CheckConstraint("term_months > 0", name=op.f("ck_tenure_contracts_term_positive")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_tenure_contracts_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenure_contracts")),
        sa.UniqueConstraint(
            "account_id", "number", name=op.f("uq_tenure_contracts_account_id_number")
        ),
    )
    with op.batch_alter_table("tenure_contracts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tenure_contracts_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tenure_contracts_end_date"), ["end_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tenure_contracts_status"), ["status"], unique=False)

    op.create_table(
        "tenure_schedule_tiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_months", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.CheckConstraint(
            "from_months >= 0", name=op.f("ck_tenure_schedule_tiers_from_not_negative")
        ),
        sa.CheckConstraint(
            "percent >= 0 AND percent <= 100", name=op.f("ck_tenure_schedule_tiers_percent_range")
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["tenure_schedules.id"],
            name=op.f("fk_tenure_schedule_tiers_schedule_id_tenure_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenure_schedule_tiers")),
        sa.UniqueConstraint(
            "schedule_id", "position", name=op.f("uq_tenure_schedule_tiers_schedule_id_position")
        ),
    )
    with op.batch_alter_table("tenure_schedule_tiers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tenure_schedule_tiers_schedule_id"), ["schedule_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("tenure_schedule_tiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tenure_schedule_tiers_schedule_id"))

    op.drop_table("tenure_schedule_tiers")
    with op.batch_alter_table("tenure_contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tenure_contracts_status"))
        batch_op.drop_index(batch_op.f("ix_tenure_contracts_end_date"))
        batch_op.drop_index(batch_op.f("ix_tenure_contracts_account_id"))

    op.drop_table("tenure_contracts")
    with op.batch_alter_table("tenure_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tenure_schedules_status"))

    op.drop_table("tenure_schedules")
