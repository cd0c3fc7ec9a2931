"""A Bot API that enforces Telegram's flood limits, so tests meet 429s where a real bot would."""

from __future__ import annotations

import math
from collections import deque
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import (
    EditMessageText,
    SendDocument,
    SendMessage,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType

from tests.fakes import FakeClock, RecordingSession

# Telegram's documented limits: about one message a second in one chat, with short bursts of
# about five, and about thirty a second from one bot overall.
CHAT_BURST = 5
CHAT_PER_SECOND = 1.0
OVERALL_PER_SECOND = 30


class LimitedTelegram(RecordingSession):
    """RecordingSession that answers 429 with `retry_after` when a chat or the bot goes too fast.

    Per chat: a bucket of CHAT_BURST messages refilled at CHAT_PER_SECOND. Overall: at most
    OVERALL_PER_SECOND messages in any second. Time is the test's FakeClock.
    """

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.refused: list[TelegramMethod[Any]] = []
        self._buckets: dict[int, tuple[float, float]] = {}
        self._recent: deque[float] = deque()

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> TelegramType:
        if isinstance(method, SendMessage | SendDocument | EditMessageText):
            wait = self._wait_for(int(method.chat_id or 0))
            if wait > 0:
                self.refused.append(method)
                raise TelegramRetryAfter(  # type: ignore[misc]
                    method=method,
                    message=f"Too Many Requests: retry after {math.ceil(wait)}",
                    retry_after=math.ceil(wait),
                )
        return await super().make_request(bot, method, timeout)

    def _wait_for(self, chat_id: int) -> float:
        now = self.clock.monotonic()
        while self._recent and self._recent[0] <= now - 1:
            self._recent.popleft()
        if len(self._recent) >= OVERALL_PER_SECOND:
            return self._recent[0] + 1 - now
        tokens, updated = self._buckets.get(chat_id, (float(CHAT_BURST), now))
        tokens = min(float(CHAT_BURST), tokens + (now - updated) * CHAT_PER_SECOND)
        if tokens < 1:
            return (1 - tokens) / CHAT_PER_SECOND
        self._buckets[chat_id] = (tokens - 1, now)
        self._recent.append(now)
        return 0.0

    def shown_to(self, chat_id: int) -> list[str]:
        """Texts Telegram accepted for this chat: not the attempts it refused or that failed (a
        retried request is the same object sent again, so each counts once)."""
        accepted = {
            id(method): method
            for method in self.requests
            if isinstance(method, EditMessageText) or id(method) in self.message_ids
        }
        return [
            method.text
            for method in accepted.values()
            if isinstance(method, SendMessage | EditMessageText)
            and int(method.chat_id or 0) == chat_id
            and method.text is not None
        ]
