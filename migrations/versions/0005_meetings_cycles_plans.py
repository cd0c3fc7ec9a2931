"""A pair's rhythm and plan: cadence cycles, meetings, agreed dates, goals and tasks.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agreed_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["mentoring_pair.id"],
            name=op.f("fk_agreed_meeting_pair_id_mentoring_pair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"],
            ["person.id"],
            name=op.f("fk_agreed_meeting_set_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreed_meeting")),
    )
    with op.batch_alter_table("agreed_meeting", schema=None) as batch_op:
        batch_op.create_index("ix_agreed_meeting_pair_at", ["pair_id", "at"], unique=False)

    op.create_table(
        "pair_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "met",
                "postponed",
                "missed",
                name="cycle_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("postponed_to", sa.Date(), nullable=True),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_pair_cycle_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["person.id"],
            name=op.f("fk_pair_cycle_answered_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["mentoring_pair.id"],
            name=op.f("fk_pair_cycle_pair_id_mentoring_pair"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_cycle")),
        sa.UniqueConstraint("pair_id", "number", name="uq_pair_cycle_pair_number"),
    )
    with op.batch_alter_table("pair_cycle", schema=None) as batch_op:
        batch_op.create_index("ix_pair_cycle_due", ["status", "ends_at"], unique=False)

    op.create_table(
        "plan_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
            name=op.f("fk_plan_goal_created_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["mentoring_pair.id"],
            name=op.f("fk_plan_goal_pair_id_mentoring_pair"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_goal")),
    )
    with op.batch_alter_table("plan_goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_goal_pair_id"), ["pair_id"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "introduction",
                "planning",
                "regular",
                "final",
                name="meeting_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("held_on", sa.Date(), nullable=False),
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
            nullable=True,
        ),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("topic", sa.String(length=200), nullable=True),
        sa.Column("usefulness", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("next_step", sa.String(length=300), nullable=True),
        sa.Column("answers", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes BETWEEN 5 AND 600",
            name=op.f("ck_meeting_duration"),
        ),
        sa.CheckConstraint(
            "usefulness IS NULL OR usefulness BETWEEN 1 AND 5", name=op.f("ck_meeting_usefulness")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["pair_cycle.id"],
            name=op.f("fk_meeting_cycle_id_pair_cycle"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["mentoring_pair.id"],
            name=op.f("fk_meeting_pair_id_mentoring_pair"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["person.id"],
            name=op.f("fk_meeting_recorded_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_pair_held", ["pair_id", "held_on"], unique=False)

    op.create_table(
        "plan_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "assignee",
            sa.Enum(
                "mentee",
                "mentor",
                name="task_assignee",
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
                "done",
                "checked",
                "returned",
                name="task_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("comment", sa.String(length=500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
            name=op.f("fk_plan_task_created_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["plan_goal.id"],
            name=op.f("fk_plan_task_goal_id_plan_goal"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["mentoring_pair.id"],
            name=op.f("fk_plan_task_pair_id_mentoring_pair"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_task")),
    )
    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.create_index("ix_plan_task_due", ["status", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_task_pair_id"), ["pair_id"], unique=False)

    # Plain ALTER TABLE on both databases: a batch rebuild on SQLite would lose the CHECKs.
    op.add_column("notification", sa.Column("pair_id", sa.Integer(), nullable=True))
    op.create_index("ix_notification_pair_id", "notification", ["pair_id"])
    op.add_column("mentoring_pair", sa.Column("cadence_days", sa.Integer(), nullable=True))
    op.add_column(
        "mentoring_pair",
        sa.Column("silent_cycles", sa.Integer(), server_default="0", nullable=False),
    )


def downgrade() -> None:
    op.drop_index("ix_notification_pair_id", table_name="notification")
    op.drop_column("notification", "pair_id")
    op.drop_column("mentoring_pair", "silent_cycles")
    op.drop_column("mentoring_pair", "cadence_days")

    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_task_pair_id"))
        batch_op.drop_index("ix_plan_task_due")

    op.drop_table("plan_task")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_pair_held")

    op.drop_table("meeting")
    with op.batch_alter_table("plan_goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_goal_pair_id"))

    op.drop_table("plan_goal")
    with op.batch_alter_table("pair_cycle", schema=None) as batch_op:
        batch_op.drop_index("ix_pair_cycle_due")

    op.drop_table("pair_cycle")
    with op.batch_alter_table("agreed_meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_agreed_meeting_pair_at")

    op.drop_table("agreed_meeting")
