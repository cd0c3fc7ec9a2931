"""Last routers: what nobody else understood gets a hint, never silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.telegram.once import answer_already_done, is_spent


async def on_unexpected_message(message: Message) -> None:
    """Text, a sticker, a photo or an unknown command outside any form."""
    await message.answer(_("I did not understand that. Send /help to see what I can do."))


async def on_unknown_button(callback: CallbackQuery, state: FSMContext) -> None:
    """A button from an old message or with forged data; a confirm pressed twice is done."""
    if await is_spent(state, callback):
        await answer_already_done(callback)
        return
    await callback.answer(_("This button is no longer active."), show_alert=True)


def get_router() -> Router:
    router = Router(name="fallback")
    router.message.register(on_unexpected_message)
    router.callback_query.register(on_unknown_button)
    return router
