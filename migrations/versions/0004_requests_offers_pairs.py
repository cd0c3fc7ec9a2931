"""Mentees' requests, offers to mentors, pairs and groups, orders, petitions, pairing blocks.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.schema import SchemaItem

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK_ABOUT = "fk_notification_about_person_id_person"
IX_ABOUT = "ix_notification_about_person_id"


def _add_notification_subject() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Adding a named foreign key means rebuilding the table on SQLite; `copy_from` keeps its
        # CHECK constraints, which a rebuild from reflection would lose.
        with op.batch_alter_table(
            "notification", recreate="always", copy_from=_notification_table(with_subject=False)
        ) as batch_op:
            batch_op.add_column(sa.Column("about_person_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                FK_ABOUT, "person", ["about_person_id"], ["id"], ondelete="SET NULL"
            )
    else:
        op.add_column("notification", sa.Column("about_person_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            FK_ABOUT, "notification", "person", ["about_person_id"], ["id"], ondelete="SET NULL"
        )
    op.create_index(IX_ABOUT, "notification", ["about_person_id"])


def _drop_notification_subject() -> None:
    op.drop_index(IX_ABOUT, table_name="notification")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a referencing column: rebuild the table as revision 0002 made it.
        with op.batch_alter_table(
            "notification", recreate="always", copy_from=_notification_table(with_subject=True)
        ) as batch_op:
            batch_op.drop_column("about_person_id")
        return
    op.drop_constraint(FK_ABOUT, "notification", type_="foreignkey")
    op.drop_column("notification", "about_person_id")


def _notification_table(*, with_subject: bool) -> sa.Table:
    """The notification table with or without this revision's column, spelled out so a rebuild
    keeps its CHECK constraints."""
    subject: list[SchemaItem] = []
    if with_subject:
        subject = [
            sa.Column("about_person_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(
                ["about_person_id"], ["person.id"], name=FK_ABOUT, ondelete="SET NULL"
            ),
        ]
    statuses = ("pending", "sending", "sent", "failed", "expired", "cancelled")
    return sa.Table(
        "notification",
        # The enum's CHECK is named by the same convention as the models' metadata.
        sa.MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"}),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                *statuses,
                name="notification_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["person.id"],
            name="fk_notification_recipient_id_person",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notification"),
        sa.UniqueConstraint("dedupe_key", name="uq_notification_dedupe_key"),
        sa.Index("ix_notification_due", "status", "due_at"),
        sa.Index("ix_notification_recipient_id", "recipient_id"),
        *subject,
    )


def upgrade() -> None:

    op.create_table(
        "pairing_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["person.id"],
            name=op.f("fk_pairing_block_mentee_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["person.id"],
            name=op.f("fk_pairing_block_mentor_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_block")),
        sa.UniqueConstraint("mentee_id", "mentor_id", name="uq_pairing_block_people"),
    )
    op.create_table(
        "mentoring_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["person.id"],
            name=op.f("fk_mentoring_group_mentor_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_mentoring_group_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_group")),
    )
    with op.batch_alter_table("mentoring_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentoring_group_mentor_id"), ["mentor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mentoring_group_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "mentoring_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.Column("topics", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("difficulty", sa.Text(), nullable=True),
        sa.Column("hopes", sa.Text(), nullable=True),
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
        sa.Column(
            "mentoring_type",
            sa.Enum(
                "traditional",
                "short_term",
                "situational",
                name="mentoring_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("group_ok", sa.Boolean(), nullable=False),
        sa.Column(
            "urgency",
            sa.Enum(
                "month",
                "two_weeks",
                "this_week",
                name="urgency",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "awaiting_mentor",
                "matched",
                "withdrawn",
                "closed",
                name="request_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("left_to_curator", sa.Boolean(), nullable=False),
        sa.Column("failed_offers", sa.Integer(), nullable=False),
        sa.Column("curator_alerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "length(difficulty) <= 1000", name=op.f("ck_mentoring_request_difficulty_length")
        ),
        sa.CheckConstraint("length(hopes) <= 1000", name=op.f("ck_mentoring_request_hopes_length")),
        sa.ForeignKeyConstraint(
            ["filed_by_id"],
            ["person.id"],
            name=op.f("fk_mentoring_request_filed_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["person.id"],
            name=op.f("fk_mentoring_request_mentee_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_mentoring_request_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_request")),
    )
    with op.batch_alter_table("mentoring_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentoring_request_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            "uq_mentoring_request_live_mentee",
            ["mentee_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('open', 'awaiting_mentor')"),
            postgresql_where=sa.text("status IN ('open', 'awaiting_mentor')"),
        )

    op.create_table(
        "pair_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_pair_order_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["person.id"],
            name=op.f("fk_pair_order_recorded_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_order")),
        sa.UniqueConstraint(
            "organisation_id", "number", "order_date", name="uq_pair_order_number_date"
        ),
    )
    with op.batch_alter_table("pair_order", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pair_order_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "mentoring_pair",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending_order",
                "active",
                "paused",
                "completed",
                "ended_early",
                name="pair_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "origin",
            sa.Enum(
                "mentor_accepted",
                "mentor_took",
                "curator_assigned",
                "cohort_match",
                name="pair_origin",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "mentoring_type",
            sa.Enum(
                "traditional",
                "short_term",
                "situational",
                name="mentoring_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "end_reason",
            sa.Enum(
                "no_contact",
                "mismatch",
                "workload",
                "personal",
                "left",
                "other",
                name="change_reason",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.CheckConstraint(
            "mentor_id <> mentee_id", name=op.f("ck_mentoring_pair_distinct_people")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["mentoring_group.id"],
            name=op.f("fk_mentoring_pair_group_id_mentoring_group"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["person.id"],
            name=op.f("fk_mentoring_pair_mentee_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["person.id"],
            name=op.f("fk_mentoring_pair_mentor_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["pair_order.id"],
            name=op.f("fk_mentoring_pair_order_id_pair_order"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_mentoring_pair_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["mentoring_request.id"],
            name=op.f("fk_mentoring_pair_request_id_mentoring_request"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_pair")),
    )
    with op.batch_alter_table("mentoring_pair", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentoring_pair_group_id"), ["group_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mentoring_pair_mentee_id"), ["mentee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mentoring_pair_mentor_id"), ["mentor_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mentoring_pair_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mentoring_pair_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mentoring_pair_request_id"), ["request_id"], unique=False
        )
        batch_op.create_index(
            "uq_mentoring_pair_live_people",
            ["mentor_id", "mentee_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('pending_order', 'active', 'paused')"),
            postgresql_where=sa.text("status IN ('pending_order', 'active', 'paused')"),
        )

    op.create_table(
        "request_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("offered_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "declined",
                "expired",
                "cancelled",
                name="offer_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "decline_reason",
            sa.Enum(
                "no_time",
                "outside_expertise",
                "personal",
                "conflict",
                "other",
                name="decline_reason",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("decline_comment", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["person.id"],
            name=op.f("fk_request_offer_mentor_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offered_by_id"],
            ["person.id"],
            name=op.f("fk_request_offer_offered_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["mentoring_request.id"],
            name=op.f("fk_request_offer_request_id_mentoring_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_offer")),
    )
    with op.batch_alter_table("request_offer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_request_offer_mentor_id"), ["mentor_id"], unique=False)
        batch_op.create_index(
            "ix_request_offer_pending_due", ["status", "expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_request_offer_request_id"), ["request_id"], unique=False
        )
        batch_op.create_index(
            "uq_request_offer_pending_request",
            ["request_id"],
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )

    op.create_table(
        "pair_petition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "replace_mentor",
                "relieve_mentor",
                name="petition_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                name="petition_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "reason",
            sa.Enum(
                "no_contact",
                "mismatch",
                "workload",
                "personal",
                "left",
                "other",
                name="change_reason",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["person.id"],
            name=op.f("fk_pair_petition_decided_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["mentoring_pair.id"],
            name=op.f("fk_pair_petition_pair_id_mentoring_pair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["person.id"],
            name=op.f("fk_pair_petition_requested_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_petition")),
    )
    with op.batch_alter_table("pair_petition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pair_petition_pair_id"), ["pair_id"], unique=False)
        batch_op.create_index(
            "uq_pair_petition_pending_pair",
            ["pair_id"],
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )

    _add_notification_subject()
    op.add_column("person", sa.Column("username", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("person", "username")
    _drop_notification_subject()

    with op.batch_alter_table("pair_petition", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_pair_petition_pending_pair",
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )
        batch_op.drop_index(batch_op.f("ix_pair_petition_pair_id"))

    op.drop_table("pair_petition")
    with op.batch_alter_table("request_offer", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_request_offer_pending_request",
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )
        batch_op.drop_index(batch_op.f("ix_request_offer_request_id"))
        batch_op.drop_index("ix_request_offer_pending_due")
        batch_op.drop_index(batch_op.f("ix_request_offer_mentor_id"))

    op.drop_table("request_offer")
    with op.batch_alter_table("mentoring_pair", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_mentoring_pair_live_people",
            sqlite_where=sa.text("status IN ('pending_order', 'active', 'paused')"),
            postgresql_where=sa.text("status IN ('pending_order', 'active', 'paused')"),
        )
        batch_op.drop_index(batch_op.f("ix_mentoring_pair_request_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_pair_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_pair_order_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_pair_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_pair_mentee_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_pair_group_id"))

    op.drop_table("mentoring_pair")
    with op.batch_alter_table("pair_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pair_order_organisation_id"))

    op.drop_table("pair_order")
    with op.batch_alter_table("mentoring_request", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_mentoring_request_live_mentee",
            sqlite_where=sa.text("status IN ('open', 'awaiting_mentor')"),
            postgresql_where=sa.text("status IN ('open', 'awaiting_mentor')"),
        )
        batch_op.drop_index(batch_op.f("ix_mentoring_request_organisation_id"))

    op.drop_table("mentoring_request")
    with op.batch_alter_table("mentoring_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentoring_group_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_group_mentor_id"))

    op.drop_table("mentoring_group")
    op.drop_table("pairing_block")
