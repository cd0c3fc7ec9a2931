"""/meeting records a meeting, /meetings shows a pair's log (журнал встреч) and lets one correct
one's own entry within a week (the entry a check-in's "Met" created is filled in this way; each
side's view of that meeting is their own questionnaire, bot/telegram/questionnaire_forms.py).

The forms are data (bot/telegram/meeting_forms.py) asked by the one form engine
(bot/telegram/forms.py, handlers/forms.py); this module registers what Save does for each
purpose."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import MeetingCallback
from bot.telegram.forms import purpose, start_form
from bot.telegram.html import format_html
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.meetings import (
    CHOOSE_FOR_RECORD,
    EDIT,
    SHOW_LOG,
    MeetingPageCallback,
    choose_pair_keyboard,
    log_keyboard,
)
from bot.telegram.meeting_forms import FORMS, MEETING_RECORD
from bot.telegram.redraw import message_id_of, send_or_edit
from bot.telegram.texts import Texts
from services.core.errors import StaleAction
from services.forms.definitions import Answer
from services.rhythm.meetings import MeetingProblem, MeetingUnavailable

DATE_FORMAT = "%d.%m.%Y"


def meeting_problem_text(problem: MeetingProblem) -> str:
    texts = {
        MeetingProblem.EDIT_CLOSED: _(
            "An entry can be corrected only within 7 days of recording it. Nothing was changed."
        ),
        MeetingProblem.NOT_STARTED: _(
            "The pair starts when the curator records the order; meetings can be logged after that."
        ),
    }
    return texts[problem]


# --- what Save does --------------------------------------------------------------------------


@purpose("meeting_record")
async def save_record(
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    ids: dict[str, Any],
    answers: dict[str, Answer],
) -> str:
    """/meeting's form is saved: a new entry, the other side told."""
    try:
        view = await services.meetings.record(person.id, ids["pair_id"], answers)
    except MeetingUnavailable as problem:
        return meeting_problem_text(problem.problem)
    return format_html(
        _("✅ The meeting of {date} is in the log; I have told {name}. See /meetings."),
        date=view.held_on.strftime(DATE_FORMAT),
        name=view.partner_name,
    )


@purpose("meeting_edit")
async def save_correction(
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    ids: dict[str, Any],
    answers: dict[str, Answer],
) -> str:
    """A corrected entry."""
    try:
        view = await services.meetings.update(person.id, ids["meeting_id"], answers)
    except MeetingUnavailable as problem:
        return meeting_problem_text(problem.problem)
    return _("✅ The entry of {date} is corrected.").format(date=view.held_on.strftime(DATE_FORMAT))


# --- /meeting --------------------------------------------------------------------------------


async def _start_record(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    pair_id: int,
) -> None:
    start = await services.meetings.start_record(person.id, pair_id)
    await start_form(
        bot,
        state,
        services,
        texts,
        person,
        MEETING_RECORD,
        "meeting_record",
        suggested={"kind": start.next_kind.value},
        timezone=start.timezone,
        intro=texts.render(
            "meetings/record_intro.j2",
            name=start.partner_name,
            count=len(MEETING_RECORD.questions),
        ),
        pair_id=start.pair_id,
    )


async def cmd_meeting(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """/meeting: record a meeting of one's pair (which one, when there are several)."""
    await state.clear()
    pairs = await services.meetings.loggable_pairs(person.id)
    if not pairs:
        await message.answer(texts.render("meetings/no_pair.j2", record=True))
        return
    if len(pairs) == 1:
        await _start_record(bot, message.chat.id, state, person, services, texts, pairs[0].id)
        return
    await message.answer(
        _("Which pair was the meeting of?"),
        reply_markup=choose_pair_keyboard(pairs, CHOOSE_FOR_RECORD),
    )


# --- /meetings -------------------------------------------------------------------------------


async def _show_log(
    bot: Bot,
    chat_id: int,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    pair_id: int,
    page: int = 0,
    *,
    message_id: int | None = None,
) -> None:
    log = await services.meetings.journal(person.id, pair_id, page)
    await send_or_edit(
        bot, chat_id, texts.render("meetings/log.j2", log=log), log_keyboard(log), message_id
    )


async def cmd_meetings(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """/meetings: a pair's meeting log (which pair, when there are several)."""
    await state.clear()
    pairs = await services.pairs.mine(person.id)
    if not pairs:
        await message.answer(texts.render("meetings/no_pair.j2", record=False))
        return
    if len(pairs) == 1:
        await _show_log(bot, message.chat.id, person, services, texts, pairs[0].id)
        return
    await message.answer(
        _("Whose meeting log do you want to see?"),
        reply_markup=choose_pair_keyboard(pairs, SHOW_LOG),
    )


async def on_meeting_action(
    callback: CallbackQuery,
    callback_data: MeetingCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """The buttons of /meeting and /meetings: a pair chosen, a log, an entry to correct."""
    action, value = callback_data.action, callback_data.value
    chat_id = person.chat_id
    try:
        if action == CHOOSE_FOR_RECORD:
            await _start_record(bot, chat_id, state, person, services, texts, value)
        elif action == SHOW_LOG:
            await _show_log(bot, chat_id, person, services, texts, value)
        elif action == EDIT:
            await _start_edit(bot, chat_id, state, services, texts, person, value)
        else:
            raise StaleAction
    except MeetingUnavailable as problem:
        await callback.answer(meeting_problem_text(problem.problem), show_alert=True)
        return
    await callback.answer()


async def _start_edit(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    meeting_id: int,
) -> None:
    edit = await services.meetings.start_edit(person.id, meeting_id)
    meeting = edit.meeting
    await start_form(
        bot,
        state,
        services,
        texts,
        person,
        FORMS[meeting.form],
        "meeting_edit",
        answers=meeting.answers(),
        timezone=edit.timezone,
        intro=texts.render("meetings/edit_intro.j2", date=meeting.held_on.strftime(DATE_FORMAT)),
        meeting_id=meeting.id,
    )


async def on_log_page(
    callback: CallbackQuery,
    callback_data: MeetingPageCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Previous / Next under a log."""
    await _show_log(
        bot,
        person.chat_id,
        person,
        services,
        texts,
        callback_data.pair_id,
        callback_data.page,
        message_id=message_id_of(callback),
    )
    await callback.answer()


def get_router() -> Router:
    router = Router(name="meetings")
    # Inside a form, /meeting and /meetings (StateFilter(None)) stay quiet and the engine's
    # handlers (handlers/forms.py) ask the question again.
    router.message.register(cmd_meeting, Command("meeting"), StateFilter(None))
    router.message.register(cmd_meetings, Command("meetings"), StateFilter(None))
    router.callback_query.register(on_meeting_action, MeetingCallback.filter())
    router.callback_query.register(on_log_page, MeetingPageCallback.filter())
    return router
