"""/plan's button actions and the words of its own prompts (a goal's title, a returned task's
comment, a due date refused at saving). The task form itself is data: bot/telegram/plan_forms.py."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

# PlanCallback actions of the plan and of its forms.
SHOW = "show"
# Opens the plan in a new message (from a notification or the curator's pair card).
OPEN = "open"
ADD_GOAL = "goal"
ADD_TASK = "task"
OVERDUE = "overdue"
BACK = "back"

# TaskCallback actions.
DONE = "done"
CHECK = "check"
RETURN = "return"


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
