"""People: first contact (found by their messenger account), language, reachability."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import MessengerAccount, Person, PersonStatus, RoleAssignment, RoleKind
from services.core import audit
from services.core.access import Actor, RoleView, load_actor
from services.core.clock import Clock
from services.core.errors import ValidationFailed
from services.core.identity import AccountKey
from services.core.transactions import Transactions
from services.people.accounts import STANDING_BY_ACCOUNT, by_account
from services.people.consent_check import consent_missing
from services.people.standing_cache import StandingCache

SUPPORTED_LOCALES = ("ru", "en")
# last_seen_at is for "who is active" lists, not an access log: refreshing it at most this often
# keeps nearly every update free of writes.
LAST_SEEN_RESOLUTION = timedelta(minutes=10)


class MenuLevel(enum.StrEnum):
    """Which command menu a person sees."""

    PARTICIPANT = "participant"
    CURATOR = "curator"
    COORDINATOR = "coordinator"
    SUPERADMIN = "superadmin"


@dataclass(frozen=True, slots=True)
class MenuTarget:
    person_id: int
    # Where to write to them in the messenger the menu was asked for.
    address: str
    locale: str
    level: MenuLevel


@dataclass(frozen=True, slots=True)
class PersonView:
    """The person behind an update, as the programme knows them: by id, never by account.

    Loaded once per update with everything most updates ask about the person (their roles and
    whether a consent is missing), in one read transaction, so the gate and the handler need not
    look again. Use cases still load the actor inside their own transaction to decide.
    """

    id: int
    locale: str
    status: PersonStatus
    actor: Actor
    needs_consent: bool = False
    is_new: bool = False


def locale_from_language_code(language_code: str | None, default_locale: str) -> str:
    """A client's language code ("ru", "en-GB", "uk") mapped to a language the bot speaks."""
    if not language_code:
        return default_locale
    language = language_code.split("-")[0].lower()
    if language in SUPPORTED_LOCALES:
        return language
    return default_locale


@dataclass(frozen=True, slots=True)
class _Standing:
    """What the person is in the programme, read in the update's transaction."""

    actor: Actor
    needs_consent: bool

    def view(
        self, person_id: int, locale: str, status: PersonStatus, *, is_new: bool = False
    ) -> PersonView:
        return PersonView(person_id, locale, status, self.actor, self.needs_consent, is_new)


@dataclass(frozen=True, slots=True)
class _Known:
    """What one read found about the person of an account, kept between their updates."""

    view: PersonView
    last_seen_at: datetime
    username: str | None
    has_name: bool
    chat_id: str | None

    def needs_no_write(self, now: datetime, username: str | None, chat_id: str | None) -> bool:
        """Whether this update changes nothing stored about the person."""
        return (
            self.view.status == PersonStatus.ACTIVE
            and now - self.last_seen_at < LAST_SEEN_RESOLUTION
            and self.username == _kept_username(self.has_name, username)
            and (chat_id is None or self.chat_id == chat_id)
            and not _superadmin_missing(self.view.actor)
        )


def _superadmin_missing(actor: Actor) -> bool:
    """A configured superadmin whose role row is not written yet (first contact, or newly added
    to SUPERADMIN_IDS)."""
    return actor.is_superadmin and not actor.has_role(RoleKind.SUPERADMIN)


class PeopleService:
    def __init__(
        self,
        transactions: Transactions,
        clock: Clock,
        *,
        default_locale: str,
        superadmin_ids: frozenset[AccountKey],
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._default_locale = default_locale
        # The configured superadmins' accounts (SUPERADMIN_IDS, keyed by the adapter).
        self._superadmins = superadmin_ids
        self._known: StandingCache[_Known] = StandingCache(clock)
        transactions.on_commit(self._known.note)

    async def touch(
        self,
        key: AccountKey,
        language_code: str | None,
        username: str | None = None,
        *,
        chat_id: str | None = None,
    ) -> PersonView:
        """For every update: find the person by their account, or create both on first contact,
        writing only when something changed. `chat_id` is where the messenger says to write.

        The messenger @username is personal data: it is kept only for people with a profile
        (given after consent), so that their mentor or mentee can reach them.
        """
        known = self._known.get(key) or await self._read_known(key)
        if known is not None and known.needs_no_write(self._clock.now(), username, chat_id):
            return known.view
        try:
            return await self._record_contact(
                key, language_code, username, chat_id, surely_new=known is None
            )
        except IntegrityError:
            # Two first updates from one new person raced (PostgreSQL); the other one created
            # the rows, so this second attempt finds them.
            return await self._record_contact(key, language_code, username, chat_id)

    async def _read_known(self, key: AccountKey) -> _Known | None:
        """The person of this account, their roles and consent: one statement in one read
        transaction, without an ORM session (it runs for every update from a person the bot
        does not remember); remembered until a commit changes them (see `standing_cache`)."""
        token = self._known.token()
        rows = await self._transactions.read_rows(
            STANDING_BY_ACCOUNT,
            {"messenger": key.messenger, "external_user_id": key.external_user_id},
        )
        if not rows:
            return None
        first = rows[0]
        roles = tuple(
            RoleView(row.role, row.organisation_id, row.programme_role)
            for row in rows
            if row.role is not None
        )
        standing = _Standing(self._actor(first.id, key, roles), bool(first.consents_missing))
        known = _Known(
            standing.view(first.id, first.locale, first.status),
            first.last_seen_at,
            first.username,
            bool(first.full_name),
            first.chat_id,
        )
        self._known.put(key, first.id, known, token)
        return known

    async def _record_contact(
        self,
        key: AccountKey,
        language_code: str | None,
        username: str | None,
        chat_id: str | None,
        *,
        surely_new: bool = False,
    ) -> PersonView:
        """`surely_new`: a read a moment ago found no such account, so it is not looked up
        again; if another update created it meanwhile, the unique account key refuses the
        insert and `touch` calls this again without the flag."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            found = None if surely_new else await by_account(session, key)
            is_new = found is None
            if found is None:
                person = Person(
                    locale=locale_from_language_code(language_code, self._default_locale),
                    status=PersonStatus.ACTIVE,
                    username=None,  # a stranger's @username is not kept (see `touch`)
                    created_at=now,
                    last_seen_at=now,
                )
                session.add(person)
                await session.flush()
                session.add(
                    MessengerAccount(
                        person_id=person.id,
                        messenger=key.messenger,
                        external_user_id=key.external_user_id,
                        chat_id=chat_id,
                        created_at=now,
                    )
                )
                audit.record(session, at=now, action="person.first_contact", actor_id=person.id)
            else:
                person, account = found
                if chat_id is not None and account.chat_id != chat_id:
                    account.chat_id = chat_id
            if person.status == PersonStatus.UNREACHABLE:
                # They wrote to us, so they unblocked the bot: sending may resume.
                person.status = PersonStatus.ACTIVE
                person.unreachable_since = None
                audit.record(session, at=now, action="person.reachable_again", actor_id=person.id)
            person.last_seen_at = now
            person.username = _kept_username(bool(person.full_name), username)
            standing = await self._standing(session, person.id, key, is_new=is_new)
            if _superadmin_missing(standing.actor):
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
            return standing.view(person.id, person.locale, person.status, is_new=is_new)

    def _actor(self, person_id: int, key: AccountKey, roles: tuple[RoleView, ...]) -> Actor:
        # The account the update came from decides superadmin powers, as `load_actor` does.
        return Actor(person_id=person_id, is_superadmin=key in self._superadmins, roles=roles)

    async def _standing(
        self, session: AsyncSession, person_id: int, key: AccountKey, *, is_new: bool
    ) -> _Standing:
        """Roles and whether a consent is missing (one statement each, the second only for
        participants), inside the caller's transaction; a new person has neither."""
        if is_new:
            return _Standing(self._actor(person_id, key, ()), False)
        assignments = (
            await session.scalars(
                select(RoleAssignment).where(RoleAssignment.person_id == person_id)
            )
        ).all()
        roles = tuple(RoleView(a.role, a.organisation_id, a.programme_role) for a in assignments)
        participates = any(a.role == RoleKind.PARTICIPANT for a in assignments)
        missing = participates and await consent_missing(session, person_id)
        return _Standing(self._actor(person_id, key, roles), missing)

    async def actor(self, person_id: int) -> Actor:
        async with self._transactions.read() as session:
            return await load_actor(session, person_id, self._superadmins)

    async def menu_target(self, person_id: int, messenger: str) -> MenuTarget | None:
        """This person's menu and where to set it in `messenger` (None: no chat there)."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, person_id, self._superadmins)
            found = (
                await session.execute(
                    select(Person.locale, MessengerAccount.chat_id)
                    .join(MessengerAccount, MessengerAccount.person_id == Person.id)
                    .where(Person.id == person_id, MessengerAccount.messenger == messenger)
                )
            ).first()
        if found is None or found.chat_id is None:
            return None
        return MenuTarget(person_id, found.chat_id, found.locale, _menu_level(actor))

    async def staff_menu_targets(self, messenger: str) -> list[MenuTarget]:
        """Curators and superadmins with a chat in `messenger`: their menus differ from the
        default one."""
        async with self._transactions.read() as session:
            superadmin_ids = await self._superadmin_person_ids(session)
            staff = await session.execute(
                select(RoleAssignment.person_id, RoleAssignment.role).where(
                    RoleAssignment.role.in_((RoleKind.CURATOR, RoleKind.COORDINATOR))
                )
            )
            roles: dict[int, set[RoleKind]] = {}
            for person_id, role in staff:
                roles.setdefault(person_id, set()).add(role)
            rows = await session.execute(
                select(Person.id, Person.locale, MessengerAccount.chat_id)
                .join(MessengerAccount, MessengerAccount.person_id == Person.id)
                .where(
                    MessengerAccount.messenger == messenger,
                    MessengerAccount.chat_id.is_not(None),
                    Person.id.in_(set(roles) | superadmin_ids),
                )
            )
            return [
                MenuTarget(
                    person_id,
                    chat_id,
                    locale,
                    MenuLevel.SUPERADMIN
                    if person_id in superadmin_ids
                    else MenuLevel.CURATOR
                    if RoleKind.CURATOR in roles.get(person_id, set())
                    else MenuLevel.COORDINATOR,
                )
                for person_id, locale, chat_id in rows
                if chat_id is not None  # filtered in the query; this tells the type checker
            ]

    async def _superadmin_person_ids(self, session: AsyncSession) -> set[int]:
        if not self._superadmins:
            return set()
        found = await session.scalars(
            select(MessengerAccount.person_id).where(
                or_(
                    *(
                        and_(
                            MessengerAccount.messenger == key.messenger,
                            MessengerAccount.external_user_id == key.external_user_id,
                        )
                        for key in self._superadmins
                    )
                )
            )
        )
        return set(found)

    async def set_locale(self, person_id: int, locale: str) -> PersonView:
        if locale not in SUPPORTED_LOCALES:
            raise ValidationFailed("locale", "unsupported")
        async with self._transactions.write() as session:
            person = await session.get(Person, person_id)
            if person is None:
                raise ValidationFailed("person", "missing")
            person.locale = locale
            actor = await load_actor(session, person_id, self._superadmins)
            return PersonView(person.id, person.locale, person.status, actor)

    async def set_reachable(self, key: AccountKey, *, reachable: bool) -> None:
        """The person blocked (kicked) or unblocked the bot in their messenger."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            found = await by_account(session, key)
            if found is None:
                return
            person, _account = found
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


def _kept_username(has_name: bool, username: str | None) -> str | None:
    return username[:64] if username and has_name else None


def _menu_level(actor: Actor) -> MenuLevel:
    if actor.is_superadmin:
        return MenuLevel.SUPERADMIN
    if actor.is_curator_anywhere:
        return MenuLevel.CURATOR
    if actor.has_role(RoleKind.COORDINATOR):
        return MenuLevel.COORDINATOR
    return MenuLevel.PARTICIPANT
