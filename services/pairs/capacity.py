"""The curator's view of the mentors' places (capacity), and changing them for a mentor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Organisation, Person, PersonStatus, Profile, ProfileRole
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import StaleAction, ValidationFailed
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.transactions import Transactions
from services.matching.candidates import capacity_of, live_loads
from services.organisations.programme import MAX_CAPACITY, ProgrammeSettings
from services.organisations.timezones import local_date
from services.outbox import notify

PAGE_SIZE = 10


@dataclass(frozen=True, slots=True)
class MentorCapacity:
    person_id: int
    full_name: str
    capacity: int  # the places in effect: their own number or the organisation's default
    is_default: bool  # no number of their own (profile.capacity is NULL)
    load: int  # live pairs: pending order, active, paused
    unavailable_until: date | None  # only a date of absence not yet over


@dataclass(frozen=True, slots=True)
class MentorPage:
    rows: list[MentorCapacity]
    page: int
    pages: int
    total: int
    organisation_name: str
    default_capacity: int


@dataclass(frozen=True, slots=True)
class MentorCard:
    mentor: MentorCapacity
    organisation_name: str
    default_capacity: int
    page: int  # the page of the list the mentor is on, for the way back
    changed: bool = False  # set_capacity: whether the stored value actually changed


def _sort_key(person: Person) -> tuple[str, int]:
    # Case and ё do not decide the order a curator reads the list in.
    return (person.full_name or "").casefold().replace("ё", "е"), person.id


class MentorCapacityService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def mentors(self, actor_id: int, organisation_id: int, page: int = 0) -> MentorPage:
        """Every mentor of the organisation (curator), by full name, with places and load."""
        async with self._transactions.read() as session:
            organisation = await self._curated(session, actor_id, organisation_id)
            settings = ProgrammeSettings.of(organisation)
            found = await _mentors(session, organisation_id)
            pages = max(1, -(-len(found) // PAGE_SIZE))
            page = min(max(page, 0), pages - 1)
            shown = found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            loads = await live_loads(session, [person.id for _profile, person in shown])
        today = local_date(self._clock.now(), organisation.timezone)
        rows = [
            _row(profile, person, settings, loads.get(person.id, 0), today)
            for profile, person in shown
        ]
        return MentorPage(
            rows, page, pages, len(found), organisation.name, settings.default_capacity
        )

    async def mentor(self, actor_id: int, organisation_id: int, mentor_id: int) -> MentorCard:
        """One mentor's places and load (curator)."""
        async with self._transactions.read() as session:
            organisation = await self._curated(session, actor_id, organisation_id)
            return await self._card(session, organisation, mentor_id, changed=False)

    async def set_capacity(
        self, actor_id: int, organisation_id: int, mentor_id: int, capacity: int | None
    ) -> MentorCard:
        """The curator sets a mentor's places (None: back to the organisation's default).

        Existing pairs are never ended by a lower number: it only stops new ones."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            organisation = await self._curated(session, actor_id, organisation_id)
            if capacity is not None and not 0 <= capacity <= MAX_CAPACITY:
                raise ValidationFailed("capacity", "range")
            profile = await _mentor_profile(session, organisation_id, mentor_id)
            changed = profile.capacity != capacity
            if changed:
                profile.capacity = capacity
                profile.updated_at = now
                audit.record(
                    session,
                    at=now,
                    action="profile.capacity_set_by_curator",
                    actor_id=actor_id,
                    organisation_id=organisation_id,
                    target_person_id=mentor_id,
                    capacity=capacity,
                )
                if mentor_id != actor_id:
                    settings = ProgrammeSettings.of(organisation)
                    await notify.person(
                        session,
                        mentor_id,
                        "capacity_changed",
                        f"{organisation_id}:{now.isoformat()}",
                        now,
                        capacity=capacity_of(profile, settings),
                        by_default=capacity is None,
                    )
                await session.flush()
            return await self._card(session, organisation, mentor_id, changed=changed)

    async def _curated(
        self, session: AsyncSession, actor_id: int, organisation_id: int
    ) -> Organisation:
        actor = await load_actor(session, actor_id, self._superadmins)
        actor.require_curator(organisation_id)
        organisation = await organisation_of(session, organisation_id)
        return organisation

    async def _card(
        self, session: AsyncSession, organisation: Organisation, mentor_id: int, *, changed: bool
    ) -> MentorCard:
        found = await _mentors(session, organisation.id)
        index = next((i for i, (_p, person) in enumerate(found) if person.id == mentor_id), None)
        if index is None:
            raise StaleAction
        profile, person = found[index]
        loads = await live_loads(session, [mentor_id])
        settings = ProgrammeSettings.of(organisation)
        today = local_date(self._clock.now(), organisation.timezone)
        return MentorCard(
            _row(profile, person, settings, loads.get(mentor_id, 0), today),
            organisation.name,
            settings.default_capacity,
            index // PAGE_SIZE,
            changed,
        )


async def _mentors(session: AsyncSession, organisation_id: int) -> list[tuple[Profile, Person]]:
    """Everyone with a mentor profile in the organisation who has not withdrawn, by name."""
    rows = await session.execute(
        select(Profile, Person)
        .join(Person, Person.id == Profile.person_id)
        .where(
            Profile.organisation_id == organisation_id,
            Profile.role.in_((ProfileRole.MENTOR, ProfileRole.BOTH)),
            Person.status != PersonStatus.WITHDRAWN,
        )
    )
    found = [(profile, person) for profile, person in rows.all()]
    found.sort(key=lambda pair: _sort_key(pair[1]))
    return found


async def _mentor_profile(session: AsyncSession, organisation_id: int, mentor_id: int) -> Profile:
    profile = await session.scalar(
        select(Profile)
        .join(Person, Person.id == Profile.person_id)
        .where(
            Profile.person_id == mentor_id,
            Profile.organisation_id == organisation_id,
            Profile.role.in_((ProfileRole.MENTOR, ProfileRole.BOTH)),
            Person.status != PersonStatus.WITHDRAWN,
        )
        .with_for_update(of=Profile)
    )
    if profile is None:
        # Not a mentor here: another organisation's id, a mentee, or a forged button.
        raise StaleAction
    return profile


def _row(
    profile: Profile, person: Person, settings: ProgrammeSettings, load: int, today: date
) -> MentorCapacity:
    until = profile.unavailable_until
    return MentorCapacity(
        person_id=person.id,
        full_name=person.full_name or "",
        capacity=capacity_of(profile, settings),
        is_default=profile.capacity is None,
        load=load,
        unavailable_until=until if until is not None and until >= today else None,
    )
