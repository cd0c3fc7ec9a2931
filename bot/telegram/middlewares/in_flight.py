"""Counts updates being handled, so shutdown can wait for them to finish."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject


class InFlightMiddleware(BaseMiddleware):
    def __init__(self) -> None:
        self._active = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        self._active += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self._active -= 1
            if self._active == 0:
                self._idle.set()

    @property
    def active(self) -> int:
        return self._active

    async def wait_idle(self, grace_seconds: float) -> bool:
        """True if every handler finished within `grace_seconds`."""
        try:
            await asyncio.wait_for(self._idle.wait(), grace_seconds)
        except TimeoutError:
            return False
        return True
