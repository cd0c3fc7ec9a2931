"""Delivers outbox rows through the Bot API and turns Telegram's answers into outcomes."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from jinja2 import TemplateNotFound

from bot.telegram.identity import TELEGRAM
from bot.telegram.notification_keyboards import keyboard_for
from bot.telegram.reply import reply_markup_from_json
from bot.telegram.texts import Texts
from services.outbox.queue import REPLY_KIND, OutgoingMessage
from services.outbox.sender import (
    Blocked,
    PermanentFailure,
    RetryAfter,
    SendOutcome,
    Sent,
    TemporaryFailure,
)

logger = logging.getLogger(__name__)


class TelegramTransport:
    """Renders `bot/telegram/templates/notifications/<kind>.j2` in the recipient's language,
    with the kind's buttons, and sends it."""

    def __init__(self, bot: Bot, texts: Texts, i18n: I18n) -> None:
        self._bot = bot
        self._texts = texts
        self._i18n = i18n

    @property
    def messenger(self) -> str:
        """Rows are claimed with the recipient's Telegram chat (see `OutboxService.claim_due`)."""
        return TELEGRAM

    def render(self, message: OutgoingMessage) -> str:
        if message.kind == REPLY_KIND:
            return str(message.payload["text"])  # rendered (and escaped) when it was a reply
        return self._texts.render_in(
            message.locale, f"notifications/{message.kind}.j2", **message.payload
        )

    def keyboard(self, message: OutgoingMessage) -> InlineKeyboardMarkup | None:
        if message.kind == REPLY_KIND:
            return reply_markup_from_json(message.payload.get("reply_markup"))
        with self._i18n.context(), self._i18n.use_locale(message.locale):
            return keyboard_for(message.kind, message.payload)

    async def send(self, message: OutgoingMessage) -> SendOutcome:
        try:
            text = self.render(message)
            markup = self.keyboard(message)
        except TemplateNotFound:
            return PermanentFailure(f"no template for kind {message.kind!r}")
        try:
            sent = await self._bot.send_message(int(message.address), text, reply_markup=markup)
        except TelegramRetryAfter as error:
            return RetryAfter(float(error.retry_after))
        except TelegramForbiddenError:
            return Blocked()
        except TelegramBadRequest as error:
            if "chat not found" in error.message.lower():
                return Blocked()
            return PermanentFailure(f"bad request: {error.message[:200]}")
        except TelegramUnauthorizedError:
            # The token was revoked while running: keep the rows for when it is fixed.
            logger.error("Telegram rejected the bot token while sending notifications")
            return TemporaryFailure("unauthorized")
        except (TelegramServerError, TelegramNetworkError, TimeoutError) as error:
            return TemporaryFailure(type(error).__name__)
        return Sent(sent.message_id)
