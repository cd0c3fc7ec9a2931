"""Survey campaigns: a questionnaire sent to an audience with a deadline; each response
knows its campaign.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("invited", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded", sa.JSON(none_as_null=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
            name=op.f("fk_survey_campaign_created_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_survey_campaign_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["mentoring_pair.id"],
            name=op.f("fk_survey_campaign_pair_id_mentoring_pair"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_survey_campaign_questionnaire_id_questionnaire"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_campaign")),
    )
    with op.batch_alter_table("survey_campaign", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_campaign_deadline"), ["deadline"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_survey_campaign_organisation_id"), ["organisation_id"], unique=False
        )

    with op.batch_alter_table("questionnaire_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("campaign_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_questionnaire_response_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_questionnaire_response_campaign_id_survey_campaign"),
            "survey_campaign",
            ["campaign_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("questionnaire_response", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_questionnaire_response_campaign_id_survey_campaign"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_questionnaire_response_campaign_id"))
        batch_op.drop_column("campaign_id")

    with op.batch_alter_table("survey_campaign", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_campaign_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_survey_campaign_deadline"))

    op.drop_table("survey_campaign")
