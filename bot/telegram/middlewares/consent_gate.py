"""Until a participant has consented, only /start, /help, /privacy, /language and /cancel work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.consent_prompt import ask_for_consent
from bot.telegram.html import format_html
from bot.telegram.identity import TelegramPerson
from bot.telegram.texts import Texts

ALLOWED_COMMANDS = frozenset({"start", "help", "privacy", "language", "cancel"})
# Consent answers, language choice, and the privacy screen's buttons.
ALLOWED_BUTTON_PREFIXES = ("cs:", "lang:", "pv:")


def _command(message: Message) -> str | None:
    text = message.text or ""
    if not text.startswith("/"):
        return None
    return text[1:].split(maxsplit=1)[0].split("@")[0].lower() if len(text) > 1 else ""


class ConsentGateMiddleware(BaseMiddleware):
    """Registered on messages and button presses, after the language is known."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        person: TelegramPerson | None = data.get("person")
        # The person middleware already knows whether a consent is missing: most updates go on
        # without another look at the database.
        if person is None or not person.needs_consent or self._always_allowed(event):
            return await handler(event, data)
        services: Services = data["services"]
        requests = await services.consent.pending(person.id, person.locale)
        if not requests:
            return await handler(event, data)
        notice = _("First, please answer the consent request: without it I cannot keep anything.")
        prefix = None
        if isinstance(event, CallbackQuery):
            await event.answer(notice, show_alert=True)
        else:
            # The notice and the consent's introduction in one message, then the document.
            prefix = format_html(notice)
        bot: Bot = data["bot"]
        texts: Texts = data["texts"]
        await ask_for_consent(bot, person.chat_id, requests[0], texts, prefix=prefix)
        return None

    @staticmethod
    def _always_allowed(event: TelegramObject) -> bool:
        if isinstance(event, Message):
            return _command(event) in ALLOWED_COMMANDS
        if isinstance(event, CallbackQuery):
            return (event.data or "").startswith(ALLOWED_BUTTON_PREFIXES)
        return True
