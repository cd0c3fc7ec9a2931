"""With REDIS_URL set, a form in progress survives a restart of the bot."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.app import Application, create_dispatcher, create_storage
from bot.config import Settings
from tests.conftest import SUPERADMIN_TELEGRAM_ID
from tests.fakes import FakeClock, RecordingSession, TelegramClient

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        await client.aclose()
        pytest.skip(f"Redis at {REDIS_URL} is unreachable: {error}")
    prefix = f"nastavnik-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    keys = [key async for key in client.scan_iter(f"{prefix}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


def _storage(prefix: str) -> RedisStorage:
    return RedisStorage.from_url(
        REDIS_URL, key_builder=DefaultKeyBuilder(prefix=prefix, with_bot_id=True)
    )


async def test_form_continues_after_restart(
    app: Application,
    bot: Bot,
    session: RecordingSession,
    clock: FakeClock,
    redis_prefix: str,
) -> None:
    first = create_dispatcher(app, storage=_storage(redis_prefix))
    admin = TelegramClient(first, bot, session, user_id=SUPERADMIN_TELEGRAM_ID, clock=clock)
    await admin.send("/org_new")
    await admin.send("Гимназия № 2")
    await first.storage.close()

    # The process restarts: a new dispatcher with a new connection to the same Redis.
    second = create_dispatcher(app, storage=_storage(redis_prefix))
    admin = TelegramClient(second, bot, session, user_id=SUPERADMIN_TELEGRAM_ID, clock=clock)
    replies = await admin.send("г. Иркутск, ул. Ленина, 5")
    assert "часовой пояс" in replies[-1]
    await admin.click("Irkutsk (UTC+8)")
    replies = await admin.click("Создать")
    assert "Гимназия № 2" in replies[-1]
    await second.storage.close()


def test_storage_choice_follows_the_setting(settings: Settings) -> None:
    from aiogram.fsm.storage.memory import MemoryStorage

    assert isinstance(create_storage(settings), MemoryStorage)
    with_redis = settings.model_copy(update={"redis_url": REDIS_URL})
    assert isinstance(create_storage(with_redis), RedisStorage)
