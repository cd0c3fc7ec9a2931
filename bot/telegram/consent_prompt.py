"""Showing a consent request: used by /start, the consent handlers and the consent gate."""

from __future__ import annotations

from aiogram import Bot

from bot.telegram.html import Html, format_html
from bot.telegram.keyboards.consent import consent_keyboard
from bot.telegram.texts import Texts
from services.people.consent import ConsentRequest


async def ask_for_consent(
    bot: Bot, chat_id: int, request: ConsentRequest, texts: Texts, *, prefix: Html | None = None
) -> None:
    """A short introduction (after `prefix`, e.g. the organisation's welcome, in the same
    message), then the consent document alone with its two buttons: 152-ФЗ wants the consent
    as a separate document, so it never shares a message."""
    introduction = texts.render(
        "consent/request.j2",
        organisation=request.organisation_name,
        renewal=request.renewal,
    )
    if prefix is not None:
        introduction = format_html("{}\n\n{}", prefix, introduction)
    await bot.send_message(chat_id, introduction)
    await bot.send_message(
        chat_id, request.text, reply_markup=consent_keyboard(request.document_id)
    )
