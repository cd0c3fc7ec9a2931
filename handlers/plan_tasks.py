"""The task form of /plan: title → due date → who does it → goal → saved, the other side told.

The answers live in the FSM data until the task is saved, so /cancel leaves nothing behind."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import PlanCallback
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import plan as keyboards
from bot.telegram.plan_form import (
    ADD_TASK,
    BACK,
    DUE,
    IN_GOAL,
    MENTOR_CODE,
    NO_GOAL,
    WHO,
    PlanTaskSteps,
    TaskDraft,
    due_problem_text,
    title_problem_text,
    unexpected_hint,
)
from bot.telegram.plan_replies import drop_buttons, send_update
from bot.telegram.redraw import message_id_of, send_or_edit
from bot.telegram.states import PlanForm
from bot.telegram.texts import Texts
from models import TaskAssignee
from services.core.errors import DomainError, StaleAction, ValidationFailed
from services.pairs.rules import parse_day
from services.plans.rules import check_due, clean_title

DATE_FORMAT = "%d.%m.%Y"
# FSM state names of the steps, as FSMContext.get_state() returns them.
TITLE_STEP = PlanForm.task_title.state or ""
DUE_STEP = PlanForm.task_due.state or ""
ASSIGNEE_STEP = PlanTaskSteps.assignee.state or ""
GOAL_STEP = PlanTaskSteps.goal.state or ""


async def ask(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    texts: Texts,
    draft: TaskDraft,
    step: str,
    *,
    hint: str | None = None,
    message_id: int | None = None,
) -> None:
    """Ask the task form's `step` (a state name), or save the task when nothing is left."""
    await state.set_state(step)
    await state.set_data(draft.to_state())
    title = draft.title or ""
    if step == TITLE_STEP:
        text, markup = texts.render("plan/task_title.j2", hint=hint), None
    elif step == DUE_STEP:
        example = (draft.today + timedelta(days=14)).strftime(DATE_FORMAT)
        latest = draft.latest.strftime(DATE_FORMAT)
        text = texts.render(
            "plan/task_due.j2", hint=hint, title=title, example=example, latest=latest
        )
        markup = keyboards.due_keyboard(draft)
    elif step == ASSIGNEE_STEP:
        text = texts.render("plan/task_assignee.j2", hint=hint, title=title)
        markup = keyboards.assignee_keyboard(draft)
    else:
        text = texts.render("plan/task_goal.j2", hint=hint, title=title)
        markup = keyboards.goal_keyboard(draft)
    await send_or_edit(bot, chat_id, text, markup, message_id)


async def _load(state: FSMContext) -> tuple[TaskDraft, str]:
    try:
        draft = TaskDraft.from_state(await state.get_data())
    except StaleAction:
        await state.clear()
        raise
    return draft, await state.get_state() or ""


async def task_title(message: Message, state: FSMContext, texts: Texts, bot: Bot) -> None:
    """The typed title of a new task."""
    draft, _step = await _load(state)
    try:
        title = clean_title(message.text or "")
    except ValidationFailed as problem:
        hint = title_problem_text(problem.reason)
        await ask(bot, message.chat.id, state, texts, draft, TITLE_STEP, hint=hint)
        return
    draft = draft.with_changes(title=title)
    await ask(bot, message.chat.id, state, texts, draft, DUE_STEP)


async def task_due(message: Message, state: FSMContext, texts: Texts, bot: Bot) -> None:
    """The typed due date of a new task."""
    draft, _step = await _load(state)
    try:
        due_on = check_due(parse_day(message.text or "", "due_on"), draft.today)
    except ValidationFailed as problem:
        hint = due_problem_text(problem.reason)
        await ask(bot, message.chat.id, state, texts, draft, DUE_STEP, hint=hint)
        return
    draft = draft.with_changes(due_on=due_on, due_answered=True)
    await ask(bot, message.chat.id, state, texts, draft, ASSIGNEE_STEP)


async def on_task_form_button(
    callback: CallbackQuery,
    callback_data: PlanCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """A button of the task form: a quick date, who does it, the goal, or Back."""
    draft, step = await _load(state)
    action, value = callback_data.action, callback_data.item_id
    if callback_data.pair_id != draft.pair_id:
        raise StaleAction
    chat_id, message_id = person.chat_id, message_id_of(callback)
    if action == BACK:
        previous = {
            DUE_STEP: TITLE_STEP,
            ASSIGNEE_STEP: DUE_STEP,
            GOAL_STEP: ASSIGNEE_STEP,
        }.get(step)
        if previous is None:
            raise StaleAction
        await callback.answer()
        await ask(bot, chat_id, state, texts, draft, previous, message_id=message_id)
        return
    if action == DUE and step == DUE_STEP:
        draft = draft.with_changes(due_on=draft.quick_due(value), due_answered=True)
        await callback.answer()
        await ask(bot, chat_id, state, texts, draft, ASSIGNEE_STEP)
        return
    if action == WHO and step == ASSIGNEE_STEP:
        assignee = TaskAssignee.MENTOR if value == MENTOR_CODE else TaskAssignee.MENTEE
        draft = draft.with_changes(assignee=assignee.value)
        if draft.goals:
            await callback.answer()
            await ask(bot, chat_id, state, texts, draft, GOAL_STEP)
            return
        await _save_task(callback, state, person, services, texts, bot, draft, None)
        return
    if action == IN_GOAL and step == GOAL_STEP:
        goal_ids = {goal_id for goal_id, _title in draft.goals}
        if value != NO_GOAL and value not in goal_ids:
            raise StaleAction
        goal_id = None if value == NO_GOAL else value
        await _save_task(callback, state, person, services, texts, bot, draft, goal_id)
        return
    raise StaleAction


async def _save_task(
    callback: CallbackQuery,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
    draft: TaskDraft,
    goal_id: int | None,
) -> None:
    if draft.title is None or draft.assignee is None or not draft.due_answered:
        raise StaleAction
    try:
        update = await services.plans.add_task(
            person.id,
            draft.pair_id,
            draft.title,
            draft.due_on,
            TaskAssignee(draft.assignee),
            goal_id,
        )
    except ValidationFailed as problem:
        if problem.field == "task":
            await state.clear()
            await callback.answer(_("A plan holds at most 50 tasks."), show_alert=True)
            return
        if problem.field != "due_on":
            await state.clear()
            raise
        # Midnight passed while the form was open: ask the date again.
        await callback.answer()
        hint = due_problem_text(problem.reason)
        await ask(bot, person.chat_id, state, texts, draft, DUE_STEP, hint=hint)
        return
    except DomainError:
        await state.clear()
        raise
    await state.clear()
    await callback.answer()
    await drop_buttons(bot, callback)
    await send_update(bot, person.chat_id, texts, update, ADD_TASK)


async def task_form_unexpected(message: Message, state: FSMContext, texts: Texts, bot: Bot) -> None:
    """A photo, a sticker, a command, or text where a button is expected: ask again."""
    draft, step = await _load(state)
    is_command = bool(message.text and message.text.startswith("/"))
    hint = unexpected_hint(is_command, buttons=step in (ASSIGNEE_STEP, GOAL_STEP))
    await ask(bot, message.chat.id, state, texts, draft, step, hint=hint)


def get_router() -> Router:
    router = Router(name="plan_tasks")
    text = F.text & ~F.text.startswith("/")
    router.message.register(task_title, PlanForm.task_title, text)
    router.message.register(task_due, PlanForm.task_due, text)
    router.message.register(
        task_form_unexpected, StateFilter(PlanForm.task_title, PlanForm.task_due, PlanTaskSteps)
    )
    router.callback_query.register(
        on_task_form_button,
        PlanCallback.filter(F.action.in_({DUE, WHO, IN_GOAL, BACK})),
        StateFilter(PlanForm.task_due, PlanTaskSteps),
    )
    return router
