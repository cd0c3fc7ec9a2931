"""The rhythm's reminders through the real sender when Telegram pushes back or the bot dies:
a 429 storm in the middle of a batch, and a restart between claiming rows and sending them."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendMessage, TelegramMethod
from sqlalchemy import select

from bot.app import Application, create_application, create_sender
from bot.config import Settings
from bot.telegram.identity import TELEGRAM
from models import Notification, NotificationStatus
from services.outbox.queue import DEFAULT_LEASE
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, FakeTelegram, TelegramClient, api_error, crash
from tests.flows.pairing import Pairing, programme

ZONE = ZoneInfo("Asia/Krasnoyarsk")  # the test organisation's zone
PAIRS = 4
FIRST_REMINDER = "встречу-знакомство"


@pytest.fixture
def session(clock: FakeClock) -> FakeTelegram:
    return FakeTelegram(clock)


@pytest.fixture
async def restarted(settings: Settings, clock: FakeClock) -> AsyncIterator[Application]:
    """The bot started again on the same database: a new application and engine."""
    application = create_application(settings, clock)
    yield application
    await application.database.dispose()


async def _pairs_due(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
    sender: OutboxSender,
) -> tuple[Pairing, list[TelegramClient]]:
    """PAIRS pairs with their first cycle open, the clock at the last reminder's slot; what
    came before (invites, "your pair has started") already delivered."""
    setup = await programme(app, superadmin, person, mentees=PAIRS, mentors=PAIRS)
    people = [*setup.team.mentees, *setup.team.mentors]
    for mentee, mentor in zip(setup.team.mentees, setup.team.mentors, strict=True):
        await setup.pair(mentee, mentor)
    await sender.run_once()
    assert await app.services.rhythm.process_due() == (PAIRS, 0)
    reminders = await _reminders(app)
    assert len(reminders) == 2 * PAIRS
    latest = max(row.due_at for row in reminders)
    clock.advance(seconds=(latest - clock.now()).total_seconds())
    for client in people:
        client.new_texts()
    return setup, people


async def _reminders(app: Application) -> list[Notification]:
    async with app.database.read() as db:
        found = await db.scalars(
            select(Notification).where(Notification.kind == "meeting_reminder")
        )
        return list(found.all())


def _reminders_received(
    session: FakeTelegram, people: list[TelegramClient], since: int
) -> Counter[int]:
    """Reminders each person got among Telegram's deliveries from number `since` on."""
    chats = {client.user.id for client in people}
    return Counter(
        int(method.chat_id)
        for method in session.delivered()[since:]
        if int(method.chat_id) in chats and FIRST_REMINDER in method.text
    )


def _is_send(method: TelegramMethod[object]) -> bool:
    return isinstance(method, SendMessage)


async def test_a_429_storm_in_the_middle_of_the_reminders_reminds_everyone_once(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
    sender: OutboxSender,
    session: FakeTelegram,
) -> None:
    _setup, people = await _pairs_due(app, superadmin, person, clock, sender)
    since = delivered_before = len(session.delivered())
    session.fail_next(
        api_error(TelegramRetryAfter, "Too Many Requests", retry_after=7),
        when=lambda method: _is_send(method) and len(session.delivered()) >= delivered_before + 3,
        times=4,
    )
    started = clock.now()

    await sender.run_once()

    assert _reminders_received(session, people, since) == Counter(
        {client.user.id: 1 for client in people}
    )
    rows = await _reminders(app)
    assert {row.status for row in rows} == {NotificationStatus.SENT}
    assert {row.attempts for row in rows} == {1}  # a 429 is the bot's pace, not the row's fault
    # The bot waited out each 429 (4 × 7 s), and the storm did not push anything out of the
    # sending window.
    assert (clock.now() - started).total_seconds() >= 4 * 7
    assert 9 <= clock.now().astimezone(ZONE).hour < 19
    assert await app.services.rhythm.process_due() == (0, 0)
    await sender.run_once()
    assert sum(_reminders_received(session, people, since).values()) == 2 * PAIRS


async def test_a_restart_between_claim_and_send_loses_and_repeats_nothing(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
    sender: OutboxSender,
    session: FakeTelegram,
    restarted: Application,
    bot: Bot,
) -> None:
    _setup, people = await _pairs_due(app, superadmin, person, clock, sender)
    since = len(session.delivered())
    # The first process claims the due reminders and dies before sending any of them.
    claimed = await app.services.outbox.claim_due(50, messenger=TELEGRAM)
    assert {message.kind for message in claimed} == {"meeting_reminder"}
    assert len(claimed) == 2 * PAIRS
    new_sender = create_sender(restarted, bot)

    # Started again at once: the dead process's rows are still leased, nothing goes twice …
    await new_sender.run_once()
    assert _reminders_received(session, people, since) == Counter()
    # … and when the lease runs out, each reminder goes exactly once.
    clock.advance(seconds=DEFAULT_LEASE.total_seconds())
    await new_sender.run_once()
    await new_sender.run_once()
    assert _reminders_received(session, people, since) == Counter(
        {client.user.id: 1 for client in people}
    )
    assert {row.status for row in await _reminders(app)} == {NotificationStatus.SENT}
    assert await restarted.services.rhythm.process_due() == (0, 0)


async def test_a_kill_after_telegram_took_a_reminder_repeats_only_that_one(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
    sender: OutboxSender,
    session: FakeTelegram,
    restarted: Application,
    bot: Bot,
) -> None:
    _setup, people = await _pairs_due(app, superadmin, person, clock, sender)
    since = len(session.delivered())
    # Telegram accepts the third reminder; the process dies before recording it.
    session.crash_after = since + 3
    await crash(sender)
    session.dead = False
    session.crash_after = None
    before = _reminders_received(session, people, since)
    assert sum(before.values()) == 3

    new_sender = create_sender(restarted, bot)
    clock.advance(seconds=DEFAULT_LEASE.total_seconds())
    await new_sender.run_once()

    received = _reminders_received(session, people, since)
    assert set(received) == {client.user.id for client in people}, "a reminder was lost"
    assert sum(received.values()) == 2 * PAIRS + 1  # the one in flight at the kill, once more
    assert {row.status for row in await _reminders(app)} == {NotificationStatus.SENT}
