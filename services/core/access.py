"""Who may do what, loaded inside the use case's own transaction so forged input cannot skip it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MessengerAccount, Person, ProgrammeRole, RoleAssignment, RoleKind
from services.core.errors import NotAllowed, StaleAction
from services.core.identity import AccountKey


@dataclass(frozen=True, slots=True)
class RoleView:
    role: RoleKind
    organisation_id: int | None
    programme_role: ProgrammeRole | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """The person performing a use case and every role they hold."""

    person_id: int
    is_superadmin: bool
    roles: tuple[RoleView, ...] = field(default_factory=tuple)

    def has_role(self, role: RoleKind, organisation_id: int | None = None) -> bool:
        return any(
            assignment.role == role
            and (organisation_id is None or assignment.organisation_id == organisation_id)
            for assignment in self.roles
        )

    def curated_organisation_ids(self) -> list[int]:
        return sorted(
            {
                assignment.organisation_id
                for assignment in self.roles
                if assignment.role == RoleKind.CURATOR and assignment.organisation_id is not None
            }
        )

    def coordinated_organisation_ids(self) -> list[int]:
        return sorted(
            {
                assignment.organisation_id
                for assignment in self.roles
                if assignment.role == RoleKind.COORDINATOR
                and assignment.organisation_id is not None
            }
        )

    def require_superadmin(self) -> None:
        if not self.is_superadmin:
            raise NotAllowed

    def require_curator(self, organisation_id: int) -> None:
        """Curators run their own organisation; superadmins may act in any."""
        if self.is_superadmin or self.has_role(RoleKind.CURATOR, organisation_id):
            return
        raise NotAllowed

    @property
    def is_curator_anywhere(self) -> bool:
        return self.is_superadmin or self.has_role(RoleKind.CURATOR)


async def load_actor(
    session: AsyncSession, person_id: int, superadmins: frozenset[AccountKey]
) -> Actor:
    """The actor with their roles. `superadmins` are the configured accounts (SUPERADMIN_IDS,
    turned into account keys by the adapter that reads them)."""
    # The person comes along (into the session's identity map) for the use case that follows.
    accounts = (
        await session.execute(
            select(Person, MessengerAccount.messenger, MessengerAccount.external_user_id)
            .join(MessengerAccount, MessengerAccount.person_id == Person.id)
            .where(Person.id == person_id)
        )
    ).all()
    if not accounts:
        # Gone, or anonymised after withdrawing consent (no account left): nothing can be done
        # as them.
        raise StaleAction
    assignments = (
        await session.scalars(select(RoleAssignment).where(RoleAssignment.person_id == person_id))
    ).all()
    return Actor(
        person_id=person_id,
        # Configuration is the authority for superadmins: removing an id from SUPERADMIN_IDS
        # takes the power away at once, whatever the role table says.
        is_superadmin=any(
            AccountKey(messenger, external_user_id) in superadmins
            for _person, messenger, external_user_id in accounts
        ),
        roles=tuple(RoleView(a.role, a.organisation_id, a.programme_role) for a in assignments),
    )
