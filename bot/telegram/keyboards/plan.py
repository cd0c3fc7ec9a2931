"""Buttons of /plan (the plan, its task form) and of the plan's notifications."""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import PlanCallback, TaskCallback
from bot.telegram.keyboards.common import NotificationKeyboard
from bot.telegram.plan_form import (
    ADD_GOAL,
    ADD_TASK,
    BACK,
    CHECK,
    DONE,
    OPEN,
    OVERDUE,
    RETURN,
    SHOW,
)
from models import TaskAssignee, TaskStatus
from services.plans.views import PlanPair, PlanView, TaskView

LABEL_MAX = 40
# Telegram allows 100 buttons; a plan of 50 tasks could ask for more. The soonest come first.
ACTION_TASKS_MAX = 20


def _short(text: str, limit: int = LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def pairs_keyboard(pairs: tuple[PlanPair, ...]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for pair in pairs:
        icon = "🧑‍🏫 " if pair.role == "mentee" else "🌱 "
        ended = "" if pair.status.is_live else " · " + _("ended")
        builder.button(
            text=icon + _short(pair.other_name or "—") + ended,
            callback_data=PlanCallback(pair_id=pair.id, action=SHOW),
        )
    builder.adjust(1)
    return builder.as_markup()


def _task_actions(view: PlanView, task: TaskView) -> list[tuple[str, TaskCallback]]:
    """What the viewer may do with one task: the assignee marks it done, the mentor checks or
    returns what the mentee marked done."""
    label = f"{task.number}. {_short(task.title, 28)}"
    if task.is_open and task.assignee.value == view.viewer:
        return [("✓ " + _("Done") + " · " + label, TaskCallback(task_id=task.id, action=DONE))]
    if task.status == TaskStatus.DONE and view.viewer == "mentor":
        return [
            ("✅ " + _("Checked") + " · " + label, TaskCallback(task_id=task.id, action=CHECK)),
            (
                "↩️ " + _("Return") + f" · {task.number}",
                TaskCallback(task_id=task.id, action=RETURN),
            ),
        ]
    return []


def plan_keyboard(view: PlanView, *, overdue_only: bool = False) -> InlineKeyboardMarkup | None:
    if not view.editable:
        return None
    builder = InlineKeyboardBuilder()
    sizes: list[int] = []
    tasks = view.overdue if overdue_only else view.tasks
    shown = 0
    for task in tasks:
        actions = _task_actions(view, task)
        if not actions or shown >= ACTION_TASKS_MAX:
            continue
        shown += 1
        for text, data in actions:
            builder.button(text=text, callback_data=data)
        sizes.append(len(actions))
    if overdue_only:
        builder.button(
            text="📋 " + _("The whole plan"),
            callback_data=PlanCallback(pair_id=view.pair_id, action=SHOW),
        )
        sizes.append(1)
    else:
        row = 0
        if view.can_add_goal:
            builder.button(
                text="🎯 " + _("Add a goal"),
                callback_data=PlanCallback(pair_id=view.pair_id, action=ADD_GOAL),
            )
            row += 1
        if view.can_add_task:
            builder.button(
                text="➕ " + _("Add a task"),
                callback_data=PlanCallback(pair_id=view.pair_id, action=ADD_TASK),
            )
            row += 1
        if row:
            sizes.append(row)
        if view.overdue:
            builder.button(
                text="⚠️ " + _("Overdue") + f" ({len(view.overdue)})",
                callback_data=PlanCallback(pair_id=view.pair_id, action=OVERDUE),
            )
            sizes.append(1)
    if not sizes:
        return None
    builder.adjust(*sizes)
    return builder.as_markup()


def _back(builder: InlineKeyboardBuilder, pair_id: int) -> None:
    builder.button(text="⬅️ " + _("Back"), callback_data=PlanCallback(pair_id=pair_id, action=BACK))


def back_keyboard(pair_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _back(builder, pair_id)
    return builder.as_markup()


def open_plan_button(pair_id: int) -> tuple[str, PlanCallback]:
    return "📋 " + _("Open the plan"), PlanCallback(pair_id=pair_id, action=OPEN)


def _plan_only(payload: dict[str, Any]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    text, data = open_plan_button(int(payload["pair_id"]))
    builder.button(text=text, callback_data=data)
    return builder.as_markup()


def _assignee_buttons(payload: dict[str, Any]) -> InlineKeyboardMarkup:
    """A reminder or a returned task: mark it done from the message itself."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text="✓ " + _("Done"),
        callback_data=TaskCallback(task_id=int(payload["task_id"]), action=DONE),
    )
    text, data = open_plan_button(int(payload["pair_id"]))
    builder.button(text=text, callback_data=data)
    builder.adjust(1)
    return builder.as_markup()


def _task_done(payload: dict[str, Any]) -> InlineKeyboardMarkup:
    """The mentee marked a task done: the mentor checks or returns it from the message."""
    if payload.get("by") != TaskAssignee.MENTEE.value:
        return _plan_only(payload)
    task_id = int(payload["task_id"])
    builder = InlineKeyboardBuilder()
    builder.button(
        text="✅ " + _("Checked"), callback_data=TaskCallback(task_id=task_id, action=CHECK)
    )
    builder.button(
        text="↩️ " + _("Return"), callback_data=TaskCallback(task_id=task_id, action=RETURN)
    )
    text, data = open_plan_button(int(payload["pair_id"]))
    builder.button(text=text, callback_data=data)
    builder.adjust(2, 1)
    return builder.as_markup()


NOTIFICATION_KEYBOARDS: dict[str, NotificationKeyboard] = {
    "task_due": _assignee_buttons,
    "task_returned": _assignee_buttons,
    "task_done": _task_done,
    "task_checked": _plan_only,
    "plan_changed": _plan_only,
}
