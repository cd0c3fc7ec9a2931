"""/plan: a pair's development plan (индивидуальный план развития) — goals, tasks with due dates
and who does them; the assignee marks a task done, the mentor checks it or returns it with a
comment. The task form is in handlers/plan_tasks.py."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import PlanCallback, TaskCallback
from bot.telegram.filters import TypedText
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import plan as keyboards
from bot.telegram.plan_form import (
    ADD_GOAL,
    ADD_TASK,
    CHECK,
    DONE,
    OPEN,
    OVERDUE,
    RETURN,
    SHOW,
    comment_problem_text,
    title_problem_text,
    unexpected_hint,
)
from bot.telegram.plan_replies import drop_buttons, notice_text, render_plan, send_update
from bot.telegram.redraw import message_id_of, send_or_edit
from bot.telegram.states import PlanForm
from bot.telegram.texts import Texts
from handlers import plan_tasks
from services.core.errors import DomainError, StaleAction, ValidationFailed

# FSM state names, as FSMContext.get_state() returns them.
GOAL_TITLE_STEP = PlanForm.goal_title.state or ""


# --- the plan --------------------------------------------------------------------------------


async def cmd_plan(
    message: Message, state: FSMContext, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """/plan: the pair's plan, or the person's pairs to choose from."""
    await state.clear()
    entry = await services.plans.entry(person.id)
    if entry.view is not None:
        await message.answer(
            render_plan(texts, entry.view), reply_markup=keyboards.plan_keyboard(entry.view)
        )
        return
    markup = keyboards.pairs_keyboard(entry.pairs) if entry.pairs else None
    await message.answer(texts.render("plan/choose.j2", pairs=entry.pairs), reply_markup=markup)


async def on_plan_action(
    callback: CallbackQuery,
    callback_data: PlanCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """The plan's buttons: open it, its overdue tasks, add a goal, add a task."""
    pair_id, action = callback_data.pair_id, callback_data.action
    chat_id = person.chat_id
    if action in (SHOW, OPEN):
        view = await services.plans.view(person.id, pair_id)
        await callback.answer()
        await send_or_edit(
            bot,
            chat_id,
            render_plan(texts, view),
            keyboards.plan_keyboard(view),
            message_id_of(callback) if action == SHOW else None,
        )
    elif action == OVERDUE:
        view = await services.plans.view(person.id, pair_id)
        await callback.answer()
        await bot.send_message(
            chat_id,
            texts.render("plan/overdue.j2", plan=view),
            reply_markup=keyboards.plan_keyboard(view, overdue_only=True),
        )
    elif action == ADD_GOAL:
        try:
            await services.plans.check_can_add_goal(person.id, pair_id)
        except ValidationFailed:
            await callback.answer(_("A plan holds at most 10 goals."), show_alert=True)
            return
        await callback.answer()
        await state.clear()
        await state.set_state(PlanForm.goal_title)
        await state.update_data(pair_id=pair_id)
        await bot.send_message(chat_id, texts.render("plan/goal_ask.j2", hint=None))
    elif action == ADD_TASK:
        try:
            form = await services.plans.task_form(person.id, pair_id)
        except ValidationFailed:
            await callback.answer(_("A plan holds at most 50 tasks."), show_alert=True)
            return
        await callback.answer()
        await state.clear()
        await plan_tasks.start_task_form(bot, state, services, texts, person, form)
    else:
        raise StaleAction


async def on_task_action(
    callback: CallbackQuery,
    callback_data: TaskCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """A task's buttons: Done (the assignee), Checked or Return (the mentor)."""
    task_id, action = callback_data.task_id, callback_data.action
    if action == DONE:
        update = await services.plans.mark_done(person.id, task_id)
    elif action == CHECK:
        update = await services.plans.check(person.id, task_id)
    elif action == RETURN:
        task = await services.plans.returnable(person.id, task_id)
        await callback.answer()
        await state.clear()
        await state.set_state(PlanForm.task_return_comment)
        await state.update_data(task_id=task.id, title=task.title)
        await bot.send_message(
            person.chat_id, texts.render("plan/return_ask.j2", hint=None, title=task.title)
        )
        return
    else:
        raise StaleAction
    await callback.answer()
    await drop_buttons(bot, callback)
    await send_update(bot, person.chat_id, texts, update, action)


# --- a goal ----------------------------------------------------------------------------------


async def goal_title(
    message: Message, state: FSMContext, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """The typed title of a new goal."""
    pair_id = _int(await state.get_data(), "pair_id")
    try:
        update = await services.plans.add_goal(person.id, pair_id, message.text or "")
    except ValidationFailed as problem:
        if problem.field != "title":
            await state.clear()
            await message.answer(_("A plan holds at most 10 goals."))
            return
        hint = title_problem_text(problem.reason)
        await message.answer(texts.render("plan/goal_ask.j2", hint=hint))
        return
    except DomainError:
        # The pair ended or left meanwhile: leave the form; the error router says why.
        await state.clear()
        raise
    await state.clear()
    await message.answer(
        render_plan(texts, update.view, notice_text(update, ADD_GOAL)),
        reply_markup=keyboards.plan_keyboard(update.view),
    )


# --- returning a task ------------------------------------------------------------------------


async def return_comment(
    message: Message, state: FSMContext, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """The mentor's typed comment on a task they return."""
    data = await state.get_data()
    task_id = _int(data, "task_id")
    try:
        update = await services.plans.return_task(person.id, task_id, message.text or "")
    except ValidationFailed as problem:
        hint = comment_problem_text(problem.reason)
        title = str(data.get("title", ""))
        await message.answer(texts.render("plan/return_ask.j2", hint=hint, title=title))
        return
    except DomainError:
        # The task changed meanwhile (checked, the pair ended): leave the form.
        await state.clear()
        raise
    await state.clear()
    await message.answer(
        render_plan(texts, update.view, notice_text(update, RETURN)),
        reply_markup=keyboards.plan_keyboard(update.view),
    )


# --- anything else inside the forms ----------------------------------------------------------


async def form_unexpected(message: Message, state: FSMContext, texts: Texts) -> None:
    """A photo, a sticker or a command where a goal's title or a comment is expected."""
    step = await state.get_state() or ""
    hint = unexpected_hint(bool(message.text and message.text.startswith("/")), buttons=False)
    if step == GOAL_TITLE_STEP:
        await message.answer(texts.render("plan/goal_ask.j2", hint=hint))
    else:
        title = str((await state.get_data()).get("title", ""))
        await message.answer(texts.render("plan/return_ask.j2", hint=hint, title=title))


def _int(data: dict[str, object], key: str) -> int:
    try:
        return int(str(data[key]))
    except (KeyError, ValueError):
        raise StaleAction from None


def get_router() -> Router:
    router = Router(name="plan")
    router.message.register(cmd_plan, Command("plan"), StateFilter(None))
    router.message.register(goal_title, StateFilter(PlanForm.goal_title), TypedText())
    router.message.register(return_comment, StateFilter(PlanForm.task_return_comment), TypedText())
    router.message.register(
        form_unexpected, StateFilter(PlanForm.goal_title, PlanForm.task_return_comment)
    )
    router.callback_query.register(
        on_plan_action, PlanCallback.filter(F.action.in_({SHOW, OPEN, OVERDUE, ADD_GOAL, ADD_TASK}))
    )
    router.callback_query.register(on_task_action, TaskCallback.filter())
    # The task form's steps; a form button outside its form falls through to "no longer active".
    return router
