from __future__ import annotations

from aiogram import Router
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated

from bot.container import Services
from bot.telegram.filters import PrivateChat
from bot.telegram.identity import telegram_key


async def on_bot_blocked(event: ChatMemberUpdated, services: Services) -> None:
    """The person blocked the bot: stop sending to them until they write again."""
    await services.people.set_reachable(telegram_key(event.from_user.id), reachable=False)


async def on_bot_unblocked(event: ChatMemberUpdated, services: Services) -> None:
    """The person unblocked the bot."""
    await services.people.set_reachable(telegram_key(event.from_user.id), reachable=True)


def get_router() -> Router:
    router = Router(name="membership")
    router.my_chat_member.filter(PrivateChat())
    router.my_chat_member.register(
        on_bot_blocked, ChatMemberUpdatedFilter(member_status_changed=KICKED)
    )
    router.my_chat_member.register(
        on_bot_unblocked, ChatMemberUpdatedFilter(member_status_changed=MEMBER)
    )
    return router
