"""A bare aiogram echo bot: the yardstick the real bot is compared with in `bench.update_path`.

One router, one handler (`message.answer(message.text)`), aiogram's own polling with its
defaults, nothing else. Configured like the real bot: BOT_TOKEN, TELEGRAM_API_URL, LOG_LEVEL.

    BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:8081 python bench/echo_bot.py
"""

from __future__ import annotations

import asyncio
import logging
import os

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message

router = Router(name="echo")


@router.message()
async def echo(message: Message) -> None:
    await message.answer(message.text or "")


async def main() -> None:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    api = os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org")
    bot = Bot(os.environ["BOT_TOKEN"], session=AiohttpSession(api=TelegramAPIServer.from_base(api)))
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    await dispatcher.start_polling(bot, handle_signals=True)


if __name__ == "__main__":
    asyncio.run(main())
