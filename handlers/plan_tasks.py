"""The task form of /plan on the one form engine: title → due date → who does it → goal → saved,
the other side told. The form is data (bot/telegram/plan_forms.py); this module starts it with
the pair's names and goals as options and says what saving does."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.forms import Reply, purpose, start_form
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import plan as keyboards
from bot.telegram.plan_form import ADD_TASK, due_problem_text
from bot.telegram.plan_forms import PLAN_TASK
from bot.telegram.plan_replies import notice_text, render_plan
from bot.telegram.texts import Texts
from models import TaskAssignee
from services.core.errors import ValidationFailed
from services.forms.definitions import Answer
from services.plans.views import TaskForm

NAME_MAX = 30
GOAL_PREFIX = "g"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def start_task_form(
    bot: Bot,
    state: FSMContext,
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    form: TaskForm,
) -> None:
    """The task form for the pair `form` describes (the caller checked there is room)."""
    names = (
        ("mentee", _("Mentee"), form.mentee_name),
        ("mentor", _("Mentor"), form.mentor_name),
    )
    options = {
        "assignee": [
            [code, f"{role}: {_short(name or '—', NAME_MAX)}"] for code, role, name in names
        ],
        "goal": [[f"{GOAL_PREFIX}{goal_id}", "🎯 " + title] for goal_id, title in form.goals],
    }
    await start_form(
        bot,
        state,
        services,
        texts,
        person,
        PLAN_TASK,
        "plan_task",
        options=options,
        timezone=form.timezone,
        pair_id=form.pair_id,
    )


@purpose("plan_task")
async def save_task(
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    context: dict[str, Any],
    answers: dict[str, Answer],
) -> Reply:
    due = answers.get("due_on")
    goal = answers.get("goal")
    goal_id = int(str(goal).removeprefix(GOAL_PREFIX)) if goal else None
    try:
        update = await services.plans.add_task(
            person.id,
            int(context["pair_id"]),
            str(answers["title"]),
            date.fromisoformat(str(due)) if due else None,
            TaskAssignee(str(answers["assignee"])),
            goal_id,
        )
    except ValidationFailed as problem:
        if problem.field == "task":
            return _("A plan holds at most 50 tasks.")
        if problem.field != "due_on":
            raise
        # Midnight passed while the form was open (or the year is shorter than it looked).
        return due_problem_text(problem.reason)
    view = update.view
    return render_plan(texts, view, notice_text(update, ADD_TASK)), keyboards.plan_keyboard(view)
