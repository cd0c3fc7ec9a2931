"""The pair's rhythm in the chat: "did you meet?", a postponed date, the agreed meeting time, and
the answers to the quiet-pair nudge. Every question is a button under a message: nothing here
holds the person in a form unless they chose to type a date."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.container import Services
from bot.telegram.callbacks import (
    AgreedMeetingCallback,
    CheckinCallback,
    PairActionCallback,
    QuietPairCallback,
)
from bot.telegram.identity import TelegramPerson
from bot.telegram.questionnaire_forms import start_answering
from bot.telegram.redraw import drop_buttons, message_id_of
from bot.telegram.states import AgreedMeetingForm, CheckinPostpone
from bot.telegram.texts import Texts, format_local
from models import CycleStatus
from services.core.errors import StaleAction, ValidationFailed
from services.pairs.rules import parse_day


async def on_checkin(
    callback: CallbackQuery,
    callback_data: CheckinCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    state: FSMContext,
    bot: Bot,
) -> None:
    """ "Did you meet?": met, postponed or didn't meet."""
    chat_id = person.chat_id
    if callback_data.answer == CycleStatus.POSTPONED.value:
        await callback.answer()
        await state.set_state(CheckinPostpone.new_date)
        await state.set_data({"cycle_id": callback_data.cycle_id})
        await bot.send_message(
            chat_id,
            _("Which day did you move the meeting to? Send the date as DD.MM.YYYY.")
            + "\n"
            + _("Send /cancel to leave it."),
        )
        return
    if callback_data.answer not in (CycleStatus.MET.value, CycleStatus.MISSED.value):
        raise StaleAction
    result = await services.checkins.answer(
        person.id, callback_data.cycle_id, CycleStatus(callback_data.answer)
    )
    if result.already_answered_by is not None:
        await callback.answer(
            _("{name} has already answered for your pair. Nothing changed.").format(
                name=result.already_answered_by
            ),
            show_alert=True,
        )
        return
    await callback.answer()
    await drop_buttons(bot, chat_id, message_id_of(callback))
    if result.meeting_id is None:
        await bot.send_message(
            chat_id,
            _("Noted. Try to find an hour for a meeting in the next two weeks; I will remind you."),
        )
        return
    await bot.send_message(
        chat_id, _("Great, the meeting is in the log! A few quick questions about it:")
    )
    if result.feedback_id is None:
        return
    # The answerer's own copy; the other side was invited with the "you met" message.
    response = await services.answers.open(person.id, result.feedback_id)
    await start_answering(bot, state, services, texts, person, response)


async def checkin_postpone_date(
    message: Message, person: TelegramPerson, services: Services, state: FSMContext
) -> None:
    """The new date of a postponed meeting."""
    data = await state.get_data()
    if message.text is None or message.text.startswith("/"):
        await message.answer(_("Please send the date as DD.MM.YYYY, or /cancel."))
        return
    try:
        day = parse_day(message.text.strip(), "postponed_to")
        await services.checkins.answer(
            person.id, int(data["cycle_id"]), CycleStatus.POSTPONED, postponed_to=day
        )
    except ValidationFailed as error:
        await message.answer(_postpone_problem(error.reason))
        return
    await state.clear()
    await message.answer(
        _("Noted: the meeting moved to {day}. I will ask again then.").format(
            day=day.strftime("%d.%m.%Y")
        )
    )


def _postpone_problem(reason: str) -> str:
    if reason == "past":
        return _("That day has already come. Send a date after today, as DD.MM.YYYY.")
    if reason == "too_far":
        return _("Please choose a day within a month, as DD.MM.YYYY.")
    return _("I could not read the date. Please send it as DD.MM.YYYY, e.g. 25.12.2026.")


async def on_agreed_meeting(
    callback: CallbackQuery,
    callback_data: AgreedMeetingCallback,
    person: TelegramPerson,
    services: Services,
    state: FSMContext,
    bot: Bot,
) -> None:
    """ "We agreed on a date": ask for it."""
    if callback_data.action != "set":
        raise StaleAction
    await services.agreed.timezone_for(person.id, callback_data.pair_id)
    await callback.answer()
    await state.set_state(AgreedMeetingForm.when)
    await state.set_data({"pair_id": callback_data.pair_id})
    await bot.send_message(
        person.chat_id,
        _(
            "When do you meet? Send the day and time as DD.MM.YYYY HH:MM, e.g. 24.12.2026 16:00. "
            "I will remind you both the day before and an hour before."
        ),
    )


async def agreed_meeting_when(
    message: Message, person: TelegramPerson, services: Services, state: FSMContext
) -> None:
    """The agreed day and time."""
    data = await state.get_data()
    if message.text is None or message.text.startswith("/"):
        await message.answer(_("Please send the day and time as DD.MM.YYYY HH:MM, or /cancel."))
        return
    try:
        at = await services.agreed.agree(person.id, int(data["pair_id"]), message.text)
    except ValidationFailed as error:
        await message.answer(_agreed_problem(error.reason))
        return
    await state.clear()
    timezone = await services.agreed.timezone_for(person.id, int(data["pair_id"]))
    await message.answer(
        _("Noted: you meet on {when}. I will remind you both.").format(
            when=format_local(at, timezone)
        )
    )


def _agreed_problem(reason: str) -> str:
    if reason == "past":
        return _("That moment has already passed. Please send a later day and time.")
    if reason == "too_far":
        return _("Please choose a time within two months.")
    return _("I could not read that. Please send it as DD.MM.YYYY HH:MM, e.g. 24.12.2026 16:00.")


async def on_quiet_answer(
    callback: CallbackQuery,
    callback_data: QuietPairCallback,
    person: TelegramPerson,
    services: Services,
    bot: Bot,
) -> None:
    """The quiet-pair nudge: we're fine / pause until… / we need help."""
    chat_id = person.chat_id
    if callback_data.answer == "pause":
        await callback.answer()
        builder = InlineKeyboardBuilder()
        builder.button(
            text=_("⏸ Choose the date"),
            callback_data=PairActionCallback(pair_id=callback_data.pair_id, action="pause"),
        )
        markup: InlineKeyboardMarkup = builder.as_markup()
        await bot.send_message(
            chat_id,
            _("Pause the pair until a date: no reminders until then, and it resumes by itself."),
            reply_markup=markup,
        )
        return
    await services.checkins.quiet_answer(person.id, callback_data.pair_id, callback_data.answer)
    await callback.answer()
    await drop_buttons(bot, chat_id, message_id_of(callback))
    if callback_data.answer == "help":
        text = _("The curator has been told and will get in touch with you.")
    else:
        text = _("Good to hear! I will keep reminding you to meet.")
    await bot.send_message(chat_id, text)


def get_router() -> Router:
    router = Router(name="checkins")
    router.callback_query.register(on_checkin, CheckinCallback.filter())
    router.callback_query.register(on_agreed_meeting, AgreedMeetingCallback.filter())
    router.callback_query.register(on_quiet_answer, QuietPairCallback.filter())
    router.message.register(checkin_postpone_date, StateFilter(CheckinPostpone.new_date))
    router.message.register(agreed_meeting_when, StateFilter(AgreedMeetingForm.when))
    return router
