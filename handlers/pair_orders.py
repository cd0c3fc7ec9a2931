"""/order (curator): record the head's order (приказ о закреплении) for pairs waiting for it:
tick the pairs, type the order's number, then its date."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import OrderCallback
from bot.telegram.filters import TypedText
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.curator_pairs import (
    ALL,
    CANCEL,
    DONE,
    ORDER_ORGANISATION,
    TOGGLE,
    order_keyboard,
)
from bot.telegram.once import claim
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.states import OrderRecording
from bot.telegram.texts import Texts
from handlers.pairs import DATE_FORMAT, drop_buttons_of, redraw
from services.core.errors import DomainError, StaleAction, ValidationFailed
from services.pairs.rules import ORDER_FUTURE_DAYS, clean_order_number, parse_day


def order_problem_text(problem: ValidationFailed) -> str:
    if problem.field == "order_number":
        if problem.reason == "too_long":
            return _("The number is too long: at most 40 characters.")
        return _(
            "The number may hold only letters, digits, spaces and the signs - / . №. "
            "Please send it as in the document."
        )
    if problem.reason == "too_far":
        return _("The order cannot be dated more than {days} days ahead.").format(
            days=ORDER_FUTURE_DAYS
        )
    if problem.reason == "too_old":
        return _("The order cannot be older than two years. Please check the date.")
    return _("Please send the date as DD.MM.YYYY.")


async def cmd_order(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """/order (curator): the pairs waiting for the order, or first a choice of organisation."""
    await state.clear()
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("Which organisation's order do you want to record?"),
        lambda org_id: OrderCallback(action=ORDER_ORGANISATION, value=org_id),
    )
    if organisation_id is None:
        return
    await _start(bot, message.chat.id, state, person, services, texts, organisation_id)


async def on_order_organisation(
    callback: CallbackQuery,
    callback_data: OrderCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """The organisation whose order is recorded."""
    await callback.answer()
    await _start(bot, person.chat_id, state, person, services, texts, callback_data.value)


async def _start(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    organisation_id: int,
) -> None:
    pending = await services.orders.awaiting_order(person.id, organisation_id)
    await state.clear()
    if not pending.rows:
        await bot.send_message(chat_id, texts.render("curator_pairs/order_none.j2"))
        return
    await state.set_state(OrderRecording.pairs)
    await state.set_data(
        {"organisation_id": organisation_id, "chosen": [], "today": pending.today.isoformat()}
    )
    await bot.send_message(
        chat_id,
        texts.render("curator_pairs/order_pick.j2", pending=pending),
        reply_markup=order_keyboard(pending.rows, set()),
    )


async def on_order_pick(
    callback: CallbackQuery,
    callback_data: OrderCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Tick a pair, all of them, go on, or cancel."""
    data = await state.get_data()
    organisation_id = int(data["organisation_id"])
    chosen = set(data.get("chosen", []))
    if callback_data.action == CANCEL:
        await state.clear()
        await callback.answer()
        await drop_buttons_of(bot, callback)
        await bot.send_message(person.chat_id, _("Cancelled. Nothing was recorded."))
        return
    if callback_data.action == DONE:
        if not chosen:
            await callback.answer(_("Tick at least one pair."), show_alert=True)
            return
        # A second press of "Next" finds the state moved on; the fallback says it is done.
        await claim(state, callback)
        await callback.answer()
        await drop_buttons_of(bot, callback)
        await state.set_state(OrderRecording.number)
        await _ask(bot, person.chat_id, texts, "number", chosen=len(chosen))
        return
    pending = await services.orders.awaiting_order(person.id, organisation_id)
    waiting = {row.id for row in pending.rows}
    chosen &= waiting
    if callback_data.action == TOGGLE:
        if callback_data.value not in waiting:
            raise StaleAction
        chosen ^= {callback_data.value}
    elif callback_data.action == ALL:
        chosen = set() if chosen == waiting else waiting
    else:
        raise StaleAction
    await state.update_data(chosen=sorted(chosen))
    await callback.answer()
    await redraw(
        bot,
        person.chat_id,
        callback,
        texts.render("curator_pairs/order_pick.j2", pending=pending),
        order_keyboard(pending.rows, chosen),
    )


async def _ask(
    bot: Bot,
    chat_id: int,
    texts: Texts,
    step: str,
    *,
    chosen: int = 0,
    today: date | None = None,
    hint: str | None = None,
) -> None:
    example = (today - timedelta(days=1)).strftime(DATE_FORMAT) if today else ""
    text = texts.render(
        "curator_pairs/order_ask.j2", step=step, chosen=chosen, example=example, hint=hint
    )
    await bot.send_message(chat_id, text)


async def order_number(message: Message, state: FSMContext, texts: Texts, bot: Bot) -> None:
    """The typed number of the order."""
    data = await state.get_data()
    try:
        number = clean_order_number(message.text or "")
    except ValidationFailed as problem:
        hint = order_problem_text(problem)
        await _ask(bot, message.chat.id, texts, "number", chosen=len(data["chosen"]), hint=hint)
        return
    await state.update_data(number=number)
    await state.set_state(OrderRecording.order_date)
    await _ask(bot, message.chat.id, texts, "date", today=date.fromisoformat(data["today"]))


async def order_date(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """The typed date of the order: the order is recorded and the pairs start."""
    data = await state.get_data()
    today = date.fromisoformat(data["today"])
    try:
        signed = parse_day(message.text or "", "order_date")
        result = await services.orders.record_order(
            person.id, int(data["organisation_id"]), list(data["chosen"]), data["number"], signed
        )
    except ValidationFailed as problem:
        hint = order_problem_text(problem)
        await _ask(bot, message.chat.id, texts, "date", today=today, hint=hint)
        return
    except DomainError:
        await state.clear()
        raise
    await state.clear()
    await message.answer(texts.render("curator_pairs/order_recorded.j2", result=result))


async def order_unexpected(message: Message, state: FSMContext, texts: Texts, bot: Bot) -> None:
    """A photo, a sticker or a command while the order's number or date is expected."""
    data = await state.get_data()
    step = "date" if await state.get_state() == OrderRecording.order_date.state else "number"
    if message.text and message.text.startswith("/"):
        hint = _("Please answer the question, or send /cancel to stop recording the order.")
    else:
        hint = _("Please answer with text.")
    today = date.fromisoformat(data["today"]) if step == "date" else None
    await _ask(
        bot, message.chat.id, texts, step, chosen=len(data["chosen"]), today=today, hint=hint
    )


async def order_pick_unexpected(message: Message) -> None:
    """Text while the pairs are being ticked."""
    await message.answer(
        _("Please tick the pairs with the buttons above, or send /cancel to stop.")
    )


def get_router() -> Router:
    router = Router(name="pair_orders")
    router.message.register(cmd_order, Command("order"), StateFilter(None, OrderRecording))
    router.message.register(order_number, StateFilter(OrderRecording.number), TypedText())
    router.message.register(order_date, StateFilter(OrderRecording.order_date), TypedText())
    router.message.register(
        order_unexpected, StateFilter(OrderRecording.number, OrderRecording.order_date)
    )
    router.message.register(order_pick_unexpected, StateFilter(OrderRecording.pairs))
    router.callback_query.register(
        on_order_organisation, OrderCallback.filter(F.action == ORDER_ORGANISATION)
    )
    router.callback_query.register(
        on_order_pick,
        StateFilter(OrderRecording.pairs),
        OrderCallback.filter(F.action != ORDER_ORGANISATION),
    )
    return router
