"""First contact, /help, /language, and what the bot says to input it does not expect."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Application
from models import Person
from tests.conftest import PersonFactory
from tests.identity import of_telegram


async def test_first_start_without_invite_explains_how_to_join(
    person: PersonFactory, app: Application
) -> None:
    teacher = person(42)
    replies = await teacher.send("/start")
    assert len(replies) == 1
    assert "ссылку-приглашение" in replies[0]
    async with app.database.read() as session:
        stored = await session.scalar(select(Person).where(of_telegram(42)))
    assert stored is not None
    assert stored.locale == "ru"
    # No personal data before consent: Telegram's first name is not copied.
    assert stored.full_name is None


async def test_english_client_gets_english(person: PersonFactory) -> None:
    teacher = person(43, language_code="en-GB")
    replies = await teacher.send("/start")
    assert "invite link" in replies[0]


async def test_unknown_language_falls_back_to_russian(person: PersonFactory) -> None:
    teacher = person(44, language_code="uk")
    replies = await teacher.send("/help")
    assert "Наставник" in replies[0]
    assert "/invite" not in replies[0]  # curator commands are not advertised to participants
