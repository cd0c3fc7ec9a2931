"""Find or create the person behind each message or button press."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User

from bot.telegram.identity import TelegramPerson, telegram_key
from services.people.directory import PeopleService


class PersonMiddleware(BaseMiddleware):
    """Puts `person` (a TelegramPerson) into the update's data for private messages and buttons.

    Registered on updates (not on messages) so the error handlers see the person too and can
    answer in their language. Messages from groups are ignored: the bot works in private chats.
    """

    def __init__(self, people: PeopleService) -> None:
        self._people = people

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        user: User | None = data.get("event_from_user")
        if event.message is not None:
            if event.message.chat.type != "private":
                return None
        elif event.callback_query is None:
            return await handler(event, data)
        if user is None or user.is_bot:
            return None
        # The bot works in private chats only, where the chat id is the user's id.
        view = await self._people.touch(
            telegram_key(user.id), user.language_code, user.username, chat_id=str(user.id)
        )
        data["person"] = TelegramPerson.of(view, chat_id=user.id)
        return await handler(event, data)
