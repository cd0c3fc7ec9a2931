"""`/report`: everything the documents of a period need, read in one transaction, and the audit
record of who made them. A curator's report holds the organisation's registers (personal data,
for the school's own files); a coordinator's holds counts only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MentoringPair, PairStatus, Person
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.transactions import Transactions
from services.organisations.programme import ProgrammeSettings
from services.questionnaires.results import CampaignResults, period_results
from services.reports.periods import Period
from services.reports.registers import Named, RegisterReader, Registers
from services.reports.stats import (
    OrganisationStats,
    RollUp,
    coordinated_organisations,
    organisation_stats,
    roll_up,
)


@dataclass(frozen=True, slots=True)
class AwaitingOrder:
    """A pair for the draft of the order: who mentors whom, since when."""

    pair_id: int
    mentor: Named
    mentee: Named
    mentoring_type: str
    created: datetime


@dataclass(frozen=True, slots=True)
class SchoolReport:
    stats: OrganisationStats
    registers: Registers
    questionnaires: tuple[CampaignResults, ...]
    awaiting_order: tuple[AwaitingOrder, ...]
    threshold: int
    made_by: str  # the curator's ФИО, printed on every document


@dataclass(frozen=True, slots=True)
class MunicipalReport:
    roll_up: RollUp
    made_by: str


class ReportService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def for_organisation(
        self, actor_id: int, organisation_id: int, period: Period
    ) -> SchoolReport:
        now = self._clock.now()
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            settings = ProgrammeSettings.of(organisation)
            stats = await organisation_stats(session, organisation, period, now)
            registers = await RegisterReader(
                session, organisation.id, organisation.timezone, period, settings.default_capacity
            ).read()
            start, end = period.bounds(organisation.timezone)
            report = SchoolReport(
                stats,
                registers,
                await period_results(session, organisation, start, end),
                await _awaiting_order(session, organisation_id),
                settings.satisfaction_threshold,
                await _name_of(session, actor_id),
            )
        await self._record(actor_id, organisation_id, period, "organisation")
        return report

    async def for_coordinator(self, actor_id: int, period: Period) -> MunicipalReport:
        now = self._clock.now()
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            organisations = await coordinated_organisations(session, actor)
            report = MunicipalReport(
                await roll_up(session, organisations, period, now),
                await _name_of(session, actor_id),
            )
        await self._record(actor_id, None, period, "municipal")
        return report

    async def _record(
        self, actor_id: int, organisation_id: int | None, period: Period, scope: str
    ) -> None:
        async with self._transactions.write() as session:
            audit.record(
                session,
                at=self._clock.now(),
                action="report.made",
                actor_id=actor_id,
                organisation_id=organisation_id,
                scope=scope,
                first=period.first.isoformat(),
                last=period.last.isoformat(),
            )


async def _name_of(session: AsyncSession, person_id: int) -> str:
    person = await session.get(Person, person_id)
    return (person.full_name if person else None) or ""


async def _awaiting_order(session: AsyncSession, organisation_id: int) -> tuple[AwaitingOrder, ...]:
    """Pairs waiting for the head's order now, whatever the period (the draft is for today)."""
    rows = await session.execute(
        select(MentoringPair, Person)
        .join(Person, Person.id == MentoringPair.mentor_id)
        .where(
            MentoringPair.organisation_id == organisation_id,
            MentoringPair.status == PairStatus.PENDING_ORDER,
        )
        .order_by(MentoringPair.created_at, MentoringPair.id)
    )
    pairs = list(rows.all())
    mentees = {
        person.id: person
        for person in await session.scalars(
            select(Person).where(Person.id.in_([pair.mentee_id for pair, _mentor in pairs]))
        )
    }
    return tuple(
        AwaitingOrder(
            pair.id,
            Named(mentor.full_name, mentor.withdrawn_number),
            Named(
                mentees[pair.mentee_id].full_name if pair.mentee_id in mentees else None,
                mentees[pair.mentee_id].withdrawn_number if pair.mentee_id in mentees else None,
            ),
            pair.mentoring_type.value,
            pair.created_at,
        )
        for pair, mentor in pairs
    )
