"""Redrawing the message a button was on, so that paging or ticking does not scroll the chat."""

from __future__ import annotations

import contextlib

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup


async def send_or_edit(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    message_id: int | None = None,
) -> None:
    """Edit `message_id` in place; a new message if there is none or it can no longer be edited
    (deleted, too old). The same button pressed twice changes nothing."""
    if message_id is not None:
        try:
            await bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
            return
        except TelegramBadRequest as error:
            if "message is not modified" in error.message:
                return
    await bot.send_message(chat_id, text, reply_markup=markup)


def message_id_of(callback: CallbackQuery | None) -> int | None:
    if callback is None or callback.message is None:
        return None
    return callback.message.message_id


async def drop_buttons(bot: Bot, chat_id: int, message_id: int | None) -> None:
    """A decided question loses its buttons; an old or already bare message is left as it is."""
    if message_id is None:
        return
    with contextlib.suppress(TelegramBadRequest):
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)
