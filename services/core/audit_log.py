"""Reading the audit log: a curator sees their organisation's entries, the superadmin everyone's,
newest first, filtered by who (only their own actions), what (a kind of action) and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditEntry, Organisation, Person
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.identity import AccountKey
from services.core.transactions import Transactions

PAGE_SIZE = 10
# What an entry is about: the first part of its action ("pair" in "pair.created").
CATEGORIES = (
    "consent",
    "invite",
    "meeting",
    "organisation",
    "pair",
    "person",
    "petition",
    "plan",
    "profile",
    "questionnaire",
    "request",
    "role",
    "survey",
)
PERIOD_DAYS = (1, 7, 30, 365)


@dataclass(frozen=True, slots=True)
class AuditLine:
    at: datetime
    action: str
    actor_id: int | None  # None: the bot itself (a scheduled job)
    actor: str | None  # their name, "@username" or None when they gave neither
    target_id: int | None
    target: str | None
    organisation: str | None
    timezone: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditPage:
    lines: tuple[AuditLine, ...]
    page: int
    pages: int
    total: int


def _name(person: Person | None) -> str | None:
    if person is None or person.withdrawn_number is not None:
        return None  # unknown, or withdrawn: the handler words it
    return person.full_name or (f"@{person.username}" if person.username else None)


class AuditLogService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def recent(
        self,
        actor_id: int,
        organisation_id: int | None,
        *,
        days: int = 7,
        category: str | None = None,
        mine: bool = False,
        page: int = 0,
    ) -> AuditPage:
        """One page of entries; `organisation_id` None is every organisation (superadmin)."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            if organisation_id is None:
                actor.require_superadmin()
            else:
                actor.require_curator(organisation_id)
            query = select(AuditEntry).where(
                AuditEntry.occurred_at >= self._clock.now() - timedelta(days=days)
            )
            if organisation_id is not None:
                query = query.where(AuditEntry.organisation_id == organisation_id)
            if category in CATEGORIES:
                query = query.where(AuditEntry.action.startswith(f"{category}."))
            if mine:
                query = query.where(AuditEntry.actor_id == actor_id)
            total = int(
                await session.scalar(select(func.count()).select_from(query.subquery())) or 0
            )
            pages = max(1, -(-total // PAGE_SIZE))
            page = min(max(page, 0), pages - 1)
            entries = (
                await session.scalars(
                    query.order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
                    .offset(page * PAGE_SIZE)
                    .limit(PAGE_SIZE)
                )
            ).all()
            return AuditPage(await _lines(session, entries), page, pages, total)


async def _lines(session: AsyncSession, entries: Any) -> tuple[AuditLine, ...]:
    person_ids = {
        person_id
        for entry in entries
        for person_id in (entry.actor_id, entry.target_person_id)
        if person_id is not None
    }
    people = {
        person.id: person
        for person in await session.scalars(select(Person).where(Person.id.in_(person_ids)))
    }
    organisation_ids = {e.organisation_id for e in entries if e.organisation_id is not None}
    organisations = {
        organisation.id: organisation
        for organisation in await session.scalars(
            select(Organisation).where(Organisation.id.in_(organisation_ids))
        )
    }
    lines = []
    for entry in entries:
        organisation = organisations.get(entry.organisation_id or 0)
        lines.append(
            AuditLine(
                at=entry.occurred_at,
                action=entry.action,
                actor_id=entry.actor_id,
                actor=_name(people.get(entry.actor_id or 0)),
                target_id=entry.target_person_id,
                target=_name(people.get(entry.target_person_id or 0)),
                organisation=organisation.name if organisation else None,
                timezone=organisation.timezone if organisation else "Europe/Moscow",
                details=dict(entry.details or {}),
            )
        )
    return tuple(lines)
