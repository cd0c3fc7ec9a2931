"""The bot remembers who is writing between their updates (services/people/standing_cache.py):
a person it knows costs no query, and whatever changes them — a new consent text, a curator's
decision, Telegram saying they blocked the bot, a change made by hand in the database — is seen
at their very next message (or, made outside the bot, within a minute)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import select

from bot.app import Application
from bot.db import Database, create_engine
from models import Person, PersonStatus, RoleAssignment, RoleKind
from services.people.standing_cache import CACHED_FOR
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.helpers import complete_profile, curator_invite, join_with_consent, make_curator
from tests.identity import of_telegram
from tests.statements import counted_statements

AGREE = "✅ Я согласен(на)"


async def _participant(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> tuple[TelegramClient, TelegramClient]:
    curator = person(2001)
    await make_curator(superadmin, curator)
    teacher = person(4001)
    await join_with_consent(teacher, await curator_invite(curator, "Наставляемый"))
    await complete_profile(app, 4001)
    await teacher.send("/cancel")
    return curator, teacher


async def test_a_person_the_bot_knows_costs_no_query(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    _curator, teacher = await _participant(superadmin, person, app)
    await teacher.send("/help")
    with counted_statements(app) as statements:
        replies = await teacher.send("/help")
    assert "/request" in replies[-1]
    assert statements == []


async def test_a_new_consent_text_reaches_someone_the_bot_remembers(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, teacher = await _participant(superadmin, person, app)
    await teacher.send("/profile")
    await teacher.send("/profile")  # remembered now

    await curator.send("/consent")
    await curator.click("5 лет")  # a new version of the consent text

    notice, document = await teacher.send("/profile")
    assert notice.startswith("Сначала, пожалуйста, ответьте на запрос согласия")
    assert "5 лет" in document


async def test_a_blocked_bot_is_unblocked_by_a_remembered_person_writing(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    """The outbox marks people unreachable with one statement for many rows; the person's next
    message must still bring them back, or nothing would ever be sent to them again."""
    _curator, teacher = await _participant(superadmin, person, app)
    await teacher.send("/help")
    await teacher.send("/help")
    async with app.database.write() as db:
        await db.execute(
            sa.update(Person)
            .where(Person.id.in_(select(Person.id).where(of_telegram(4001)).scalar_subquery()))
            .values(status=PersonStatus.UNREACHABLE)
        )

    assert await teacher.send("/help")
    async with app.database.read() as db:
        status = await db.scalar(select(Person.status).where(of_telegram(4001)))
    assert status == PersonStatus.ACTIVE


async def test_a_curator_role_shows_in_help_at_once(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator, teacher = await _participant(superadmin, person, app)
    await teacher.send("/help")
    assert "Для куратора" not in (await teacher.send("/help"))[-1]

    code = await curator_invite(curator, "Куратор")
    await teacher.send(f"/start {code}")

    assert "Для куратора" in (await teacher.send("/help"))[-1]


async def test_a_change_made_outside_the_bot_is_seen_within_a_minute(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    """Another process (an administrator's script, a restored backup) writes to the database:
    the bot cannot hear of it, so what it remembers expires."""
    _curator, teacher = await _participant(superadmin, person, app)
    await teacher.send("/help")
    await teacher.send("/help")
    outside = Database(create_engine(app.settings.database_url))
    try:
        async with outside.write() as db:
            person_id = await db.scalar(select(Person.id).where(of_telegram(4001)))
            organisation_id = await db.scalar(
                select(RoleAssignment.organisation_id).where(RoleAssignment.person_id == person_id)
            )
            db.add(
                RoleAssignment(
                    person_id=person_id,
                    role=RoleKind.CURATOR,
                    organisation_id=organisation_id,
                    granted_at=clock.now(),
                )
            )
    finally:
        await outside.dispose()

    clock.advance(seconds=CACHED_FOR.total_seconds())
    assert "Для куратора" in (await teacher.send("/help"))[-1]
