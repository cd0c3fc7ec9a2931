"""Invite links: created by curators (and superadmins), redeemed with `/start <code>`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Invite, InviteRole, Organisation, ProgrammeRole, RoleAssignment, RoleKind
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import InviteNotUsable, InviteProblem, StaleAction
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.transactions import Transactions
from services.outbox import notify

# 96 random bits, URL-safe: fits Telegram's deep-link alphabet [A-Za-z0-9_-] and 64-char limit.
CODE_BYTES = 12
CODE_MAX_LENGTH = 64
ACTIVE_LIST_LIMIT = 30

_PROGRAMME_ROLE = {
    InviteRole.MENTEE: ProgrammeRole.MENTEE,
    InviteRole.MENTOR: ProgrammeRole.MENTOR,
    InviteRole.EITHER: ProgrammeRole.EITHER,
}
_STAFF_ROLE = {
    InviteRole.CURATOR: RoleKind.CURATOR,
    InviteRole.HEAD: RoleKind.HEAD,
    InviteRole.COORDINATOR: RoleKind.COORDINATOR,
}


@dataclass(frozen=True, slots=True)
class InviteView:
    id: int
    code: str
    role: InviteRole
    organisation_id: int
    organisation_name: str
    organisation_timezone: str
    expires_at: datetime
    uses: int
    max_uses: int | None


@dataclass(frozen=True, slots=True)
class JoinResult:
    organisation_id: int
    organisation_name: str
    role: InviteRole
    already_member: bool


def _view(invite: Invite, organisation: Organisation) -> InviteView:
    return InviteView(
        id=invite.id,
        code=invite.code,
        role=invite.role,
        organisation_id=invite.organisation_id,
        organisation_name=organisation.name,
        organisation_timezone=organisation.timezone,
        expires_at=invite.expires_at,
        uses=invite.uses,
        max_uses=invite.max_uses,
    )


async def create_invite_row(
    session: AsyncSession,
    *,
    organisation: Organisation,
    role_value: str,
    actor_id: int,
    now: datetime,
    ttl_days: int,
) -> InviteView:
    role = InviteRole(role_value)
    invite = Invite(
        code=secrets.token_urlsafe(CODE_BYTES),
        organisation_id=organisation.id,
        role=role,
        created_at=now,
        created_by_id=actor_id,
        expires_at=now + timedelta(days=ttl_days),
        uses=0,
        # A staff link appoints one person; participant links go to a whole staff chat.
        max_uses=1 if role.is_staff else None,
    )
    session.add(invite)
    await session.flush()
    audit.record(
        session,
        at=now,
        action="invite.created",
        actor_id=actor_id,
        organisation_id=organisation.id,
        invite_id=invite.id,
        role=role.value,
    )
    return _view(invite, organisation)


class InviteService:
    def __init__(
        self,
        transactions: Transactions,
        clock: Clock,
        *,
        superadmin_ids: frozenset[AccountKey],
        ttl_days: int,
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmin_ids = superadmin_ids
        self._ttl_days = ttl_days

    async def create(self, actor_id: int, organisation_id: int, role: InviteRole) -> InviteView:
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmin_ids)
            actor.require_curator(organisation_id)
            if role == InviteRole.COORDINATOR:
                actor.require_superadmin()  # a coordinator is appointed from above
            organisation = await organisation_of(session, organisation_id)
            return await create_invite_row(
                session,
                organisation=organisation,
                role_value=role.value,
                actor_id=actor_id,
                now=now,
                ttl_days=self._ttl_days,
            )

    async def list_active(self, actor_id: int, organisation_id: int) -> list[InviteView]:
        """Invites that still work: not revoked, not expired, not used up. Newest first."""
        now = self._clock.now()
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmin_ids)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            rows = await session.scalars(
                select(Invite)
                .where(
                    Invite.organisation_id == organisation_id,
                    Invite.revoked_at.is_(None),
                    Invite.expires_at > now,
                    or_(Invite.max_uses.is_(None), Invite.uses < Invite.max_uses),
                )
                .order_by(Invite.id.desc())
                .limit(ACTIVE_LIST_LIMIT)
            )
            return [_view(row, organisation) for row in rows]

    async def revoke(self, actor_id: int, invite_id: int) -> InviteView:
        now = self._clock.now()
        async with self._transactions.write() as session:
            invite = await session.scalar(
                select(Invite).where(Invite.id == invite_id).with_for_update()
            )
            if invite is None:
                raise StaleAction
            actor = await load_actor(session, actor_id, self._superadmin_ids)
            actor.require_curator(invite.organisation_id)
            if invite.revoked_at is not None:
                raise StaleAction
            invite.revoked_at = now
            organisation = await organisation_of(session, invite.organisation_id)
            audit.record(
                session,
                at=now,
                action="invite.revoked",
                actor_id=actor_id,
                organisation_id=invite.organisation_id,
                invite_id=invite.id,
            )
            return _view(invite, organisation)

    async def redeem(self, person_id: int, code: str) -> JoinResult:
        """`/start <code>`: join the invite's organisation in its role, exactly once per person."""
        if not code or len(code) > CODE_MAX_LENGTH:
            raise InviteNotUsable(InviteProblem.UNKNOWN)
        now = self._clock.now()
        async with self._transactions.write() as session:
            # Row lock on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers.
            invite = await session.scalar(
                select(Invite).where(Invite.code == code).with_for_update()
            )
            if invite is None:
                raise InviteNotUsable(InviteProblem.UNKNOWN)
            if invite.revoked_at is not None:
                raise InviteNotUsable(InviteProblem.REVOKED)
            if invite.expires_at <= now:
                raise InviteNotUsable(InviteProblem.EXPIRED)
            organisation = await session.get(Organisation, invite.organisation_id)
            if organisation is None:
                raise InviteNotUsable(InviteProblem.UNKNOWN)

            role_kind = _STAFF_ROLE.get(invite.role, RoleKind.PARTICIPANT)
            existing = await session.scalar(
                select(RoleAssignment).where(
                    RoleAssignment.person_id == person_id,
                    RoleAssignment.role == role_kind,
                    RoleAssignment.organisation_id == invite.organisation_id,
                )
            )
            if existing is not None:
                return JoinResult(organisation.id, organisation.name, invite.role, True)
            if invite.max_uses is not None and invite.uses >= invite.max_uses:
                raise InviteNotUsable(InviteProblem.USED_UP)

            session.add(
                RoleAssignment(
                    person_id=person_id,
                    role=role_kind,
                    organisation_id=organisation.id,
                    programme_role=_PROGRAMME_ROLE.get(invite.role),
                    invite_id=invite.id,
                    granted_at=now,
                    granted_by_id=invite.created_by_id,
                )
            )
            invite.uses = invite.uses + 1
            audit.record(
                session,
                at=now,
                action="role.granted",
                actor_id=person_id,
                organisation_id=organisation.id,
                target_person_id=person_id,
                role=role_kind.value,
                invite_id=invite.id,
                invite_role=invite.role.value,
            )
            if invite.role.is_staff and invite.created_by_id is not None:
                await notify.person(
                    session,
                    invite.created_by_id,
                    "staff_joined",
                    f"{invite.id}:{person_id}",
                    now,
                    organisation_name=organisation.name,
                    role=invite.role.value,
                )
            return JoinResult(organisation.id, organisation.name, invite.role, False)
