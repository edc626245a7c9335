"""engagement: interactions, attendees, staff, surveys, stance history, cadence overrides

Revision ID: eng0001
Revises:
Create Date: 2026-11-26

The engagement plugin's own branch; it needs the core schema up to 0003.
"""

import sqlalchemy as sa
from alembic import op

revision = "eng0001"
down_revision = None
branch_labels = ("engagement",)
depends_on = "0003"


def upgrade():
    op.create_table(
        "engagement_cadence_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("circle", sa.SmallInteger(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "circle BETWEEN 1 AND 3", name=op.f("ck_engagement_cadence_overrides_circle_range")
        ),
        sa.CheckConstraint(
            "days BETWEEN 1 AND 3650", name=op.f("ck_engagement_cadence_overrides_days_range")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_engagement_cadence_overrides_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_engagement_cadence_overrides_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_cadence_overrides")),
        sa.UniqueConstraint(
            "account_id", "circle", name=op.f("uq_engagement_cadence_overrides_account_id_circle")
        ),
    )
    op.create_table(
        "engagement_interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("next_step", sa.Text(), nullable=True),
        sa.Column("next_step_due", sa.Date(), nullable=True),
        sa.Column("next_step_done_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "type IN ('meeting', 'call', 'email', 'event', 'gift', 'survey', 'complaint', 'other')",
            name=op.f("ck_engagement_interactions_type_known"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_engagement_interactions_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_engagement_interactions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_engagement_interactions_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_interactions")),
    )
    with op.batch_alter_table("engagement_interactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_engagement_interactions_account_id_occurred_on",
            ["account_id", "occurred_on"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_engagement_interactions_next_step_due"), ["next_step_due"], unique=False
        )

    op.create_table(
        "engagement_attendees",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_engagement_attendees_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["engagement_interactions.id"],
            name=op.f("fk_engagement_attendees_interaction_id_engagement_interactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_engagement_attendees_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "interaction_id", "stakeholder_id", name=op.f("pk_engagement_attendees")
        ),
    )
    with op.batch_alter_table("engagement_attendees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_attendees_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_engagement_attendees_stakeholder_id"), ["stakeholder_id"], unique=False
        )

    op.create_table(
        "engagement_staff",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["engagement_interactions.id"],
            name=op.f("fk_engagement_staff_interaction_id_engagement_interactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_engagement_staff_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", "user_id", name=op.f("pk_engagement_staff")),
    )
    with op.batch_alter_table("engagement_staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_engagement_staff_user_id"), ["user_id"], unique=False)

    op.create_table(
        "engagement_stance_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("stance_before", sa.String(length=16), nullable=True),
        sa.Column("stance_after", sa.String(length=16), nullable=False),
        sa.Column("influence_before", sa.SmallInteger(), nullable=True),
        sa.Column("influence_after", sa.SmallInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_engagement_stance_changes_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["users.id"],
            name=op.f("fk_engagement_stance_changes_changed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_engagement_stance_changes_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_stance_changes")),
    )
    with op.batch_alter_table("engagement_stance_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_stance_changes_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_engagement_stance_changes_stakeholder_id"),
            ["stakeholder_id"],
            unique=False,
        )

    op.create_table(
        "engagement_survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "score BETWEEN 0 AND 10", name=op.f("ck_engagement_survey_responses_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_engagement_survey_responses_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_engagement_survey_responses_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_engagement_survey_responses_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_survey_responses")),
    )
    with op.batch_alter_table("engagement_survey_responses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_engagement_survey_responses_account_id_answered_on",
            ["account_id", "answered_on"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_engagement_survey_responses_stakeholder_id"),
            ["stakeholder_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("engagement_survey_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_survey_responses_stakeholder_id"))
        batch_op.drop_index("ix_engagement_survey_responses_account_id_answered_on")

    op.drop_table("engagement_survey_responses")
    with op.batch_alter_table("engagement_stance_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_stance_changes_stakeholder_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_stance_changes_account_id"))

    op.drop_table("engagement_stance_changes")
    with op.batch_alter_table("engagement_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_staff_user_id"))

    op.drop_table("engagement_staff")
    with op.batch_alter_table("engagement_attendees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_attendees_stakeholder_id"))
        batch_op.drop_index(batch_op.f("ix_engagement_attendees_account_id"))

    op.drop_table("engagement_attendees")
    with op.batch_alter_table("engagement_interactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_interactions_next_step_due"))
        batch_op.drop_index("ix_engagement_interactions_account_id_occurred_on")

    op.drop_table("engagement_interactions")
    op.drop_table("engagement_cadence_overrides")
