"""Files people send: fetched from Telegram with the reply path's patience. `getFile` goes
through the reply path (429 and 5xx retried); the download itself is a plain HTTP request, so a
network error or a server error is retried here on the same back-off, and a file that still
cannot be fetched is None — the handler asks for it again instead of apologising for a bug."""

from __future__ import annotations

import asyncio
import io
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.types import Document
from aiohttp import ClientError

from bot.telegram.reply import SERVER_BACKOFF
from services.core.clock import Clock

logger = logging.getLogger(__name__)
_TRANSIENT = (ClientError, asyncio.TimeoutError, TelegramNetworkError, TelegramServerError)


async def download(bot: Bot, document: Document, clock: Clock) -> bytes | None:
    for pause in (*SERVER_BACKOFF, None):
        buffer = io.BytesIO()
        try:
            await bot.download(document, destination=buffer)
        except _TRANSIENT as error:
            if pause is None:
                logger.warning("Could not fetch a file from Telegram: %s", type(error).__name__)
                return None
            await clock.sleep(pause)
            continue
        return buffer.getvalue()
    return None
