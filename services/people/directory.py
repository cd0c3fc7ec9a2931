"""People: first contact, language, reachability."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Person, PersonStatus, RoleAssignment, RoleKind
from services.core import audit
from services.core.access import Actor, load_actor
from services.core.clock import Clock
from services.core.errors import ValidationFailed
from services.core.transactions import Transactions

SUPPORTED_LOCALES = ("ru", "en")
# last_seen_at is for "who is active" lists, not an access log: refreshing it at most this often
# keeps nearly every update free of writes.
LAST_SEEN_RESOLUTION = timedelta(minutes=10)


class MenuLevel(enum.StrEnum):
    """Which command menu a person sees."""

    PARTICIPANT = "participant"
    CURATOR = "curator"
    SUPERADMIN = "superadmin"


@dataclass(frozen=True, slots=True)
class MenuTarget:
    telegram_id: int
    locale: str
    level: MenuLevel


@dataclass(frozen=True, slots=True)
class PersonView:
    id: int
    telegram_id: int
    locale: str
    status: PersonStatus
    is_new: bool = False


def locale_from_telegram(language_code: str | None, default_locale: str) -> str:
    """Telegram's language_code ("ru", "en-GB", "uk") mapped to a language the bot speaks."""
    if not language_code:
        return default_locale
    language = language_code.split("-")[0].lower()
    if language in SUPPORTED_LOCALES:
        return language
    return default_locale


def _view(person: Person, *, is_new: bool = False) -> PersonView:
    # Only people found by their Telegram id get here, so the id is there.
    return PersonView(person.id, int(person.telegram_id or 0), person.locale, person.status, is_new)


class PeopleService:
    def __init__(
        self,
        transactions: Transactions,
        clock: Clock,
        *,
        default_locale: str,
        superadmin_ids: frozenset[int],
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._default_locale = default_locale
        self._superadmin_ids = superadmin_ids

    async def touch(
        self, telegram_id: int, language_code: str | None, username: str | None = None
    ) -> PersonView:
        """For every update: find or create the person, writing only when something changed.

        The Telegram @username is personal data: it is kept only for people with a profile
        (given after consent), so that their mentor or mentee can reach them.
        """
        now = self._clock.now()
        async with self._transactions.read() as session:
            person = await _by_telegram_id(session, telegram_id)
            if (
                person is not None
                and person.status == PersonStatus.ACTIVE
                and now - person.last_seen_at < LAST_SEEN_RESOLUTION
                and person.username == _kept_username(person, username)
                and not await self._superadmin_missing(session, person)
            ):
                return _view(person)
        try:
            return await self._record_contact(telegram_id, language_code, username)
        except IntegrityError:
            # Two first updates from one new person raced (PostgreSQL); the other one created
            # the row, so this second attempt finds it.
            return await self._record_contact(telegram_id, language_code, username)

    async def _record_contact(
        self, telegram_id: int, language_code: str | None, username: str | None
    ) -> PersonView:
        now = self._clock.now()
        async with self._transactions.write() as session:
            person = await _by_telegram_id(session, telegram_id)
            is_new = person is None
            if person is None:
                person = Person(
                    telegram_id=telegram_id,
                    locale=locale_from_telegram(language_code, self._default_locale),
                    status=PersonStatus.ACTIVE,
                    created_at=now,
                    last_seen_at=now,
                )
                session.add(person)
                await session.flush()
                audit.record(session, at=now, action="person.first_contact", actor_id=person.id)
            if person.status == PersonStatus.UNREACHABLE:
                # They wrote to us, so they unblocked the bot: sending may resume.
                person.status = PersonStatus.ACTIVE
                person.unreachable_since = None
                audit.record(session, at=now, action="person.reachable_again", actor_id=person.id)
            person.last_seen_at = now
            person.username = _kept_username(person, username)
            if await self._superadmin_missing(session, person):
                session.add(
                    RoleAssignment(person_id=person.id, role=RoleKind.SUPERADMIN, granted_at=now)
                )
                audit.record(
                    session,
                    at=now,
                    action="role.granted",
                    actor_id=None,
                    target_person_id=person.id,
                    role=RoleKind.SUPERADMIN.value,
                    source="SUPERADMIN_IDS",
                )
            return _view(person, is_new=is_new)

    async def _superadmin_missing(self, session: AsyncSession, person: Person) -> bool:
        if person.telegram_id not in self._superadmin_ids:
            return False
        existing = await session.scalar(
            select(RoleAssignment.id).where(
                RoleAssignment.person_id == person.id,
                RoleAssignment.role == RoleKind.SUPERADMIN,
            )
        )
        return existing is None

    async def actor(self, person_id: int) -> Actor:
        async with self._transactions.read() as session:
            return await load_actor(session, person_id, self._superadmin_ids)

    async def menu_target(self, person_id: int) -> MenuTarget:
        async with self._transactions.read() as session:
            actor = await load_actor(session, person_id, self._superadmin_ids)
            person = await session.get(Person, person_id)
            locale = person.locale if person else self._default_locale
            return MenuTarget(actor.telegram_id, locale, _menu_level(actor))

    async def staff_menu_targets(self) -> list[MenuTarget]:
        """Curators and superadmins, whose command menus differ from the default one."""
        async with self._transactions.read() as session:
            curator_ids = select(RoleAssignment.person_id).where(
                RoleAssignment.role == RoleKind.CURATOR
            )
            people = await session.scalars(
                select(Person).where(
                    Person.id.in_(curator_ids) | Person.telegram_id.in_(self._superadmin_ids)
                )
            )
            return [
                MenuTarget(
                    int(person.telegram_id or 0),
                    person.locale,
                    MenuLevel.SUPERADMIN
                    if person.telegram_id in self._superadmin_ids
                    else MenuLevel.CURATOR,
                )
                for person in people
            ]

    async def set_locale(self, person_id: int, locale: str) -> PersonView:
        if locale not in SUPPORTED_LOCALES:
            raise ValidationFailed("locale", "unsupported")
        async with self._transactions.write() as session:
            person = await session.get(Person, person_id)
            if person is None:
                raise ValidationFailed("person", "missing")
            person.locale = locale
            return _view(person)

    async def set_reachable(self, telegram_id: int, *, reachable: bool) -> None:
        """A `my_chat_member` update: the person blocked (kicked) or unblocked the bot."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            person = await _by_telegram_id(session, telegram_id)
            if person is None:
                return
            new_status = PersonStatus.ACTIVE if reachable else PersonStatus.UNREACHABLE
            if person.status == new_status:
                return
            person.status = new_status
            person.unreachable_since = None if reachable else now
            audit.record(
                session,
                at=now,
                action="person.reachable_again" if reachable else "person.unreachable",
                actor_id=person.id,
                source="chat_member",
            )


def _kept_username(person: Person, username: str | None) -> str | None:
    return username[:64] if username and person.full_name else None


async def _by_telegram_id(session: AsyncSession, telegram_id: int) -> Person | None:
    return await session.scalar(select(Person).where(Person.telegram_id == telegram_id))


def _menu_level(actor: Actor) -> MenuLevel:
    if actor.is_superadmin:
        return MenuLevel.SUPERADMIN
    if actor.is_curator_anywhere:
        return MenuLevel.CURATOR
    return MenuLevel.PARTICIPANT
