"""Rules of a development plan: what a title, a comment and a due date may be, and when a task's
two reminders go out. Pure functions: no database, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models import PairStatus, TaskStatus
from services.core.errors import ValidationFailed
from services.core.text import clean_text
from services.organisations.sending_window import SendingWindow
from services.pairs.rules import add_months

MAX_GOALS = 10
MAX_TASKS = 50
TITLE_MIN = 3
TITLE_MAX = 300
COMMENT_MIN = 2
COMMENT_MAX = 500
DUE_MONTHS_AHEAD = 12
# Ended pairs keep their plan to read; pairs waiting for the order have not started yet.
EDITABLE_PAIR_STATUSES = frozenset({PairStatus.ACTIVE, PairStatus.PAUSED})
OPEN_TASK_STATUSES = frozenset({TaskStatus.OPEN, TaskStatus.RETURNED})
REMINDER_KIND = "task_due"
# The two reminders of a task: the day before ("tomorrow") and the due day itself ("today").
BEFORE = "before"
ON_DAY = "on_day"


def clean_title(value: str, field: str = "title") -> str:
    """A goal's or a task's title: one line, 3–300 characters."""
    return clean_text(value, field=field, min_length=TITLE_MIN, max_length=TITLE_MAX)


def clean_comment(value: str) -> str:
    """The mentor's comment on a returned task: 2–500 characters, line breaks kept."""
    return clean_text(
        value, field="comment", min_length=COMMENT_MIN, max_length=COMMENT_MAX, multiline=True
    )


def latest_due(today: date) -> date:
    return add_months(today, DUE_MONTHS_AHEAD)


def check_due(due_on: date, today: date) -> date:
    """Today or later, at most a year ahead (both in the organisation's zone)."""
    if due_on < today:
        raise ValidationFailed("due_on", "past")
    if due_on > latest_due(today):
        raise ValidationFailed("due_on", "too_far")
    return due_on


def is_overdue(status: TaskStatus, due_on: date | None, today: date) -> bool:
    return status in OPEN_TASK_STATUSES and due_on is not None and due_on < today


def local_midnight(day: date, timezone: str) -> datetime:
    """The UTC instant `day` begins in the zone."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Reminder:
    when: str  # BEFORE or ON_DAY
    due_at: datetime
    expires_at: datetime


def reminder_times(
    window: SendingWindow,
    due_on: date,
    now: datetime,
    *,
    paused_until: date | None = None,
) -> list[Reminder]:
    """The reminders a task due on `due_on` still gets: each at the window's opening on its day.

    A reminder is skipped when its time has passed, when the window does not open on its day at
    all (a weekend or a holiday: "tomorrow" sent on the due day would be wrong), and when it
    falls inside a pause (only active pairs are reminded).
    """
    expires_at = local_midnight(due_on + timedelta(days=1), window.timezone)
    reminders = []
    for when, day in ((BEFORE, due_on - timedelta(days=1)), (ON_DAY, due_on)):
        start = local_midnight(day, window.timezone)
        due_at = window.next_opening(start)
        if due_at < now or window.local_date(due_at) != day:
            continue
        if paused_until is not None and day < paused_until:
            continue
        reminders.append(Reminder(when, due_at, expires_at))
    return reminders
