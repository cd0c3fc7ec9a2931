"""/mypairs: a person's pairs, pausing and resuming one, and petitions to the curator."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import PairActionCallback, PetitionReasonCallback
from bot.telegram.filters import TypedText
from bot.telegram.html import format_html
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.pairs import (
    PAUSE,
    PETITION,
    RESUME,
    SHOW,
    my_pairs_keyboard,
    pair_actions_keyboard,
    petition_reasons_keyboard,
)
from bot.telegram.redraw import drop_buttons, message_id_of, send_or_edit
from bot.telegram.states import PairPause
from bot.telegram.texts import Texts
from models import ChangeReason
from services.core.errors import DomainError, StaleAction, ValidationFailed
from services.pairs.changes import PairChange
from services.pairs.lifecycle import PauseWindow
from services.pairs.rules import parse_day

DATE_FORMAT = "%d.%m.%Y"
# Ended pairs shown in /mypairs; older ones are counted, not listed.
LIST_LIMIT = 15


def pause_problem_text(reason: str) -> str:
    if reason == "past":
        return _("This date has already come. Please send a date after today.")
    if reason == "too_far":
        return _("A pause can last at most six months. Please send an earlier date.")
    return _("Please send the date as DD.MM.YYYY.")


async def ask_pause_date(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    texts: Texts,
    window: PauseWindow,
    *,
    hint: str | None = None,
) -> None:
    """Ask the return date; used by both people of a pair and by the curator."""
    await state.set_state(PairPause.until)
    await state.update_data(
        pair_id=window.pair_id,
        today=window.today.isoformat(),
        latest=window.latest.isoformat(),
    )
    text = texts.render(
        "pairs/pause_ask.j2",
        hint=hint,
        example=(window.today + timedelta(days=14)).strftime(DATE_FORMAT),
        latest=window.latest.strftime(DATE_FORMAT),
    )
    await bot.send_message(chat_id, text)


def paused_text(change: PairChange) -> str:
    until = change.paused_until.strftime(DATE_FORMAT) if change.paused_until else ""
    if change.side == "curator":
        return format_html(
            _("⏸ The pair {mentor} → {mentee} is paused until {until}; both are told."),
            mentor=change.mentor_name,
            mentee=change.mentee_name,
            until=until,
        )
    return format_html(
        _(
            "⏸ The pair is paused until {until}; I have told {name}. "
            "To resume earlier, open /mypairs."
        ),
        until=until,
        name=change.other_name,
    )


def resumed_text(change: PairChange) -> str:
    if change.side == "curator":
        return format_html(
            _("▶️ The pair {mentor} → {mentee} is active again; both are told."),
            mentor=change.mentor_name,
            mentee=change.mentee_name,
        )
    return format_html(_("▶️ The pair is active again; I have told {name}."), name=change.other_name)


async def drop_buttons_of(bot: Bot, callback: CallbackQuery) -> None:
    """Take the buttons off a message whose question is answered (best effort)."""
    if callback.message is not None:
        await drop_buttons(bot, callback.message.chat.id, callback.message.message_id)


async def cmd_mypairs(
    message: Message, state: FSMContext, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """/mypairs: every pair the person is in, with what to do next."""
    await state.clear()
    pairs = await services.pairs.mine(person.id)
    live = [pair for pair in pairs if pair.status.is_live]
    text = texts.render(
        "pairs/list.j2", pairs=pairs, limit=len(live) + LIST_LIMIT, several_live=len(live) > 1
    )
    await message.answer(text, reply_markup=my_pairs_keyboard(pairs))


async def redraw(
    bot: Bot,
    chat_id: int,
    callback: CallbackQuery | None,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> None:
    """Redraw the message the button was on (a list should not scroll the chat), else send."""
    await send_or_edit(bot, chat_id, text, markup, message_id_of(callback))


async def on_pair_action(
    callback: CallbackQuery,
    callback_data: PairActionCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """A pair's buttons in /mypairs: show it, pause, resume, or petition the curator."""
    pair_id, action = callback_data.pair_id, callback_data.action
    chat_id = person.chat_id
    if action == SHOW:
        pair = await services.pairs.one_of_mine(person.id, pair_id)
        await callback.answer()
        await bot.send_message(
            chat_id,
            texts.render("pairs/card.j2", pair=pair, notice=None),
            reply_markup=pair_actions_keyboard(pair),
        )
    elif action == PETITION:
        draft = await services.petitions.draft(person.id, pair_id)
        await callback.answer()
        await bot.send_message(
            chat_id,
            texts.render("pairs/petition_ask.j2", draft=draft),
            reply_markup=petition_reasons_keyboard(pair_id, draft.kind),
        )
    elif action == PAUSE:
        window = await services.pairs.pause_window(person.id, pair_id)
        await callback.answer()
        await ask_pause_date(bot, chat_id, state, texts, window)
    elif action == RESUME:
        change = await services.pairs.resume(person.id, pair_id)
        await callback.answer()
        await bot.send_message(chat_id, resumed_text(change))
    else:
        raise StaleAction


async def on_petition_reason(
    callback: CallbackQuery,
    callback_data: PetitionReasonCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """The reason of a petition is chosen: it goes to the curator."""
    try:
        reason = ChangeReason(callback_data.reason)
    except ValueError:
        raise StaleAction from None
    filed = await services.petitions.file(person.id, callback_data.pair_id, reason)
    await callback.answer()
    await drop_buttons_of(bot, callback)
    await bot.send_message(person.chat_id, texts.render("pairs/petition_filed.j2", filed=filed))


async def pause_until(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """The typed date the pair comes back from its pause."""
    data = await state.get_data()
    window = _window(data)
    try:
        until = parse_day(message.text or "", "paused_until")
        change = await services.pairs.pause(person.id, window.pair_id, until)
    except ValidationFailed as problem:
        hint = pause_problem_text(problem.reason)
        await ask_pause_date(bot, message.chat.id, state, texts, window, hint=hint)
        return
    except DomainError:
        # The pair changed meanwhile: leave the form; the error router says why.
        await state.clear()
        raise
    await state.clear()
    await message.answer(paused_text(change))


async def pause_unexpected(message: Message, state: FSMContext, texts: Texts, bot: Bot) -> None:
    """A photo, a sticker or a command while the return date is expected."""
    window = _window(await state.get_data())
    if message.text and message.text.startswith("/"):
        hint = _("Please send the date, or /cancel to keep the pair as it is.")
    else:
        hint = pause_problem_text("format")
    await ask_pause_date(bot, message.chat.id, state, texts, window, hint=hint)


def _window(data: dict[str, object]) -> PauseWindow:
    try:
        return PauseWindow(
            pair_id=int(str(data["pair_id"])),
            today=date.fromisoformat(str(data["today"])),
            latest=date.fromisoformat(str(data["latest"])),
        )
    except (KeyError, ValueError):
        raise StaleAction from None


def get_router() -> Router:
    router = Router(name="pairs")
    router.message.register(cmd_mypairs, Command("mypairs"), StateFilter(None, PairPause))
    router.message.register(pause_until, StateFilter(PairPause.until), TypedText())
    router.message.register(pause_unexpected, StateFilter(PairPause.until))
    router.callback_query.register(on_pair_action, PairActionCallback.filter())
    router.callback_query.register(on_petition_reason, PetitionReasonCallback.filter())
    return router
