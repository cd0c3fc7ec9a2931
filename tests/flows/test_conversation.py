"""Language, unexpected input, floods, errors: the bot always answers briefly and kindly."""

from __future__ import annotations

import logging

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Chat, Message, Update
from sqlalchemy import select

from bot.app import Application
from models import AuditEntry, Person, PersonStatus, RoleAssignment, RoleKind
from services.organisations.invites import InviteService
from tests.conftest import PersonFactory
from tests.fakes import START, TEST_TOKEN, FakeClock, RecordingSession, TelegramClient
from tests.identity import of_telegram


async def test_language_switch_is_remembered(person: PersonFactory, app: Application) -> None:
    teacher = person(42)
    replies = await teacher.send("/language")
    assert "Выберите язык" in replies[-1]
    assert teacher.buttons() == ["✓ Русский", "English"]
    replies = await teacher.click("English")
    assert replies[-1] == "Done: I will speak English with you."
    replies = await teacher.send("/start")
    assert "invite link" in replies[-1]
    async with app.database.read() as db:
        stored = await db.scalar(select(Person).where(of_telegram(42)))
    assert stored is not None and stored.locale == "en"
    await teacher.send("/language")
    replies = await teacher.click("Русский")
    assert replies[-1] == "Готово: я буду говорить с вами по-русски."


async def test_forged_language_is_refused(person: PersonFactory) -> None:
    teacher = person(42)
    replies = await teacher.press("lang:de")
    assert replies == ["Это значение не подходит. Проверьте его и попробуйте ещё раз."]


@pytest.mark.parametrize("kind", ["text", "photo", "sticker", "command", "markup"])
async def test_unexpected_input_gets_a_hint(person: PersonFactory, kind: str) -> None:
    teacher = person(42)
    if kind == "photo":
        replies = await teacher.send_photo()
    elif kind == "sticker":
        replies = await teacher.send_sticker()
    elif kind == "command":
        replies = await teacher.send("/definitely_not_a_command")
    elif kind == "markup":
        replies = await teacher.send("<b>bold</b> & <script>alert(1)</script>" * 100)
    else:
        replies = await teacher.send("Здравствуйте, мне нужна помощь")
    assert replies == ["Я не понял сообщение. Отправьте /help, чтобы узнать, что я умею."]


async def test_cancel_without_a_form(person: PersonFactory) -> None:
    assert await person(42).send("/cancel") == ["Отменять нечего."]


async def test_flood_is_slowed_down_politely(
    person: PersonFactory, clock: FakeClock, session: RecordingSession
) -> None:
    teacher = person(42, seconds_between_actions=0)
    answered = []
    for _ in range(30):
        answered.append(await teacher.send("привет"))
    notice = ["Слишком много сообщений подряд. Подождите несколько секунд."]
    notices = [r for r in answered if r == notice]
    hints = [r for r in answered if r and "не понял" in r[0]]
    assert len(notices) == 1  # one notice, then silence until the flood stops
    assert 5 <= len(hints) <= 10  # the burst is served
    clock.advance(seconds=5)
    replies = await teacher.send("привет")
    assert "не понял" in replies[-1]


async def test_unexpected_error_apologises_and_logs_without_token(
    superadmin: TelegramClient,
    person: PersonFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    app: Application,
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"boom with {TEST_TOKEN} inside")

    monkeypatch.setattr(InviteService, "redeem", broken)
    teacher = person(42)
    with caplog.at_level(logging.ERROR):
        replies = await teacher.send("/start somecode")
    assert replies == ["Извините, у нас что-то пошло не так. Попробуйте ещё раз через минуту."]
    assert any("failed" in record.getMessage() for record in caplog.records)
    # The person can go on using the bot.
    assert "Наставник" in (await teacher.send("/help"))[-1]


async def test_blocking_and_unblocking_the_bot(person: PersonFactory, app: Application) -> None:
    teacher = person(42)
    await teacher.send("/start")
    await teacher.block_bot()
    async with app.database.read() as db:
        stored = await db.scalar(select(Person).where(of_telegram(42)))
    assert stored is not None and stored.status == PersonStatus.UNREACHABLE
    await teacher.send("/start")  # writing again makes them reachable
    async with app.database.read() as db:
        stored = await db.scalar(select(Person).where(of_telegram(42)))
        actions = [e.action for e in await db.scalars(select(AuditEntry))]
    assert stored is not None and stored.status == PersonStatus.ACTIVE
    assert "person.unreachable" in actions and "person.reachable_again" in actions


async def test_superadmin_role_is_recorded_once(
    superadmin: TelegramClient, app: Application
) -> None:
    await superadmin.send("/start")
    await superadmin.send("/help")
    async with app.database.read() as db:
        roles = (
            await db.scalars(
                select(RoleAssignment).where(RoleAssignment.role == RoleKind.SUPERADMIN)
            )
        ).all()
    assert len(roles) == 1


async def test_group_messages_are_ignored(person: PersonFactory, session: RecordingSession) -> None:
    teacher = person(42)
    message = Message(
        message_id=1,
        date=START,
        chat=Chat(id=-100, type="supergroup"),
        from_user=teacher.user,
        text="/start",
    )
    await teacher.feed(Update(update_id=999_999, message=message))
    assert not [m for m in session.requests if isinstance(m, SendMessage | AnswerCallbackQuery)]


async def test_two_first_updates_at_once_create_one_person(
    person: PersonFactory, app: Application
) -> None:
    import asyncio

    teacher = person(77, seconds_between_actions=0)
    await asyncio.gather(*(teacher.send("/start") for _ in range(5)))
    async with app.database.read() as db:
        people = (await db.scalars(select(Person).where(of_telegram(77)))).all()
    assert len(people) == 1
