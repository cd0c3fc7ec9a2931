"""Capacity and request races settle in the database: exactly one pair, a clear answer to the
other side. On SQLite and PostgreSQL, with truly concurrent calls.

Each race runs its two calls through two applications on the same database (two bot processes,
two connection pools), so nothing in one process serialises them: on SQLite `BEGIN IMMEDIATE`
and on PostgreSQL the row locks of `services.pair_creation.create_pair` have to. Every race is
repeated a few times, and `run_at_once` checks that the calls really overlapped.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.app import Application, create_application
from bot.config import Settings
from models import (
    MentoringPair,
    OfferStatus,
    PairOrigin,
    PairStatus,
    Person,
    ProfileRole,
    RequestOffer,
)
from services.core.errors import RequestProblem, RequestUnavailable
from services.matching.candidates import LIVE_PAIR_STATUSES
from services.requests.offers import PairResult
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.mentoring import Cast, cast, file_request
from tests.identity import of_telegram
from tests.integration.test_concurrency import measure_overlap, run_at_once

ROUNDS = 5


@pytest.fixture
async def apps(
    app: Application, settings: Settings, clock: FakeClock
) -> AsyncIterator[list[Application]]:
    """The test's application and a second one on the same database (another process)."""
    other = create_application(settings, clock)
    yield [app, other]
    await other.database.dispose()


async def _team(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    *,
    mentees: int,
    mentors: int,
    capacity: int = 2,
) -> tuple[Cast, list[int], list[int]]:
    curator = person(2000)
    mentee_clients = [person(3001 + index) for index in range(mentees)]
    mentor_clients = [person(3101 + index) for index in range(mentors)]
    team = await cast(
        app,
        superadmin,
        curator,
        [(c, ProfileRole.MENTEE) for c in mentee_clients]
        + [(c, ProfileRole.MENTOR) for c in mentor_clients],
        capacity=capacity,
    )
    return (
        team,
        [team.id_of(c) for c in mentee_clients],
        [team.id_of(c) for c in mentor_clients],
    )


async def _open_request(app: Application, mentee_id: int) -> int:
    """The mentee's live request, or a new one."""
    current = await app.services.requests.current(mentee_id)
    if current is not None:
        return current.id
    return (await file_request(app, mentee_id)).id


async def _live_pairs(app: Application) -> list[MentoringPair]:
    async with app.database.read() as db:
        rows = await db.scalars(
            select(MentoringPair).where(MentoringPair.status.in_(LIVE_PAIR_STATUSES))
        )
        return list(rows.all())


async def _complete_all_pairs(app: Application) -> None:
    """Between rounds: the pairs of the last round are over, every mentor is free again."""
    async with app.database.write() as db:
        await db.execute(
            update(MentoringPair)
            .where(MentoringPair.status.in_(LIVE_PAIR_STATUSES))
            .values(status=PairStatus.COMPLETED)
        )


def _outcome(results: list[Any]) -> tuple[list[PairResult], list[RequestUnavailable]]:
    """The winners and the refused; anything else (a deadlock, "database is locked") fails."""
    unexpected = [
        result
        for result in results
        if isinstance(result, BaseException) and not isinstance(result, RequestUnavailable)
    ]
    assert unexpected == [], unexpected
    won = [result for result in results if isinstance(result, PairResult)]
    refused = [result for result in results if isinstance(result, RequestUnavailable)]
    return won, refused


async def _race(apps: list[Application], *calls: Awaitable[PairResult]) -> list[Any]:
    return await run_at_once(apps, list(calls))


async def _after(turns: int, call: Awaitable[Any]) -> Any:
    """Start the call a few event-loop turns late: over the rounds, the two sides meet at
    different points of their transactions."""
    for _ in range(turns):
        await asyncio.sleep(0)
    return await call


async def _process_due(app: Application) -> tuple[int, int]:
    return await app.services.offer_expiry.process_due()


async def test_two_mentors_take_the_same_request_at_once(
    app: Application,
    apps: list[Application],
    superadmin: TelegramClient,
    person: PersonFactory,
) -> None:
    _, [mentee], [first, second] = await _team(app, superadmin, person, mentees=1, mentors=2)
    winners = set()
    for _round in range(ROUNDS):
        request_id = await _open_request(app, mentee)
        results = await _race(
            apps,
            apps[0].services.offers.take(first, request_id),
            apps[1].services.offers.take(second, request_id),
        )
        won, refused = _outcome(results)
        assert len(won) == 1 and len(refused) == 1
        assert refused[0].problem == RequestProblem.TAKEN
        [pair] = await _live_pairs(app)
        assert (pair.request_id, pair.mentor_id) == (request_id, won[0].mentor_id)
        assert pair.origin == PairOrigin.MENTOR_TOOK
        winners.add(won[0].mentor_id)
        await _complete_all_pairs(app)
    print(f"winners over {ROUNDS} rounds: {sorted(winners)}")


async def test_a_mentor_with_one_place_takes_two_requests_at_once(
    app: Application,
    apps: list[Application],
    superadmin: TelegramClient,
    person: PersonFactory,
) -> None:
    _, mentees, [mentor] = await _team(app, superadmin, person, mentees=2, mentors=1, capacity=1)
    for _round in range(ROUNDS):
        requests = [await _open_request(app, mentee) for mentee in mentees]
        results = await _race(
            apps,
            apps[0].services.offers.take(mentor, requests[0]),
            apps[1].services.offers.take(mentor, requests[1]),
        )
        won, refused = _outcome(results)
        assert len(won) == 1 and len(refused) == 1
        assert refused[0].problem == RequestProblem.NO_PLACE
        [pair] = await _live_pairs(app)
        assert pair.mentor_id == mentor and pair.mentee_id == won[0].mentee_id
        # The other request is still open for someone else.
        loser = next(mentee for mentee in mentees if mentee != won[0].mentee_id)
        assert await app.services.requests.current(loser) is not None
        await _complete_all_pairs(app)


async def test_the_mentor_accepts_while_the_curator_assigns_another(
    app: Application,
    apps: list[Application],
    superadmin: TelegramClient,
    person: PersonFactory,
) -> None:
    _, [mentee], [chosen, assigned] = await _team(app, superadmin, person, mentees=1, mentors=2)
    async with app.database.read() as db:
        curator = await db.scalar(select(Person.id).where(of_telegram(2000)))
    assert curator is not None
    origins = set()
    for _round in range(ROUNDS):
        request_id = await _open_request(app, mentee)
        await app.services.requests.choose(mentee, request_id, chosen)
        async with app.database.read() as db:
            offer_id = await db.scalar(
                select(RequestOffer.id).where(
                    RequestOffer.request_id == request_id,
                    RequestOffer.status == OfferStatus.PENDING,
                )
            )
        assert offer_id is not None
        results = await _race(
            apps,
            apps[0].services.offers.accept(chosen, offer_id),
            apps[1].services.offers.assign(curator, request_id, assigned),
        )
        won, refused = _outcome(results)
        assert len(won) == 1 and len(refused) == 1
        assert refused[0].problem == RequestProblem.TAKEN
        [pair] = await _live_pairs(app)
        async with app.database.read() as db:
            offer = await db.get(RequestOffer, offer_id)
        assert offer is not None
        if pair.mentor_id == chosen:
            assert pair.origin == PairOrigin.MENTOR_ACCEPTED
            assert offer.status == OfferStatus.ACCEPTED
        else:
            assert (pair.mentor_id, pair.origin) == (assigned, PairOrigin.CURATOR_ASSIGNED)
            assert offer.status == OfferStatus.CANCELLED
        origins.add(pair.origin)
        await _complete_all_pairs(app)
    print(f"winners over {ROUNDS} rounds: {sorted(origins)}")


async def test_the_mentor_accepts_just_as_the_offer_expires(
    app: Application,
    apps: list[Application],
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
) -> None:
    """Accepting locks the request, then the offer; expiry must take them in the same order,
    or the two deadlock on PostgreSQL. Either the pair is made or the offer expires, never both.
    """
    _, [mentee], [mentor] = await _team(app, superadmin, person, mentees=1, mentors=1)
    outcomes = set()
    overlapped = 0
    for _round in range(ROUNDS * 2):
        request_id = await _open_request(app, mentee)
        await app.services.requests.choose(mentee, request_id, mentor)
        async with app.database.read() as db:
            offer_id = await db.scalar(
                select(RequestOffer.id).where(
                    RequestOffer.request_id == request_id,
                    RequestOffer.status == OfferStatus.PENDING,
                )
            )
        assert offer_id is not None
        clock.advance(hours=73)
        # Accepting starts 0, 3, 6… event-loop turns late, so that over the rounds expiry
        # reaches the offer first, last, and in between; a late start may not overlap at all.
        with measure_overlap(apps) as overlap:
            results = await asyncio.gather(
                _after(_round % 5 * 3, apps[0].services.offers.accept(mentor, offer_id)),
                _process_due(apps[1]),
                return_exceptions=True,
            )
        overlapped += overlap.peak > 1
        unexpected = [
            result
            for result in results
            if isinstance(result, BaseException) and not isinstance(result, RequestUnavailable)
        ]
        assert unexpected == [], unexpected
        accepted, due = results
        async with app.database.read() as db:
            offer = await db.get(RequestOffer, offer_id)
        assert offer is not None
        pairs = await _live_pairs(app)
        if isinstance(accepted, PairResult):
            assert offer.status == OfferStatus.ACCEPTED
            assert len(pairs) == 1
            assert due == (0, 0)
        else:
            assert isinstance(accepted, RequestUnavailable)
            assert accepted.problem == RequestProblem.EXPIRED
            assert offer.status == OfferStatus.EXPIRED
            assert pairs == []
            assert due == (0, 1)
        outcomes.add(offer.status)
        await _complete_all_pairs(app)
        # The mentor let one request expire: the next round is a fresh request.
        current = await app.services.requests.current(mentee)
        if current is not None:
            await app.services.requests.withdraw(mentee, current.id)
    print(f"outcomes over {ROUNDS * 2} rounds, {overlapped} overlapping: {sorted(outcomes)}")
    assert overlapped >= ROUNDS, "the calls mostly ran one after another, not at the same time"
