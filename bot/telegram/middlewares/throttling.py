"""Slow down a person who sends many updates per second, politely and without crashing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User
from aiogram.utils.i18n import I18n

from services.core.clock import Clock
from services.people.directory import locale_from_language_code


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class ThrottlingMiddleware(BaseMiddleware):
    """Token bucket per person: `rate` updates a second on average, bursts up to `burst`.

    The first update over the limit gets one short notice; the following ones are dropped
    silently until the bucket refills, so a flood costs neither database work nor replies.
    Registered on updates, before anything touches the database.
    """

    def __init__(self, clock: Clock, i18n: I18n, *, rate: float, burst: int = 8) -> None:
        self._clock = clock
        self._i18n = i18n
        self._rate = rate
        self._burst = float(burst)
        self._buckets: dict[int, _Bucket] = {}

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None or not isinstance(event, Update):
            return await handler(event, data)
        now = self._clock.monotonic()
        bucket = self._buckets.get(user.id)
        if bucket is None:
            bucket = self._buckets[user.id] = _Bucket(self._burst, now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            self._forget_idle(now)
            return await handler(event, data)
        if not bucket.warned:
            bucket.warned = True
            await self._warn(event, user)
        return None

    async def _warn(self, update: Update, user: User) -> None:
        locale = locale_from_language_code(user.language_code, self._i18n.default_locale)
        with self._i18n.context(), self._i18n.use_locale(locale):
            notice = self._i18n.gettext("Too many messages at once. Please wait a few seconds.")
        if update.message is not None:
            await update.message.answer(notice)
        elif update.callback_query is not None:
            await update.callback_query.answer(notice)

    def _forget_idle(self, now: float) -> None:
        if len(self._buckets) < 50_000:
            return
        full_after = self._burst / self._rate
        self._buckets = {
            user: bucket
            for user, bucket in self._buckets.items()
            if now - bucket.updated < full_after
        }
