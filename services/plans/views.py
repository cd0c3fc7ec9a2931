"""What a development plan looks like to the pair and its curator, read inside a transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MentoringPair, PairStatus, PlanGoal, PlanTask, TaskAssignee, TaskStatus
from services.pairs.views import names
from services.plans.rules import (
    EDITABLE_PAIR_STATUSES,
    MAX_GOALS,
    MAX_TASKS,
    OPEN_TASK_STATUSES,
    is_overdue,
)


@dataclass(frozen=True, slots=True)
class TaskView:
    id: int
    number: int  # its place in the plan as shown, 1…
    title: str
    goal_id: int | None
    due_on: date | None
    assignee: TaskAssignee
    assignee_name: str
    status: TaskStatus
    comment: str | None
    overdue: bool

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES


@dataclass(frozen=True, slots=True)
class GoalView:
    id: int
    title: str
    tasks: tuple[TaskView, ...]


@dataclass(frozen=True, slots=True)
class PlanView:
    pair_id: int
    status: PairStatus
    viewer: str  # "mentor", "mentee" or "curator"
    mentor_name: str
    mentee_name: str
    timezone: str
    today: date
    goals: tuple[GoalView, ...]
    loose_tasks: tuple[TaskView, ...]  # tasks outside any goal

    @property
    def editable(self) -> bool:
        return self.viewer != "curator" and self.status in EDITABLE_PAIR_STATUSES

    @property
    def tasks(self) -> tuple[TaskView, ...]:
        return tuple(task for goal in self.goals for task in goal.tasks) + self.loose_tasks

    @property
    def overdue(self) -> tuple[TaskView, ...]:
        return tuple(task for task in self.tasks if task.overdue)

    @property
    def can_add_goal(self) -> bool:
        return self.editable and len(self.goals) < MAX_GOALS

    @property
    def can_add_task(self) -> bool:
        return self.editable and len(self.tasks) < MAX_TASKS


@dataclass(frozen=True, slots=True)
class PlanPair:
    """A pair offered by /plan when the person has several."""

    id: int
    role: str  # the viewer's role in it
    other_name: str
    status: PairStatus


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """What /plan opens: the plan itself when there is one pair, else the pairs to choose from."""

    pairs: tuple[PlanPair, ...]
    view: PlanView | None


@dataclass(frozen=True, slots=True)
class TaskForm:
    """What the task form needs before its first question."""

    pair_id: int
    today: date
    latest: date
    mentor_name: str
    mentee_name: str
    goals: tuple[tuple[int, str], ...]
    timezone: str  # the organisation's: what "today" is for the due date


@dataclass(frozen=True, slots=True)
class PlanUpdate:
    """The plan after a change, with what changed, for the reply to whoever changed it."""

    view: PlanView
    title: str  # of the goal or task that changed
    status: TaskStatus | None  # the task's new status (None for a goal)
    told_name: str  # the other person of the pair, who was told


def _sort_key(task: PlanTask) -> tuple[bool, date, int]:
    # Dated tasks first, soonest first; undated ones after them, in the order they were added.
    return (task.due_on is None, task.due_on or date.min, task.id)


async def build_view(
    session: AsyncSession, pair: MentoringPair, viewer: str, timezone: str, today: date
) -> PlanView:
    goals = (
        await session.scalars(
            select(PlanGoal).where(PlanGoal.pair_id == pair.id).order_by(PlanGoal.id)
        )
    ).all()
    tasks = sorted(
        (await session.scalars(select(PlanTask).where(PlanTask.pair_id == pair.id))).all(),
        key=_sort_key,
    )
    people = await names(session, {pair.mentor_id, pair.mentee_id})
    assignee_names = {
        TaskAssignee.MENTOR: people.get(pair.mentor_id, ""),
        TaskAssignee.MENTEE: people.get(pair.mentee_id, ""),
    }
    goal_ids = {goal.id for goal in goals}
    ordered = [task for goal in goals for task in tasks if task.goal_id == goal.id]
    ordered += [task for task in tasks if task.goal_id not in goal_ids]
    views = [
        TaskView(
            id=task.id,
            number=number,
            title=task.title,
            goal_id=task.goal_id if task.goal_id in goal_ids else None,
            due_on=task.due_on,
            assignee=task.assignee,
            assignee_name=assignee_names[task.assignee],
            status=task.status,
            comment=task.comment,
            overdue=is_overdue(task.status, task.due_on, today),
        )
        for number, task in enumerate(ordered, start=1)
    ]
    return PlanView(
        pair_id=pair.id,
        status=pair.status,
        viewer=viewer,
        mentor_name=people.get(pair.mentor_id, ""),
        mentee_name=people.get(pair.mentee_id, ""),
        timezone=timezone,
        today=today,
        goals=tuple(
            GoalView(goal.id, goal.title, tuple(v for v in views if v.goal_id == goal.id))
            for goal in goals
        ),
        loose_tasks=tuple(view for view in views if view.goal_id is None),
    )
