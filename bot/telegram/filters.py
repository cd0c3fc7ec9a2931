"""Filters for the routers; each one is a coroutine.

aiogram runs a filter that is a plain function — a bare `State`, a magic `F` expression — in a
thread of its own (`asyncio.to_thread`), and a message in a form meets a dozen of them on its way
through the routers: that was the larger part of a form step's time. So the routers use these,
aiogram's `Filter` classes (`StateFilter`, `Command`, callback data filters), and no sync
callables; `tests/unit/test_routers.py` keeps it so.
"""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import ChatMemberUpdated, Message


class TypedText(Filter):
    """A message of text that is not a command (a command leaves the step to its own handler)."""

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and not message.text.startswith("/")


class NotACommand(Filter):
    """Anything but a command: text, or a photo, a sticker, a voice message…"""

    async def __call__(self, message: Message) -> bool:
        return not (message.text or "").startswith("/")


class HasDocument(Filter):
    """A message carrying a file sent as a document."""

    async def __call__(self, message: Message) -> bool:
        return message.document is not None


class PrivateChat(Filter):
    """The bot's own chat with a person (not a group it was added to)."""

    async def __call__(self, update: ChatMemberUpdated) -> bool:
        return update.chat.type == "private"
