"""Coordinator invites: the superadmin invites a municipal coordinator to an organisation, whose
numbers (counts only) the coordinator then sees; the invite's role gains 'coordinator'.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence
from contextlib import AbstractContextManager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("mentee", "mentor", "either", "curator", "head")
AFTER = (*BEFORE, "coordinator")
CHECK = "ck_invite_invite_role"


def _roles(roles: tuple[str, ...]) -> str:
    return "role IN (" + ", ".join(f"'{role}'" for role in roles) + ")"


def _invite_table(roles: tuple[str, ...]) -> sa.Table:
    """The invite table as it is before the batch operation runs.

    Spelled out because SQLite's batch mode rebuilds the table from reflection, which loses CHECK
    constraints; with `copy_from` every constraint is rebuilt as written here.
    """
    return sa.Table(
        "invite",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.CheckConstraint(_roles(roles), name=CHECK),
        sa.CheckConstraint(
            "max_uses IS NULL OR uses <= max_uses", name="ck_invite_uses_within_limit"
        ),
        sa.CheckConstraint("uses >= 0", name="ck_invite_uses_not_negative"),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
            name="fk_invite_created_by_id_person",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name="fk_invite_organisation_id_organisation",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_invite"),
        sa.UniqueConstraint("code", name="uq_invite_code"),
        sa.Index("ix_invite_organisation_id", "organisation_id"),
    )


def _alter_invite(roles: tuple[str, ...]) -> AbstractContextManager[BatchOperations]:
    if op.get_bind().dialect.name == "sqlite":
        return op.batch_alter_table("invite", recreate="always", copy_from=_invite_table(roles))
    return op.batch_alter_table("invite")


def _change(before: tuple[str, ...], after: tuple[str, ...]) -> None:
    with _alter_invite(before) as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.create_check_constraint("invite_role", _roles(after))


def upgrade() -> None:
    _change(BEFORE, AFTER)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM invite WHERE role = 'coordinator'"))
    _change(AFTER, BEFORE)
