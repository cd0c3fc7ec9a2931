"""Organisations: created by a superadmin, each with its own time zone and settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from models import Organisation, Person, Profile, RoleAssignment, RoleKind
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import NotAllowed
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.text import clean_text
from services.core.transactions import Transactions
from services.organisations.invites import InviteView, create_invite_row
from services.organisations.timezones import validate_timezone

NAME_MAX = 200
ADDRESS_MAX = 300
PAGE_SIZE = 10


@dataclass(frozen=True, slots=True)
class OrganisationView:
    id: int
    name: str
    address: str
    timezone: str


@dataclass(frozen=True, slots=True)
class OrganisationPage:
    items: list[OrganisationView]
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class Membership:
    """One role of a person: `role` is "curator", "head", or for a participant the role of their
    profile ("mentee", "mentor", "both") or, before the profile, the invited one ("either")."""

    organisation_name: str
    role: str


@dataclass(frozen=True, slots=True)
class Introduction:
    """Who a returning person is, for greeting them on /start."""

    full_name: str | None
    is_superadmin: bool
    memberships: tuple[Membership, ...]

    @property
    def is_curator(self) -> bool:
        return self.is_superadmin or any(m.role == RoleKind.CURATOR for m in self.memberships)

    @property
    def known(self) -> bool:
        return self.is_superadmin or bool(self.memberships)


def clean_name(value: str) -> str:
    """Names carry quotes, numbers and `<`/`&` («Детский сад № 71 «Антошка»»): kept as typed,
    only invisible characters go (services.core.text)."""
    return clean_text(value, field="name", min_length=2, max_length=NAME_MAX)


def clean_address(value: str) -> str:
    return clean_text(value, field="address", min_length=5, max_length=ADDRESS_MAX)


def _view(organisation: Organisation) -> OrganisationView:
    return OrganisationView(
        organisation.id, organisation.name, organisation.address, organisation.timezone
    )


class OrganisationService:
    def __init__(
        self,
        transactions: Transactions,
        clock: Clock,
        *,
        superadmin_ids: frozenset[AccountKey],
        invite_ttl_days: int,
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmin_ids = superadmin_ids
        self._invite_ttl_days = invite_ttl_days

    async def create(
        self, actor_id: int, *, name: str, address: str, timezone: str
    ) -> tuple[OrganisationView, InviteView]:
        """Create an organisation and the single-use invite that appoints its curator."""
        name = clean_name(name)
        address = clean_address(address)
        timezone = validate_timezone(timezone)
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmin_ids)
            actor.require_superadmin()
            organisation = Organisation(
                name=name,
                address=address,
                timezone=timezone,
                settings={},
                created_at=now,
                created_by_id=actor_id,
            )
            session.add(organisation)
            await session.flush()
            audit.record(
                session,
                at=now,
                action="organisation.created",
                actor_id=actor_id,
                organisation_id=organisation.id,
                timezone=timezone,
            )
            invite = await create_invite_row(
                session,
                organisation=organisation,
                role_value="curator",
                actor_id=actor_id,
                now=now,
                ttl_days=self._invite_ttl_days,
            )
            return _view(organisation), invite

    async def get(self, actor_id: int, organisation_id: int) -> OrganisationView:
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmin_ids)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            return _view(organisation)

    async def list_page(self, actor_id: int, page: int) -> OrganisationPage:
        """Superadmin's list of all organisations, newest first, ten per page."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmin_ids)
            actor.require_superadmin()
            total = await session.scalar(select(func.count()).select_from(Organisation)) or 0
            pages = max(1, -(-total // PAGE_SIZE))
            page = min(max(page, 0), pages - 1)
            rows = await session.scalars(
                select(Organisation)
                .order_by(Organisation.id.desc())
                .offset(page * PAGE_SIZE)
                .limit(PAGE_SIZE)
            )
            return OrganisationPage([_view(row) for row in rows], page, pages)

    async def curated(self, actor_id: int) -> list[OrganisationView]:
        """Organisations this person curates; NotAllowed for someone who curates none.

        A superadmin who curates nowhere gets an empty list: they pick organisations in /orgs.
        """
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmin_ids)
            ids = actor.curated_organisation_ids()
            if not ids:
                if actor.is_superadmin:
                    return []
                raise NotAllowed
            rows = await session.scalars(
                select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)
            )
            return [_view(row) for row in rows]

    async def introduce(self, person_id: int) -> Introduction:
        """The person's name and every role they hold, with the organisations' names."""
        async with self._transactions.read() as session:
            person = await session.get(Person, person_id)
            actor = await load_actor(session, person_id, self._superadmin_ids)
            rows = (
                await session.execute(
                    select(RoleAssignment, Organisation.name)
                    .join(Organisation, Organisation.id == RoleAssignment.organisation_id)
                    .where(RoleAssignment.person_id == person_id)
                    .order_by(RoleAssignment.id)
                )
            ).all()
            profiles = {
                profile.organisation_id: profile.role
                for profile in await session.scalars(
                    select(Profile).where(Profile.person_id == person_id)
                )
            }
        memberships = []
        for assignment, organisation_name in rows:
            if assignment.role == RoleKind.PARTICIPANT:
                profile_role = profiles.get(assignment.organisation_id or 0)
                programme_role = assignment.programme_role
                role = (profile_role or programme_role or RoleKind.PARTICIPANT).value
            elif assignment.role in (RoleKind.CURATOR, RoleKind.HEAD):
                role = assignment.role.value
            else:
                continue
            memberships.append(Membership(organisation_name, role))
        return Introduction(
            full_name=person.full_name if person is not None else None,
            is_superadmin=actor.is_superadmin,
            memberships=tuple(memberships),
        )
