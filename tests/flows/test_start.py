"""First contact, /help, /language, and what the bot says to input it does not expect."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Application
from models import Person
from tests.conftest import PersonFactory
from tests.fakes import TelegramClient
from tests.flows.mentoring import file_request
from tests.flows.pairing import programme
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


async def test_a_participant_who_joined_is_greeted_as_who_they_are(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person, mentees=1, mentors=1)
    await file_request(app, setup.id_of(setup.mentee))
    [greeting] = await setup.mentee.send("/start")
    assert greeting.startswith("Здравствуйте, Иванова Анна Петровна!")
    assert "Вы — наставляемый в <b>МБОУ «СОШ № 7»</b>." in greeting
    assert "Что вы можете сделать сейчас:" in greeting
    assert "/request" in greeting and "/mypairs" in greeting
    assert "/participants" not in greeting  # not a curator's list
    assert "Чтобы присоединиться" not in greeting  # not the stranger's welcome
    # The open request is still there.
    assert await app.services.requests.current(setup.id_of(setup.mentee)) is not None

    [greeting] = await setup.mentor.send("/start")
    assert "Вы — наставник в <b>МБОУ «СОШ № 7»</b>." in greeting


async def test_a_curator_and_the_administrator_are_greeted_with_their_commands(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person, mentees=1, mentors=1)
    [greeting] = await setup.curator.send("/start")
    assert greeting.startswith("Здравствуйте!")
    assert "Вы — куратор в <b>МБОУ «СОШ № 7»</b>." in greeting
    assert "/participants" in greeting and "/invite" in greeting
    assert "/org_new" not in greeting
    [greeting] = await superadmin.send("/start")
    assert "Вы — администратор бота." in greeting
    assert "/org_new" in greeting


async def test_start_in_the_middle_of_a_form_keeps_it(
    superadmin: TelegramClient, person: PersonFactory
) -> None:
    await superadmin.send("/org_new")
    await superadmin.send("Гимназия № 1")
    [reminder] = await superadmin.send("/start")
    assert "незаконченная анкета" in reminder
    # The form goes on where it was: the address is still expected.
    replies = await superadmin.send("г. Бодайбо, ул. Урицкого, 3")
    assert "часовой пояс" in replies[-1]
