"""Notifications through the real sender and transport, against a recording Bot API.

What a person receives, how many times, and what the outbox rows say afterwards, across 429s,
blocks, server errors and a sender that dies in the middle of a batch.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import Default
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage, TelegramMethod
from sqlalchemy import select

from bot.app import Application, create_application, create_bot, create_sender
from bot.config import Settings
from models import Notification, NotificationStatus, Person, PersonStatus
from services.outbox import queue as outbox
from services.outbox.queue import DEFAULT_LEASE
from services.outbox.sender import MAX_FLOOD_WAITS_PER_TICK, OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, FakeTelegram, api_error, crash
from tests.identity import of_telegram, telegram_account

TRICKY_NAME = '<b>Школа</b> & "Ко"'
ESCAPED_NAME = "&lt;b&gt;Школа&lt;/b&gt; &amp; &#34;Ко&#34;"


@pytest.fixture
def session(clock: FakeClock) -> FakeTelegram:
    return FakeTelegram(clock)


def is_send(method: TelegramMethod[Any]) -> bool:
    return isinstance(method, SendMessage)


def too_many_requests(seconds: int = 5) -> Any:
    return api_error(TelegramRetryAfter, "Too Many Requests", retry_after=seconds)


async def add_person(
    app: Application, telegram_id: int, *, locale: str = "ru", chat_id: int | None = None
) -> int:
    """A person as first contact makes them; `chat_id` if their chat is not their user id."""
    now = app.clock.now()
    async with app.database.write() as db:
        person = Person(locale=locale, created_at=now, last_seen_at=now)
        db.add(person)
        await db.flush()
        account = telegram_account(person.id, telegram_id, now)
        if chat_id is not None:
            account.chat_id = str(chat_id)
        db.add(account)
        return person.id


async def person_id(app: Application, telegram_id: int) -> int:
    async with app.database.read() as db:
        found = await db.scalar(select(Person.id).where(of_telegram(telegram_id)))
    assert found is not None
    return found


async def notify(
    app: Application,
    recipient_id: int,
    key: str,
    *,
    organisation_name: str = "Школа № 7",
    kind: str = "staff_joined",
) -> None:
    now = app.clock.now()
    async with app.database.write() as db:
        queued = await outbox.enqueue(
            db,
            recipient_id=recipient_id,
            kind=kind,
            dedupe_key=key,
            due_at=now,
            now=now,
            payload={"organisation_name": organisation_name, "role": "curator"},
        )
    assert queued


async def rows(app: Application) -> dict[str, Notification]:
    async with app.database.read() as db:
        found = (await db.scalars(select(Notification))).all()
    return {row.dedupe_key: row for row in found}


async def person_status(app: Application, telegram_id: int) -> PersonStatus:
    async with app.database.read() as db:
        status = await db.scalar(select(Person.status).where(of_telegram(telegram_id)))
    assert status is not None
    return status


async def many(app: Application, count: int, first_telegram_id: int = 5000) -> list[int]:
    """`count` people, one notification each (organisation "Школа № i"); their Telegram ids."""
    ids = []
    for index in range(count):
        telegram_id = first_telegram_id + index
        recipient = await add_person(app, telegram_id, locale="ru" if index % 2 else "en")
        await notify(app, recipient, f"batch:{index}", organisation_name=f"Школа № {index}")
        ids.append(telegram_id)
    return ids


# --- what a person reads ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "ru",
            f"Ваше приглашение использовано: в <b>{ESCAPED_NAME}</b> "
            "новый участник в роли «куратор».",
        ),
        ("en", f"Your invite was used: <b>{ESCAPED_NAME}</b> now has a new curator."),
    ],
)
async def test_notification_is_in_the_recipients_language_with_their_input_escaped(
    app: Application,
    bot: Bot,
    sender: OutboxSender,
    session: FakeTelegram,
    locale: str,
    expected: str,
) -> None:
    curator = await add_person(app, 42, locale=locale)
    await notify(app, curator, "event:1", organisation_name=TRICKY_NAME)

    handled = await sender.run_once()

    assert handled == 1
    assert session.delivered_texts(42) == [expected]
    [message] = session.delivered()
    # Sent as HTML (the bot's default), so the bold survives and the escaped name shows as typed.
    parse_mode = message.parse_mode
    if isinstance(parse_mode, Default):
        parse_mode = bot.default[parse_mode.name]
    assert parse_mode == ParseMode.HTML
    row = (await rows(app))["event:1"]
    assert row.status == NotificationStatus.SENT
    assert row.sent_message_id == session.message_ids[id(message)]
    assert row.attempts == 1


async def test_delivered_to_the_chat_of_the_recipients_account(
    app: Application, sender: OutboxSender, session: FakeTelegram
) -> None:
    """The row names a person; the Telegram transport writes to the chat of their account."""
    curator = await add_person(app, 42, chat_id=4242)
    await notify(app, curator, "event:1")

    assert await sender.run_once() == 1

    assert len(session.delivered_texts(4242)) == 1
    assert session.delivered_texts(42) == []
    assert (await rows(app))["event:1"].status == NotificationStatus.SENT


async def test_language_chosen_in_the_bot_is_used(
    app: Application, sender: OutboxSender, session: FakeTelegram, person: PersonFactory
) -> None:
    """The stored language, not Telegram's language_code, decides."""
    teacher = person(42, language_code="ru")
    await teacher.send("/start")
    await app.services.people.set_locale(await person_id(app, 42), "en")
    await notify(app, await person_id(app, 42), "event:1")

    await sender.run_once()

    assert session.delivered_texts(42)[-1].startswith("Your invite was used")


async def test_unknown_kind_fails_its_row_and_the_others_still_go_out(
    app: Application, sender: OutboxSender, session: FakeTelegram
) -> None:
    first = await add_person(app, 41)
    second = await add_person(app, 42)
    await notify(app, first, "event:broken", kind="no_such_kind")
    await notify(app, second, "event:fine")
    await notify(app, first, "event:fine-too")

    await sender.run_once()

    stored = await rows(app)
    assert stored["event:broken"].status == NotificationStatus.FAILED
    assert "no_such_kind" in (stored["event:broken"].last_error or "")
    assert stored["event:fine"].status == NotificationStatus.SENT
    assert stored["event:fine-too"].status == NotificationStatus.SENT
    assert len(session.delivered_texts(41)) == 1
    assert len(session.delivered_texts(42)) == 1
    assert session.attempts_to(41) == 1  # the broken row never reached Telegram


# --- 429 ----------------------------------------------------------------------------------------


async def test_429_then_success_is_delivered_once_after_waiting(
    app: Application, sender: OutboxSender, session: FakeTelegram, clock: FakeClock
) -> None:
    curator = await add_person(app, 42)
    await notify(app, curator, "event:1")
    session.fail_next(too_many_requests(5), when=is_send)

    await sender.run_once()

    assert len(session.delivered_texts(42)) == 1
    assert session.attempts_to(42) == 2
    assert session.times[1] - session.times[0] >= 5.0 - 1e-9
    assert sum(clock.slept) >= 5.0 - 1e-9
    assert any(seconds == pytest.approx(5.0) for seconds in clock.slept)
    row = (await rows(app))["event:1"]
    assert row.status == NotificationStatus.SENT
    assert row.attempts == 1  # a 429 is the bot's pace, not this row's failure


async def test_429_storm_during_a_batch_delivers_everyone_exactly_once(
    app: Application, sender: OutboxSender, session: FakeTelegram
) -> None:
    chats = await many(app, 20)
    sent_before_storm = 4

    session.fail_next(
        too_many_requests(5),
        when=lambda method: is_send(method) and len(session.delivered()) >= sent_before_storm,
        times=3,
    )

    await sender.run_once()

    delivered = Counter(int(m.chat_id) for m in session.delivered())
    assert delivered == Counter(chats)  # each of the 20 exactly once
    for index, chat in enumerate(chats):
        assert f"Школа № {index}" in session.delivered_texts(chat)[0]
    assert {row.status for row in (await rows(app)).values()} == {NotificationStatus.SENT}
    # Nobody was sent anything while the bot was told to wait.
    failures = [
        at
        for at, method in zip(session.times, session.requests, strict=True)
        if isinstance(method, SendMessage) and id(method) not in session.message_ids
    ]
    assert len(failures) == 3
    for failed_at in failures:
        during_pause = [
            at for at in session.times if failed_at < at < failed_at + 5.0 - 1e-9
        ]  # fmt: skip
        assert during_pause == [], "a message went out during a 429 pause"


async def test_row_that_keeps_meeting_429_is_handed_back_and_sent_on_a_later_tick(
    app: Application, sender: OutboxSender, session: FakeTelegram
) -> None:
    curator = await add_person(app, 42)
    await notify(app, curator, "event:1")
    session.fail_next(too_many_requests(1), when=is_send, times=MAX_FLOOD_WAITS_PER_TICK)

    await sender.run_once()

    row = (await rows(app))["event:1"]
    assert (row.status, row.attempts) == (NotificationStatus.PENDING, 0)
    assert session.delivered_texts(42) == []

    await sender.run_once()

    assert len(session.delivered_texts(42)) == 1
    assert (await rows(app))["event:1"].status == NotificationStatus.SENT


# --- blocked bot --------------------------------------------------------------------------------


async def test_403_marks_person_unreachable_until_they_write_again(
    app: Application,
    sender: OutboxSender,
    session: FakeTelegram,
    person: PersonFactory,
    clock: FakeClock,
) -> None:
    teacher = person(42)
    await teacher.send("/start")
    others = await many(app, 3)
    await notify(app, await person_id(app, 42), "event:1")
    session.blocked.add(42)  # they blocked the bot; Telegram answers 403 to every send

    await sender.run_once()

    assert await person_status(app, 42) == PersonStatus.UNREACHABLE
    stored = await rows(app)
    assert (stored["event:1"].status, stored["event:1"].attempts) == (
        NotificationStatus.PENDING,
        0,
    )
    assert all(len(session.delivered_texts(chat)) == 1 for chat in others)

    # Nothing more is even attempted while they are unreachable, however long we wait.
    await notify(app, await person_id(app, 42), "event:2")
    attempts = session.attempts_to(42)
    for _ in range(3):
        clock.advance(hours=1)
        await sender.run_once()
    assert session.attempts_to(42) == attempts

    # They unblock the bot and write to it: both notifications arrive, once each.
    session.blocked.discard(42)
    replies = await teacher.send("/start")
    assert replies
    assert await person_status(app, 42) == PersonStatus.ACTIVE
    await sender.run_once()

    notifications = [
        text for text in session.delivered_texts(42) if "приглашение использовано" in text
    ]
    assert len(notifications) == 2
    stored = await rows(app)
    assert stored["event:1"].status == NotificationStatus.SENT
    assert stored["event:2"].status == NotificationStatus.SENT


async def test_kicked_update_marks_person_unreachable_and_stops_sends(
    app: Application,
    sender: OutboxSender,
    session: FakeTelegram,
    person: PersonFactory,
) -> None:
    teacher = person(42)
    await teacher.send("/start")

    await teacher.block_bot()

    assert await person_status(app, 42) == PersonStatus.UNREACHABLE
    await notify(app, await person_id(app, 42), "event:1")
    attempts = session.attempts_to(42)
    await sender.run_once()
    assert session.attempts_to(42) == attempts
    assert (await rows(app))["event:1"].status == NotificationStatus.PENDING

    await teacher.unblock_bot()

    assert await person_status(app, 42) == PersonStatus.ACTIVE
    await sender.run_once()
    assert [t for t in session.delivered_texts(42) if "приглашение использовано" in t]
    assert (await rows(app))["event:1"].status == NotificationStatus.SENT


# --- temporary failures -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        api_error(TelegramServerError, "Internal Server Error"),
        api_error(TelegramNetworkError, "HTTP Client says - ClientConnectorError"),
        lambda method: TimeoutError(),
    ],
    ids=["500", "network", "timeout"],
)
async def test_temporary_failure_is_retried_after_backoff_and_delivered_once(
    app: Application,
    sender: OutboxSender,
    session: FakeTelegram,
    clock: FakeClock,
    failure: Any,
) -> None:
    curator = await add_person(app, 42)
    await notify(app, curator, "event:1")
    session.fail_next(failure, when=is_send)

    await sender.run_once()

    row = (await rows(app))["event:1"]
    assert row.status == NotificationStatus.PENDING
    assert row.attempts == 1
    assert row.due_at == clock.now() + outbox.retry_delay(1)
    assert row.last_error
    assert session.delivered_texts(42) == []

    await sender.run_once()  # too early: the backoff is not over
    assert session.attempts_to(42) == 1

    clock.advance(seconds=outbox.retry_delay(1).total_seconds())
    await sender.run_once()

    assert len(session.delivered_texts(42)) == 1
    row = (await rows(app))["event:1"]
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 2, None)


async def test_bad_request_fails_the_row_without_retrying(
    app: Application, sender: OutboxSender, session: FakeTelegram, clock: FakeClock
) -> None:
    curator = await add_person(app, 42)
    await notify(app, curator, "event:1")
    session.fail_next(
        api_error(TelegramBadRequest, "Bad Request: can't parse entities"), when=is_send
    )

    await sender.run_once()
    clock.advance(days=1)
    await sender.run_once()

    row = (await rows(app))["event:1"]
    assert row.status == NotificationStatus.FAILED
    assert "can't parse entities" in (row.last_error or "")
    assert session.attempts_to(42) == 1


# --- a sender that dies in the middle of a batch ------------------------------------------------


@pytest.fixture
async def restarted(settings: Settings, clock: FakeClock) -> AsyncIterator[Application]:
    """A second bot process on the same database: new application, engine, bot and session."""
    application = create_application(settings, clock)
    yield application
    await application.database.dispose()


@pytest.mark.parametrize(
    "delivered_before_crash",
    [True, False],
    ids=["dies-after-telegram-accepted", "dies-before-sending"],
)
async def test_restart_in_the_middle_of_a_batch_delivers_everything_once(
    app: Application,
    sender: OutboxSender,
    session: FakeTelegram,
    clock: FakeClock,
    restarted: Application,
    delivered_before_crash: bool,
) -> None:
    chats = await many(app, 20)
    crash_on = 7
    session.crash_after = crash_on
    session.crash_before_delivery = not delivered_before_crash

    await crash(sender)

    before = Counter(int(m.chat_id) for m in session.delivered())
    in_flight = 1 if delivered_before_crash else 0
    assert sum(before.values()) == crash_on - 1 + in_flight
    stored = await rows(app)
    assert Counter(row.status for row in stored.values()) == {
        NotificationStatus.SENT: crash_on - 1,  # each recorded right after its own send
        NotificationStatus.SENDING: 21 - crash_on,  # the rest of the batch: claimed, leased
    }
    sent_before = {r.recipient_id for r in stored.values() if r.status == NotificationStatus.SENT}

    # A new process on the same database.
    new_session = FakeTelegram(clock)
    new_bot = create_bot(restarted.settings, session=new_session)
    new_sender = create_sender(restarted, new_bot)
    try:
        # The dead sender's rows are still leased: nothing is sent twice right away.
        await new_sender.run_once()
        assert new_session.delivered() == []

        clock.advance(seconds=DEFAULT_LEASE.total_seconds())
        await new_sender.run_once()
    finally:
        await new_bot.session.close()

    after = Counter(int(m.chat_id) for m in new_session.delivered())
    total = before + after
    assert set(total) == set(chats), "someone never got their notification"
    duplicates = sum(count - 1 for count in total.values())
    assert duplicates == in_flight  # only the message in flight at the crash, if any
    stored = await rows(app)
    assert {row.status for row in stored.values()} == {NotificationStatus.SENT}
    resent_ids = {await person_id(app, chat) for chat in after}
    assert not resent_ids & sent_before, "a row marked sent was sent again"


# --- stopping and expiry while waiting ----------------------------------------------------------


class GatedClock(FakeClock):
    """A clock whose waits last until the test opens the gate, like a real 30-second 429 pause."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.waiting = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        self.waiting.set()
        await self.gate.wait()
        await super().sleep(seconds)


async def test_stop_during_a_429_pause_hands_the_batch_back_at_once(
    settings: Settings, session: FakeTelegram
) -> None:
    clock = GatedClock()
    app = create_application(settings, clock)
    bot = create_bot(settings, session=session)
    try:
        chats = await many(app, 6)
        session.fail_next(too_many_requests(30), when=is_send)
        sender = create_sender(app, bot)
        running = asyncio.create_task(sender.run_once())
        await asyncio.wait_for(clock.waiting.wait(), timeout=5)

        await asyncio.wait_for(sender.stop(), timeout=5)  # does not wait out the 30 s
        await asyncio.wait_for(running, timeout=5)

        assert session.delivered() == []
        statuses = {row.status for row in (await rows(app)).values()}
        assert statuses == {NotificationStatus.PENDING}  # handed back, nothing lost
        assert {row.attempts for row in (await rows(app)).values()} == {0}
        assert len(chats) == 6
    finally:
        await bot.session.close()
        await app.database.dispose()


async def test_row_that_expires_during_a_429_pause_is_not_sent(
    app: Application, sender: OutboxSender, session: FakeTelegram, clock: FakeClock
) -> None:
    recipient = await add_person(app, 42)
    now = clock.now()
    async with app.database.write() as db:
        await outbox.enqueue(
            db,
            recipient_id=recipient,
            kind="staff_joined",
            dedupe_key="soon-stale",
            due_at=now,
            now=now,
            expires_at=now + timedelta(seconds=3),
            payload={"organisation_name": "Школа", "role": "curator"},
        )
    session.fail_next(too_many_requests(5), when=is_send)

    await sender.run_once()

    assert session.delivered() == []
    assert (await rows(app))["soon-stale"].status == NotificationStatus.EXPIRED
