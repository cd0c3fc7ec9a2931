"""Concurrent read-modify-write use cases lose no update, on SQLite and PostgreSQL.

Redeeming an invite reads `invite.uses`, checks it and writes it back. Many people opening the
same link at once must all be counted, a single-use link must appoint exactly one person, and one
person opening a link many times must join once. Every redemption runs in its own transaction on
its own connection, at the same time (`asyncio.gather`); the test checks they really overlapped.

Within one process SQLite writers also queue on an asyncio lock, so the calls are spread over two
applications on the same database, as two bot processes would be: what keeps them from losing
updates or failing with "database is locked" is then `BEGIN IMMEDIATE` and busy_timeout alone.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from bot.app import Application, create_application
from bot.config import Settings
from bot.telegram.identity import telegram_key
from models import AuditEntry, Invite, InviteRole, RoleAssignment, RoleKind
from services.core.errors import InviteNotUsable, InviteProblem
from services.organisations.invites import InviteView, JoinResult
from tests.conftest import SUPERADMIN_TELEGRAM_ID
from tests.fakes import FakeClock

T = TypeVar("T")

MANY = 50
CROWD = 20
REPEATS = 10
FIRST_TELEGRAM_ID = 20_000


@dataclass
class Overlap:
    """How many pooled connections were checked out at the same time, at most."""

    current: int = 0
    peak: int = 0


@contextmanager
def measure_overlap(apps: list[Application]) -> Iterator[Overlap]:
    pools = [app.database.engine.sync_engine.pool for app in apps]
    overlap = Overlap()

    def checkout(*_: Any) -> None:
        overlap.current += 1
        overlap.peak = max(overlap.peak, overlap.current)

    def checkin(*_: Any) -> None:
        overlap.current -= 1

    for pool in pools:
        event.listen(pool, "checkout", checkout)
        event.listen(pool, "checkin", checkin)
    try:
        yield overlap
    finally:
        for pool in pools:
            event.remove(pool, "checkout", checkout)
            event.remove(pool, "checkin", checkin)


@pytest.fixture
async def apps(
    app: Application, settings: Settings, clock: FakeClock
) -> AsyncIterator[list[Application]]:
    """The test's application and a second one on the same database (another process)."""
    other = create_application(settings, clock)
    yield [app, other]
    await other.database.dispose()


def redeem_calls(
    apps: list[Application], pairs: list[tuple[int, str]]
) -> list[Awaitable[JoinResult]]:
    """Each redemption through one of the applications, alternating."""
    return [
        apps[index % len(apps)].services.invites.redeem(person_id, code)
        for index, (person_id, code) in enumerate(pairs)
    ]


async def run_at_once(
    apps: list[Application], calls: list[Awaitable[T]]
) -> list[T | BaseException]:
    """Run the calls concurrently and prove they overlapped; print how long they took."""
    app = apps[0]
    started = time.perf_counter()
    with measure_overlap(apps) as overlap:
        results = await asyncio.gather(*calls, return_exceptions=True)
    elapsed = time.perf_counter() - started
    print(f"{len(calls)} concurrent calls on {app.database.dialect}: {elapsed:.3f}s")
    assert overlap.peak > 1, "the calls ran one after another, not at the same time"
    return results


async def superadmin_with_organisation(app: Application) -> tuple[int, int, InviteView]:
    """The superadmin, their new organisation and its single-use curator invite."""
    superadmin = await app.services.people.touch(telegram_key(SUPERADMIN_TELEGRAM_ID), "ru")
    organisation, curator_invite = await app.services.organisations.create(
        superadmin.id,
        name="Школа № 7",
        address="Казань, ул. Пушкина, 10",
        timezone="Europe/Moscow",
    )
    return superadmin.id, organisation.id, curator_invite


async def make_people(app: Application, count: int) -> list[int]:
    return [
        (await app.services.people.touch(telegram_key(FIRST_TELEGRAM_ID + index), "ru")).id
        for index in range(count)
    ]


async def stored_invite(app: Application, invite_id: int) -> Invite:
    async with app.database.read() as session:
        invite = await session.get(Invite, invite_id)
        assert invite is not None
        return invite


async def assignments(app: Application, organisation_id: int, role: RoleKind) -> list[int]:
    async with app.database.read() as session:
        person_ids = await session.scalars(
            sa.select(RoleAssignment.person_id).where(
                RoleAssignment.organisation_id == organisation_id,
                RoleAssignment.role == role,
            )
        )
        return sorted(person_ids)


async def grants_recorded(app: Application, organisation_id: int) -> int:
    async with app.database.read() as session:
        count = await session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(
                AuditEntry.action == "role.granted",
                AuditEntry.organisation_id == organisation_id,
            )
        )
        return count or 0


def unexpected(results: list[Any]) -> list[BaseException]:
    """Anything but a join or a refused invite, e.g. "database is locked" or a deadlock."""
    return [
        result
        for result in results
        if isinstance(result, BaseException) and not isinstance(result, InviteNotUsable)
    ]


async def test_many_people_redeem_one_multi_use_invite_at_once(
    app: Application, apps: list[Application]
) -> None:
    superadmin_id, organisation_id, _ = await superadmin_with_organisation(app)
    invite = await app.services.invites.create(superadmin_id, organisation_id, InviteRole.MENTEE)
    assert invite.max_uses is None
    people = await make_people(app, MANY)

    results = await run_at_once(
        apps, redeem_calls(apps, [(person_id, invite.code) for person_id in people])
    )

    assert unexpected(results) == []
    assert all(isinstance(result, JoinResult) for result in results)
    assert not any(isinstance(r, JoinResult) and r.already_member for r in results)
    assert (await stored_invite(app, invite.id)).uses == MANY
    assert await assignments(app, organisation_id, RoleKind.PARTICIPANT) == sorted(people)
    assert await grants_recorded(app, organisation_id) == MANY


async def test_a_single_use_invite_appoints_exactly_one_of_many(
    app: Application, apps: list[Application]
) -> None:
    _, organisation_id, curator_invite = await superadmin_with_organisation(app)
    assert curator_invite.max_uses == 1
    people = await make_people(app, CROWD)

    results = await run_at_once(
        apps, redeem_calls(apps, [(person_id, curator_invite.code) for person_id in people])
    )

    assert unexpected(results) == []
    joined = [
        person_id
        for person_id, result in zip(people, results, strict=True)
        if isinstance(result, JoinResult)
    ]
    refused = [result for result in results if isinstance(result, InviteNotUsable)]
    assert len(joined) == 1
    assert len(refused) == CROWD - 1
    assert {error.problem for error in refused} == {InviteProblem.USED_UP}
    assert (await stored_invite(app, curator_invite.id)).uses == 1
    assert await assignments(app, organisation_id, RoleKind.CURATOR) == joined
    assert await grants_recorded(app, organisation_id) == 1


async def test_one_person_opening_a_link_many_times_joins_once(
    app: Application, apps: list[Application]
) -> None:
    superadmin_id, organisation_id, _ = await superadmin_with_organisation(app)
    invite = await app.services.invites.create(superadmin_id, organisation_id, InviteRole.MENTOR)
    [person_id] = await make_people(app, 1)

    results = await run_at_once(apps, redeem_calls(apps, [(person_id, invite.code)] * REPEATS))

    assert unexpected(results) == []
    joins = [result for result in results if isinstance(result, JoinResult)]
    assert len(joins) == REPEATS
    assert sum(not join.already_member for join in joins) == 1
    assert (await stored_invite(app, invite.id)).uses == 1
    assert await assignments(app, organisation_id, RoleKind.PARTICIPANT) == [person_id]
    assert await grants_recorded(app, organisation_id) == 1
