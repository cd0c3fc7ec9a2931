"""Showing a consent request: used by /start, the consent handlers and the consent gate."""

from __future__ import annotations

from aiogram import Bot

from bot.telegram.keyboards.consent import consent_keyboard
from bot.telegram.texts import Texts
from services.people.consent import ConsentRequest


async def ask_for_consent(bot: Bot, chat_id: int, request: ConsentRequest, texts: Texts) -> None:
    """A short introduction, then the consent document alone, with its two buttons."""
    await bot.send_message(
        chat_id,
        texts.render(
            "consent/request.j2",
            organisation=request.organisation_name,
            renewal=request.renewal,
        ),
    )
    await bot.send_message(
        chat_id, request.text, reply_markup=consent_keyboard(request.document_id)
    )
