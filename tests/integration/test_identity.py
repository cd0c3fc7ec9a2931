"""People are found by their messenger account; the programme knows them by person id only."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.app import Application
from bot.telegram.identity import TELEGRAM, telegram_key
from models import AuditEntry, MessengerAccount, Person
from services.core.identity import AccountKey
from tests.conftest import SUPERADMIN_TELEGRAM_ID
from tests.fakes import FakeClock


async def _counts(app: Application) -> tuple[int, int]:
    async with app.database.read() as db:
        people = await db.scalar(select(func.count(Person.id)))
        accounts = await db.scalar(select(func.count(MessengerAccount.id)))
    return people or 0, accounts or 0


async def test_two_first_updates_at_once_make_one_person(app: Application) -> None:
    """Both find no account and both insert; the second is refused by the unique account key
    and finds the first one's person instead of failing."""
    first, second = await asyncio.gather(
        app.services.people.touch(telegram_key(77), "ru", chat_id="77"),
        app.services.people.touch(telegram_key(77), "ru", chat_id="77"),
    )
    assert first.id == second.id
    assert sorted([first.is_new, second.is_new]) == [False, True]
    assert await _counts(app) == (1, 1)
    async with app.database.read() as db:
        contacts = await db.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "person.first_contact")
        )
    assert contacts == 1


async def test_second_contact_finds_the_person_by_their_account(
    app: Application, clock: FakeClock
) -> None:
    first = await app.services.people.touch(telegram_key(42), "en", chat_id="42")
    clock.advance(hours=1)  # past the last-seen resolution, so the second contact writes too
    second = await app.services.people.touch(telegram_key(42), "ru", chat_id="42")

    assert first.is_new and not second.is_new
    assert second.id == first.id
    assert second.locale == "en"  # chosen at first contact, not replaced by the client's
    assert await _counts(app) == (1, 1)
    async with app.database.read() as db:
        account = await db.scalar(select(MessengerAccount))
    assert account is not None
    assert (account.person_id, account.messenger, account.external_user_id, account.chat_id) == (
        first.id,
        TELEGRAM,
        "42",
        "42",
    )


async def test_the_same_id_in_another_messenger_is_another_person(app: Application) -> None:
    on_telegram = await app.services.people.touch(telegram_key(42), "ru", chat_id="42")
    on_max = await app.services.people.touch(AccountKey("max", "42"), "ru", chat_id="c-1")

    assert on_max.id != on_telegram.id
    assert await _counts(app) == (2, 2)


async def test_superadmins_are_recognised_by_their_configured_account(app: Application) -> None:
    """SUPERADMIN_IDS are Telegram ids: the same number in another messenger is nobody special."""
    admin = await app.services.people.touch(telegram_key(SUPERADMIN_TELEGRAM_ID), "ru")
    lookalike = await app.services.people.touch(
        AccountKey("max", str(SUPERADMIN_TELEGRAM_ID)), "ru"
    )

    assert (await app.services.people.actor(admin.id)).is_superadmin
    assert not (await app.services.people.actor(lookalike.id)).is_superadmin


async def test_menus_are_addressed_to_the_chat_of_the_asked_messenger(app: Application) -> None:
    admin = await app.services.people.touch(
        telegram_key(SUPERADMIN_TELEGRAM_ID), "ru", chat_id=str(SUPERADMIN_TELEGRAM_ID)
    )
    stranger = await app.services.people.touch(AccountKey("max", "7"), "ru", chat_id="c-7")

    [target] = await app.services.people.staff_menu_targets(TELEGRAM)
    assert (target.person_id, target.address) == (admin.id, str(SUPERADMIN_TELEGRAM_ID))
    assert await app.services.people.menu_target(stranger.id, TELEGRAM) is None
