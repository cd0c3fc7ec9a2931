"""The curator's view of the organisation's participants, and reminders to those who stalled."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from models import (
    Consent,
    ConsentDecision,
    Notification,
    Organisation,
    Person,
    PersonStatus,
    Profile,
    RoleAssignment,
    RoleKind,
)
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.transactions import Transactions
from services.outbox import notify

PAGE_SIZE = 20
REMINDER_INTERVAL = timedelta(days=3)


class ParticipantStatus(enum.StrEnum):
    INVITED = "invited"  # opened the invite, has not answered the consent request
    CONSENTED = "consented"
    PROFILE_COMPLETE = "profile_complete"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    person_id: int
    full_name: str | None
    withdrawn_number: int | None
    role: str  # a ProfileRole or ProgrammeRole value
    status: ParticipantStatus
    since: datetime


@dataclass(frozen=True, slots=True)
class ParticipantPage:
    rows: list[ParticipantRow]
    page: int
    pages: int
    total: int
    counts: dict[ParticipantStatus, int]
    organisation_name: str
    timezone: str


@dataclass(frozen=True, slots=True)
class Reminders:
    queued: int
    # Everyone still waiting for consent, reminded just now or within the last three days.
    waiting: int


def _role_matches(role: str, wanted: str | None) -> bool:
    if wanted is None:
        return True
    if wanted == "mentee":
        return role in ("mentee", "both", "either")
    if wanted == "mentor":
        return role in ("mentor", "both", "either")
    return role == wanted


class ParticipantService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmin_ids = superadmin_ids

    async def list_page(
        self,
        actor_id: int,
        organisation_id: int,
        *,
        role: str | None = None,
        status: ParticipantStatus | None = None,
        page: int = 0,
    ) -> ParticipantPage:
        organisation, rows = await self._rows(actor_id, organisation_id)
        counts = {value: 0 for value in ParticipantStatus}
        for row in rows:
            counts[row.status] += 1
        chosen = [
            row
            for row in rows
            if _role_matches(row.role, role) and (status is None or row.status == status)
        ]
        pages = max(1, -(-len(chosen) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        return ParticipantPage(
            chosen[page * PAGE_SIZE : (page + 1) * PAGE_SIZE],
            page,
            pages,
            len(chosen),
            counts,
            organisation.name,
            organisation.timezone,
        )

    async def _rows(
        self, actor_id: int, organisation_id: int
    ) -> tuple[Organisation, list[ParticipantRow]]:
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmin_ids)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            roles = {
                role.person_id: role
                for role in await session.scalars(
                    select(RoleAssignment).where(
                        RoleAssignment.organisation_id == organisation_id,
                        RoleAssignment.role == RoleKind.PARTICIPANT,
                    )
                )
            }
            decisions: dict[int, Consent] = {}
            for consent in await session.scalars(
                select(Consent)
                .where(Consent.organisation_id == organisation_id)
                .order_by(Consent.id)
            ):
                decisions[consent.person_id] = consent
            profiles = {
                profile.person_id: profile
                for profile in await session.scalars(
                    select(Profile).where(Profile.organisation_id == organisation_id)
                )
            }
            person_ids = set(roles) | set(decisions)
            people = {
                person.id: person
                for person in await session.scalars(select(Person).where(Person.id.in_(person_ids)))
            }
        rows = []
        for person_id in person_ids:
            person = people[person_id]
            decision = decisions.get(person_id)
            profile = profiles.get(person_id)
            role = roles.get(person_id)
            status, since = _status(person, decision, profile, role)
            if profile is not None:
                role_value = profile.role.value
            elif role is not None and role.programme_role is not None:
                role_value = role.programme_role.value
            else:
                role_value = "either"
            rows.append(
                ParticipantRow(
                    person_id=person_id,
                    full_name=person.full_name,
                    withdrawn_number=person.withdrawn_number,
                    role=role_value,
                    status=status,
                    since=since,
                )
            )
        rows.sort(key=lambda row: (row.full_name is None, row.full_name or "", row.person_id))
        return organisation, rows

    async def remind_waiting(self, actor_id: int, organisation_id: int) -> Reminders:
        """Queue one "waiting for your consent" reminder to each person who opened the invite
        but did not answer; nobody gets more than one in three days."""
        _, rows = await self._rows(actor_id, organisation_id)
        waiting = [row.person_id for row in rows if row.status == ParticipantStatus.INVITED]
        now = self._clock.now()
        queued = 0
        async with self._transactions.write() as session:
            organisation = await organisation_of(session, organisation_id)
            recent = set(
                (
                    await session.scalars(
                        select(Notification.recipient_id)
                        .where(
                            Notification.kind == "consent_reminder",
                            Notification.recipient_id.in_(waiting),
                            Notification.created_at > now - REMINDER_INTERVAL,
                        )
                        .group_by(Notification.recipient_id)
                        .having(func.count() > 0)
                    )
                ).all()
            )
            for person_id in waiting:
                if person_id in recent:
                    continue
                queued += await notify.person(
                    session,
                    person_id,
                    "consent_reminder",
                    f"{organisation_id}:{now.date()}",
                    now,
                    organisation_name=organisation.name,
                )
        return Reminders(queued, len(waiting))


def _status(
    person: Person,
    decision: Consent | None,
    profile: Profile | None,
    role: RoleAssignment | None,
) -> tuple[ParticipantStatus, datetime]:
    if person.status == PersonStatus.WITHDRAWN:
        return ParticipantStatus.WITHDRAWN, decision.decided_at if decision else person.created_at
    if person.status == PersonStatus.UNREACHABLE:
        return ParticipantStatus.UNREACHABLE, person.unreachable_since or person.last_seen_at
    if decision is not None and decision.decision == ConsentDecision.DECLINED and role is None:
        return ParticipantStatus.DECLINED, decision.decided_at
    if decision is not None and decision.decision == ConsentDecision.AGREED:
        if profile is not None:
            return ParticipantStatus.PROFILE_COMPLETE, profile.completed_at
        return ParticipantStatus.CONSENTED, decision.decided_at
    return ParticipantStatus.INVITED, role.granted_at if role else person.created_at
