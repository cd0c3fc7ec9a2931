"""Messenger accounts: how each person is reached lives in its own table, not on the person.

The programme's rules speak person ids only; a messenger adapter finds people by their account
and resolves the address to write to. Every Telegram id on `person` becomes a 'telegram' account
(user id and chat id are the same number in a private chat), then the column goes. The outbox's
`telegram_message_id` becomes `sent_message_id` for the same reason.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence
from contextlib import AbstractContextManager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXTERNAL_ID = sa.String(length=64)


def _person_table(*, with_telegram_id: bool) -> sa.Table:
    """The person table as it is before the batch operation runs.

    Spelled out because SQLite's batch mode rebuilds the table from reflection, which loses CHECK
    constraints; with `copy_from` every constraint is rebuilt as written here.
    """
    telegram: list[sa.schema.SchemaItem] = []
    if with_telegram_id:
        telegram = [
            sa.Column("telegram_id", sa.BigInteger(), nullable=True),
            sa.UniqueConstraint("telegram_id", name="uq_person_telegram_id"),
        ]
    return sa.Table(
        "person",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("unreachable_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_number", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        *telegram,
        sa.PrimaryKeyConstraint("id", name="pk_person"),
        sa.UniqueConstraint("withdrawn_number", name="uq_person_withdrawn_number"),
        sa.CheckConstraint("locale IN ('ru', 'en')", name="ck_person_locale"),
        sa.CheckConstraint(
            "status IN ('active', 'unreachable', 'withdrawn')", name="ck_person_person_status"
        ),
    )


def _alter_person(*, with_telegram_id: bool) -> AbstractContextManager[BatchOperations]:
    """A batch over `person`: on SQLite a full rebuild from the table as written above."""
    if op.get_bind().dialect.name == "sqlite":
        return op.batch_alter_table(
            "person",
            recreate="always",
            copy_from=_person_table(with_telegram_id=with_telegram_id),
        )
    return op.batch_alter_table("person")


def upgrade() -> None:
    op.create_table(
        "messenger_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("messenger", sa.String(length=16), nullable=False),
        sa.Column("external_user_id", EXTERNAL_ID, nullable=False),
        sa.Column("chat_id", EXTERNAL_ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_messenger_account_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messenger_account")),
        sa.UniqueConstraint("messenger", "external_user_id", name="messenger_user"),
        sa.UniqueConstraint("person_id", "messenger", name="person_messenger"),
    )
    # The person's first contact is when their Telegram account was first seen.
    op.execute(
        "INSERT INTO messenger_account"
        " (person_id, messenger, external_user_id, chat_id, created_at)"
        " SELECT id, 'telegram', CAST(telegram_id AS VARCHAR(64)),"
        " CAST(telegram_id AS VARCHAR(64)), created_at"
        " FROM person WHERE telegram_id IS NOT NULL"
    )
    with _alter_person(with_telegram_id=True) as batch_op:
        batch_op.drop_constraint("uq_person_telegram_id", type_="unique")
        batch_op.drop_column("telegram_id")
    # A plain rename: SQLite has had RENAME COLUMN since 3.25, so no table rebuild is needed.
    op.execute("ALTER TABLE notification RENAME COLUMN telegram_message_id TO sent_message_id")


def downgrade() -> None:
    op.execute("ALTER TABLE notification RENAME COLUMN sent_message_id TO telegram_message_id")
    with _alter_person(with_telegram_id=False) as batch_op:
        batch_op.add_column(sa.Column("telegram_id", sa.BigInteger(), nullable=True))
        batch_op.create_unique_constraint("uq_person_telegram_id", ["telegram_id"])
    # Only Telegram accounts had a place on `person`; people without one stay NULL, which 0006
    # reads as "erased after withdrawal".
    op.execute(
        "UPDATE person SET telegram_id = ("
        " SELECT CAST(account.external_user_id AS BIGINT) FROM messenger_account AS account"
        " WHERE account.person_id = person.id AND account.messenger = 'telegram')"
    )
    op.drop_table("messenger_account")
