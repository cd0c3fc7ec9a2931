"""The task form of /plan: its answers kept in the FSM data until the task is saved, and the two
button-only steps that bot/states.py's PlanForm does not have."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Any

from aiogram.fsm.state import State, StatesGroup
from aiogram.utils.i18n import gettext as _

from services.core.errors import StaleAction
from services.plans.views import TaskForm

# PlanCallback actions of the plan and of its forms.
SHOW = "show"
# Opens the plan in a new message (from a notification or the curator's pair card).
OPEN = "open"
ADD_GOAL = "goal"
ADD_TASK = "task"
OVERDUE = "overdue"
DUE = "due"  # item_id: days from today (7, 14), or NO_DATE
WHO = "who"  # item_id: MENTEE_CODE or MENTOR_CODE
IN_GOAL = "in_goal"  # item_id: the goal's id, or NO_GOAL
BACK = "back"
NO_DATE = 0
NO_GOAL = 0
MENTEE_CODE = 0
MENTOR_CODE = 1
QUICK_DUE_DAYS = (7, 14)

# TaskCallback actions.
DONE = "done"
CHECK = "check"
RETURN = "return"


class PlanTaskSteps(StatesGroup):
    """The task form's steps answered with buttons only (after PlanForm.task_due)."""

    assignee = State()
    goal = State()


@dataclass(frozen=True, slots=True)
class TaskDraft:
    """A task being written: the pair, its dates and goals, and the answers so far."""

    pair_id: int
    today: date
    latest: date
    mentor_name: str
    mentee_name: str
    goals: tuple[tuple[int, str], ...]
    title: str | None = None
    due_on: date | None = None
    due_answered: bool = False
    assignee: str | None = None

    @classmethod
    def start(cls, form: TaskForm) -> TaskDraft:
        return cls(
            pair_id=form.pair_id,
            today=form.today,
            latest=form.latest,
            mentor_name=form.mentor_name,
            mentee_name=form.mentee_name,
            goals=form.goals,
        )

    def to_state(self) -> dict[str, Any]:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        data["latest"] = self.latest.isoformat()
        data["due_on"] = self.due_on.isoformat() if self.due_on else None
        data["goals"] = [list(goal) for goal in self.goals]
        return data

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> TaskDraft:
        try:
            return cls(
                pair_id=int(data["pair_id"]),
                today=date.fromisoformat(data["today"]),
                latest=date.fromisoformat(data["latest"]),
                mentor_name=str(data["mentor_name"]),
                mentee_name=str(data["mentee_name"]),
                goals=tuple((int(goal_id), str(title)) for goal_id, title in data["goals"]),
                title=data.get("title"),
                due_on=date.fromisoformat(data["due_on"]) if data.get("due_on") else None,
                due_answered=bool(data.get("due_answered")),
                assignee=data.get("assignee"),
            )
        except (KeyError, TypeError, ValueError):
            raise StaleAction from None

    def with_changes(self, **changes: Any) -> TaskDraft:
        return replace(self, **changes)

    def quick_due(self, days: int) -> date | None:
        """A quick-date button's date; NO_DATE means the task has none."""
        if days == NO_DATE:
            return None
        if days not in QUICK_DUE_DAYS:
            raise StaleAction
        return self.today + timedelta(days=days)


def title_problem_text(reason: str) -> str:
    if reason == "too_long":
        return _("That is too long: at most 300 characters, please.")
    return _("That is too short: at least 3 characters, please.")


def due_problem_text(reason: str) -> str:
    if reason == "past":
        return _("This date has already passed. Please send today's date or a later one.")
    if reason == "too_far":
        return _("A due date can be at most a year ahead. Please send an earlier date.")
    return _("Please send the date as DD.MM.YYYY.")


def comment_problem_text(reason: str) -> str:
    if reason == "too_long":
        return _("That is too long: at most 500 characters, please.")
    return _("Please write a few words for the mentee.")


def unexpected_hint(is_command: bool, *, buttons: bool) -> str:
    if is_command:
        return _(
            "This command does not work inside the form. Answer the question, "
            "or send /cancel to leave the form."
        )
    if buttons:
        return _("Please use the buttons below.")
    return _("Please answer with text.")
