"""индивидуальный план развития: a pair's goals and tasks with due dates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column
from models.enums import TaskAssignee, TaskStatus


class PlanGoal(Base):
    __tablename__ = "plan_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_pair.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PlanTask(Base):
    __tablename__ = "plan_task"
    __table_args__: Any = (sa.Index("ix_plan_task_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_pair.id", ondelete="CASCADE"), index=True
    )
    goal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan_goal.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(sa.String(300))
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    assignee: Mapped[TaskAssignee] = mapped_column(enum_column(TaskAssignee, "task_assignee"))
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus, "task_status"))
    # The mentor's comment when returning the task.
    comment: Mapped[str | None] = mapped_column(sa.String(500))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
