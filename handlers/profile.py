"""The profile form (replaced by the full form in this issue's work)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext

from bot.container import Services
from bot.texts import Texts
from models import ProgrammeRole
from services.people import PersonView


async def start_profile(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    person: PersonView,
    services: Services,
    texts: Texts,
    *,
    preset: ProgrammeRole | None,
) -> None:
    """Begin the profile form right after consent."""
    raise NotImplementedError


def get_router() -> Router:
    return Router(name="profile")
