"""индивидуальный план развития: the pair writes goals and tasks with due dates; the assignee marks
a task done, the mentor checks it or returns it with a comment; due tasks remind the assignee the
day before and on the day through the outbox."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    MentoringPair,
    Organisation,
    PlanGoal,
    PlanTask,
    TaskAssignee,
    TaskStatus,
)
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import (
    NotAllowed,
    RequestProblem,
    RequestUnavailable,
    StaleAction,
)
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.transactions import Transactions
from services.organisations.timezones import local_date
from services.pairs.changes import side_in
from services.pairs.views import my_pairs, names
from services.plans.changes import check_goal_room, check_task_room, tell_other
from services.plans.reminders import cancel_reminders, queue_reminders
from services.plans.rules import (
    EDITABLE_PAIR_STATUSES,
    OPEN_TASK_STATUSES,
    check_due,
    clean_comment,
    clean_title,
    latest_due,
)
from services.plans.views import (
    PlanEntry,
    PlanPair,
    PlanUpdate,
    PlanView,
    TaskForm,
    TaskView,
    build_view,
)

# Ended pairs listed by /plan besides the live ones (their plans are read-only).
ENDED_PAIRS_LISTED = 5


class PlanService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    # --- reading -------------------------------------------------------------------------

    async def entry(self, actor_id: int) -> PlanEntry:
        """What /plan opens: the one pair's plan, or the person's pairs to choose from."""
        async with self._transactions.read() as session:
            pairs = await my_pairs(session, actor_id)
            live = [pair for pair in pairs if pair.status in EDITABLE_PAIR_STATUSES]
            ended = [pair for pair in pairs if not pair.status.is_live]
            choice = tuple(
                PlanPair(pair.id, pair.role, pair.other_name, pair.status)
                for pair in live + ended[:ENDED_PAIRS_LISTED]
            )
            if len(choice) != 1:
                return PlanEntry(choice, None)
            pair = await session.get(MentoringPair, choice[0].id)
            if pair is None:
                raise StaleAction
            return PlanEntry(choice, await self._view(session, pair, choice[0].role))

    async def view(self, actor_id: int, pair_id: int) -> PlanView:
        """The plan of a pair, for its two people and the organisation's curators."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            pair, side = await side_in(session, actor, pair_id, lock=False)
            return await self._view(session, pair, side)

    async def overdue(self, actor_id: int, pair_id: int) -> tuple[TaskView, ...]:
        """Open tasks whose due date has passed in the organisation's zone."""
        return (await self.view(actor_id, pair_id)).overdue

    # --- goals ---------------------------------------------------------------------------

    async def check_can_add_goal(self, actor_id: int, pair_id: int) -> None:
        """Before the title is asked: a member of an editable pair with room for a goal."""
        async with self._transactions.read() as session:
            pair, _side = await self._member_pair(session, actor_id, pair_id, lock=False)
            await check_goal_room(session, pair.id)

    async def add_goal(self, actor_id: int, pair_id: int, title: str) -> PlanUpdate:
        """A goal of the plan; the other person of the pair is told."""
        title = clean_title(title)
        now = self._clock.now()
        async with self._transactions.write() as session:
            pair, side = await self._member_pair(session, actor_id, pair_id)
            await check_goal_room(session, pair.id)
            goal = PlanGoal(pair_id=pair.id, title=title, created_by_id=actor_id, created_at=now)
            session.add(goal)
            await session.flush()
            audit.record(
                session,
                at=now,
                action="plan.goal_added",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                target_person_id=pair.mentee_id,
                pair_id=pair.id,
                goal_id=goal.id,
            )
            told = await tell_other(
                session, pair, actor_id, f"goal:{goal.id}", now, what="goal", title=title
            )
            return PlanUpdate(await self._view(session, pair, side), title, None, told)

    # --- tasks ---------------------------------------------------------------------------

    async def task_form(self, actor_id: int, pair_id: int) -> TaskForm:
        """Before the task form: the pair may take a task; its dates and goals."""
        async with self._transactions.read() as session:
            pair, _side = await self._member_pair(session, actor_id, pair_id, lock=False)
            await check_task_room(session, pair.id)
            organisation = await self._organisation(session, pair)
            today = local_date(self._clock.now(), organisation.timezone)
            people = await names(session, {pair.mentor_id, pair.mentee_id})
            goals = (
                await session.execute(
                    select(PlanGoal.id, PlanGoal.title)
                    .where(PlanGoal.pair_id == pair.id)
                    .order_by(PlanGoal.id)
                )
            ).all()
            return TaskForm(
                pair_id=pair.id,
                today=today,
                latest=latest_due(today),
                mentor_name=people.get(pair.mentor_id, ""),
                mentee_name=people.get(pair.mentee_id, ""),
                goals=tuple((goal_id, goal_title) for goal_id, goal_title in goals),
                timezone=organisation.timezone,
            )

    async def add_task(
        self,
        actor_id: int,
        pair_id: int,
        title: str,
        due_on: date | None,
        assignee: TaskAssignee,
        goal_id: int | None = None,
    ) -> PlanUpdate:
        """A task with its due date and who does it; the other person is told, and the
        assignee will be reminded the day before and on the day."""
        title = clean_title(title)
        now = self._clock.now()
        async with self._transactions.write() as session:
            pair, side = await self._member_pair(session, actor_id, pair_id)
            await check_task_room(session, pair.id)
            organisation = await self._organisation(session, pair)
            if due_on is not None:
                check_due(due_on, local_date(now, organisation.timezone))
            if goal_id is not None:
                goal = await session.get(PlanGoal, goal_id)
                if goal is None or goal.pair_id != pair.id:
                    raise StaleAction
            task = PlanTask(
                pair_id=pair.id,
                goal_id=goal_id,
                title=title,
                due_on=due_on,
                assignee=assignee,
                status=TaskStatus.OPEN,
                created_by_id=actor_id,
                created_at=now,
                updated_at=now,
            )
            session.add(task)
            await session.flush()
            audit.record(
                session,
                at=now,
                action="plan.task_added",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                target_person_id=pair.mentee_id,
                pair_id=pair.id,
                task_id=task.id,
                assignee=assignee.value,
            )
            await queue_reminders(session, pair, organisation, task, now)
            told = await tell_other(
                session,
                pair,
                actor_id,
                f"task:{task.id}",
                now,
                what="task",
                title=title,
                due_on=due_on.isoformat() if due_on else None,
                assignee=assignee.value,
            )
            return PlanUpdate(await self._view(session, pair, side), title, task.status, told)

    async def mark_done(self, actor_id: int, task_id: int) -> PlanUpdate:
        """The assignee marks the task done. A mentee's task waits for the mentor's check (the
        mentor is told); the mentor's own task counts as checked (the mentee is told)."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            task, pair, side = await self._task(session, actor_id, task_id)
            if side != task.assignee.value:
                raise NotAllowed
            if task.status not in OPEN_TASK_STATUSES:
                raise StaleAction
            task.status = (
                TaskStatus.CHECKED if task.assignee == TaskAssignee.MENTOR else TaskStatus.DONE
            )
            task.updated_at = now
            await cancel_reminders(session, task)
            audit.record(
                session,
                at=now,
                action="plan.task_done",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                target_person_id=pair.mentee_id,
                pair_id=pair.id,
                task_id=task.id,
            )
            told = await tell_other(
                session,
                pair,
                actor_id,
                f"{task.id}:{now.isoformat()}",
                now,
                kind="task_done",
                task_id=task.id,
                title=task.title,
                by=side,
            )
            return PlanUpdate(await self._view(session, pair, side), task.title, task.status, told)

    async def check(self, actor_id: int, task_id: int) -> PlanUpdate:
        """The mentor confirms a task the mentee marked done; the mentee is told."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            task, pair, side = await self._mentor_task(session, actor_id, task_id)
            task.status = TaskStatus.CHECKED
            task.updated_at = now
            await cancel_reminders(session, task)
            audit.record(
                session,
                at=now,
                action="plan.task_checked",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                target_person_id=pair.mentee_id,
                pair_id=pair.id,
                task_id=task.id,
            )
            told = await tell_other(
                session, pair, actor_id, str(task.id), now, kind="task_checked", title=task.title
            )
            return PlanUpdate(await self._view(session, pair, side), task.title, task.status, told)

    async def returnable(self, actor_id: int, task_id: int) -> TaskView:
        """Before the comment is asked: the mentor's view of a done task they may return."""
        async with self._transactions.read() as session:
            task, pair, side = await self._mentor_task(session, actor_id, task_id, lock=False)
            view = await self._view(session, pair, side)
            found = next((item for item in view.tasks if item.id == task.id), None)
            if found is None:
                raise StaleAction
            return found

    async def return_task(self, actor_id: int, task_id: int, comment: str) -> PlanUpdate:
        """The mentor sends a done task back with a comment; the assignee is told and, if the
        due date is still ahead, reminded again."""
        comment = clean_comment(comment)
        now = self._clock.now()
        async with self._transactions.write() as session:
            task, pair, side = await self._mentor_task(session, actor_id, task_id)
            task.status = TaskStatus.RETURNED
            task.comment = comment
            task.updated_at = now
            audit.record(
                session,
                at=now,
                action="plan.task_returned",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                target_person_id=pair.mentee_id,
                pair_id=pair.id,
                task_id=task.id,
            )
            organisation = await self._organisation(session, pair)
            await queue_reminders(session, pair, organisation, task, now)
            told = await tell_other(
                session,
                pair,
                actor_id,
                f"{task.id}:{now.isoformat()}",
                now,
                kind="task_returned",
                task_id=task.id,
                title=task.title,
                comment=comment,
            )
            return PlanUpdate(await self._view(session, pair, side), task.title, task.status, told)

    # --- inside a transaction --------------------------------------------------------------

    async def _view(self, session: AsyncSession, pair: MentoringPair, side: str) -> PlanView:
        organisation = await self._organisation(session, pair)
        today = local_date(self._clock.now(), organisation.timezone)
        return await build_view(session, pair, side, organisation.timezone, today)

    async def _organisation(self, session: AsyncSession, pair: MentoringPair) -> Organisation:
        organisation = await organisation_of(session, pair.organisation_id)
        return organisation

    async def _member_pair(
        self, session: AsyncSession, actor_id: int, pair_id: int, *, lock: bool = True
    ) -> tuple[MentoringPair, str]:
        """The pair (locked for a change) if the actor is in it and it may be edited."""
        actor = await load_actor(session, actor_id, self._superadmins)
        pair, side = await side_in(session, actor, pair_id, lock=lock)
        if side == "curator":
            raise NotAllowed
        _require_editable(pair)
        return pair, side

    async def _task(
        self, session: AsyncSession, actor_id: int, task_id: int, *, lock: bool = True
    ) -> tuple[PlanTask, MentoringPair, str]:
        """The task (locked for a change), its pair and the actor's side; only the pair's people
        act on tasks, and only while the pair may be edited."""
        task = await session.get(PlanTask, task_id, with_for_update=lock)
        if task is None:
            raise StaleAction
        pair = await session.get(MentoringPair, task.pair_id)
        if pair is None:
            raise StaleAction
        actor = await load_actor(session, actor_id, self._superadmins)
        if actor.person_id == pair.mentor_id:
            side = "mentor"
        elif actor.person_id == pair.mentee_id:
            side = "mentee"
        else:
            raise NotAllowed
        _require_editable(pair)
        return task, pair, side

    async def _mentor_task(
        self, session: AsyncSession, actor_id: int, task_id: int, *, lock: bool = True
    ) -> tuple[PlanTask, MentoringPair, str]:
        """A done task, for its pair's mentor to check or return."""
        task, pair, side = await self._task(session, actor_id, task_id, lock=lock)
        if side != "mentor":
            raise NotAllowed
        if task.status != TaskStatus.DONE:
            raise StaleAction
        return task, pair, side


def _require_editable(pair: MentoringPair) -> None:
    if not pair.status.is_live:
        raise RequestUnavailable(RequestProblem.PAIR_ENDED)
    if pair.status not in EDITABLE_PAIR_STATUSES:
        raise StaleAction
