"""Consent documents and decisions, profiles; people can be anonymised after withdrawal.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations
from sqlalchemy.sql.schema import SchemaItem

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _person_table(*, withdrawable: bool) -> sa.Table:
    """The person table as it is after (or, for downgrade, before) this revision.

    Spelled out because SQLite's batch mode rebuilds the table from reflection, which loses CHECK
    constraints; with `copy_from` every constraint is rebuilt as written here.
    """
    statuses = "'active', 'unreachable', 'withdrawn'" if withdrawable else "'active', 'unreachable'"
    columns: list[SchemaItem] = [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=withdrawable),
        sa.Column("full_name", sa.String(length=200), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("unreachable_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    ]
    constraints: list[SchemaItem] = [
        sa.PrimaryKeyConstraint("id", name="pk_person"),
        sa.UniqueConstraint("telegram_id", name="uq_person_telegram_id"),
        sa.CheckConstraint("locale IN ('ru', 'en')", name="ck_person_locale"),
        sa.CheckConstraint(f"status IN ({statuses})", name="ck_person_person_status"),
    ]
    if withdrawable:
        columns.append(sa.Column("withdrawn_number", sa.Integer(), nullable=True))
        constraints.append(
            sa.UniqueConstraint("withdrawn_number", name="uq_person_withdrawn_number")
        )
    return sa.Table("person", sa.MetaData(), *columns, *constraints)


def _rebuild_person(*, withdrawable: bool) -> None:
    statuses = "'active', 'unreachable', 'withdrawn'" if withdrawable else "'active', 'unreachable'"
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "person",
            recreate="always",
            copy_from=_person_table(withdrawable=not withdrawable),
        ) as batch_op:
            _alter_person(batch_op, withdrawable=withdrawable, statuses=statuses)
        return
    with op.batch_alter_table("person") as batch_op:
        _alter_person(batch_op, withdrawable=withdrawable, statuses=statuses)


def _alter_person(batch_op: BatchOperations, *, withdrawable: bool, statuses: str) -> None:
    batch_op.drop_constraint(op.f("ck_person_person_status"), type_="check")
    batch_op.create_check_constraint(op.f("ck_person_person_status"), f"status IN ({statuses})")
    batch_op.alter_column("telegram_id", existing_type=sa.BigInteger(), nullable=withdrawable)
    if withdrawable:
        batch_op.add_column(sa.Column("withdrawn_number", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(op.f("uq_person_withdrawn_number"), ["withdrawn_number"])
    else:
        batch_op.drop_constraint(op.f("uq_person_withdrawn_number"), type_="unique")
        batch_op.drop_column("withdrawn_number")


def upgrade() -> None:
    op.create_table(
        "consent_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_consent_document_version_positive")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_consent_document_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_document")),
        sa.UniqueConstraint("organisation_id", "version", "locale", name="org_version_locale"),
    )
    with op.batch_alter_table("consent_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_document_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.String(length=120), nullable=False),
        sa.Column("subjects", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("experience_years", sa.Integer(), nullable=False),
        sa.Column("organisation_years", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "mentee",
                "mentor",
                "both",
                name="profile_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "mentee_category",
            sa.Enum(
                "young_specialist",
                "new_to_staff",
                "new_technology",
                "non_pedagogical",
                "other",
                name="mentee_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("offered_domains", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("needed_domains", sa.JSON(none_as_null=True), nullable=False),
        sa.Column(
            "meeting_format",
            sa.Enum(
                "in_person",
                "online",
                "any",
                name="meeting_format",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("days", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("times", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("unavailable_until", sa.Date(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "capacity IS NULL OR capacity BETWEEN 0 AND 10", name=op.f("ck_profile_capacity_range")
        ),
        sa.CheckConstraint(
            "experience_years BETWEEN 0 AND 60", name=op.f("ck_profile_experience_range")
        ),
        sa.CheckConstraint(
            "organisation_years BETWEEN 0 AND experience_years",
            name=op.f("ck_profile_organisation_years_range"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_profile_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_profile_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile")),
        sa.UniqueConstraint("person_id", "organisation_id", name="person_org"),
    )
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_profile_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "agreed",
                "declined",
                "withdrawn",
                name="consent_decision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["consent_document.id"],
            name=op.f("fk_consent_document_id_consent_document"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_consent_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_consent_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            "ix_consent_person_org", ["person_id", "organisation_id"], unique=False
        )

    _rebuild_person(withdrawable=True)


def downgrade() -> None:
    op.execute("DELETE FROM person WHERE telegram_id IS NULL")
    op.execute("UPDATE person SET status = 'active' WHERE status = 'withdrawn'")
    _rebuild_person(withdrawable=False)
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_person_org")
        batch_op.drop_index(batch_op.f("ix_consent_organisation_id"))

    op.drop_table("consent")
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_organisation_id"))

    op.drop_table("profile")
    with op.batch_alter_table("consent_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_document_organisation_id"))

    op.drop_table("consent_document")
