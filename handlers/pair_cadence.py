"""How often a pair meets: the choices under /mypairs (and the curator's pair card)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery

from bot.container import Services
from bot.telegram.callbacks import PairCadenceCallback
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.pairs import ORGANISATION_CADENCE, SHOW_CADENCE, cadence_keyboard
from bot.telegram.redraw import message_id_of, send_or_edit
from bot.telegram.texts import Texts


async def on_cadence(
    callback: CallbackQuery,
    callback_data: PairCadenceCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Show the cadences a pair may choose, or set the chosen one (the other side is told)."""
    pair_id, days = callback_data.pair_id, callback_data.days
    change = None
    if days != SHOW_CADENCE:
        chosen = None if days == ORGANISATION_CADENCE else days
        change = await services.cadence.change(person.id, pair_id, chosen)
    options = await services.cadence.options(person.id, pair_id)
    await callback.answer()
    await send_or_edit(
        bot,
        person.chat_id,
        texts.render("pairs/cadence.j2", options=options, change=change),
        cadence_keyboard(options),
        message_id_of(callback) if change is not None else None,
    )


def get_router() -> Router:
    router = Router(name="pair_cadence")
    router.callback_query.register(on_cadence, PairCadenceCallback.filter())
    return router
