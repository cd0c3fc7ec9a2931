"""A task's two reminders in the outbox: queued when the task gets a due date (or comes back
returned), cancelled when it is done. Rows with a `due_at`, never scheduler jobs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    MentoringPair,
    Notification,
    NotificationStatus,
    Organisation,
    PairStatus,
    PlanTask,
    TaskAssignee,
)
from services.organisations.windows import window_of
from services.outbox import notify
from services.plans.rules import BEFORE, REMINDER_KIND, reminder_times


def _key(task_id: int, due_on: date, when: str) -> str:
    return f"{task_id}:{due_on.isoformat()}:{when}"


def _prefix(task_id: int) -> str:
    # notify.person builds keys as "<kind>:<key>:<recipient>"; a task's keys start with its id.
    return f"{REMINDER_KIND}:{task_id}:"


async def queue_reminders(
    session: AsyncSession,
    pair: MentoringPair,
    organisation: Organisation,
    task: PlanTask,
    now: datetime,
) -> None:
    """The assignee's "tomorrow" and "today" reminders still ahead. Their keys hold the task, its
    due date and which reminder, so each is queued once; one cancelled when the task was marked
    done comes back when the task is returned."""
    if task.due_on is None:
        return
    recipient = pair.mentee_id if task.assignee == TaskAssignee.MENTEE else pair.mentor_id
    partner = pair.mentor_id if recipient == pair.mentee_id else pair.mentee_id
    paused_until = pair.paused_until if pair.status == PairStatus.PAUSED else None
    for reminder in reminder_times(
        window_of(organisation), task.due_on, now, paused_until=paused_until
    ):
        key = _key(task.id, task.due_on, reminder.when)
        queued = await notify.person(
            session,
            recipient,
            REMINDER_KIND,
            key,
            now,
            about=partner,
            pair=pair.id,
            due_at=reminder.due_at,
            expires_at=reminder.expires_at,
            pair_id=pair.id,
            task_id=task.id,
            title=task.title,
            due_on=task.due_on.isoformat(),
            when="tomorrow" if reminder.when == BEFORE else "today",
        )
        if not queued:
            await session.execute(
                update(Notification)
                .where(
                    Notification.dedupe_key == f"{REMINDER_KIND}:{key}:{recipient}",
                    Notification.status == NotificationStatus.CANCELLED,
                )
                .values(status=NotificationStatus.PENDING, due_at=reminder.due_at)
            )


async def cancel_reminders(session: AsyncSession, task: PlanTask) -> None:
    """This task's unsent reminders (notify.cancel_for_pair would take the whole pair's)."""
    await session.execute(
        update(Notification)
        .where(
            Notification.pair_id == task.pair_id,
            Notification.kind == REMINDER_KIND,
            Notification.dedupe_key.startswith(_prefix(task.id), autoescape=True),
            Notification.status == NotificationStatus.PENDING,
        )
        .values(status=NotificationStatus.CANCELLED)
    )
