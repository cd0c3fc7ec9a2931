"""`/stats`: an organisation's live numbers and indicators for the curator, and the roll-up of
many organisations for a coordinator (counts and shares only, no personal data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import Organisation, Questionnaire, QuestionnaireResponse
from services.core.access import Actor, load_actor
from services.core.clock import Clock
from services.core.errors import NotAllowed
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.transactions import Transactions
from services.questionnaires.library import current_definition
from services.questionnaires.scores import Answered, Change, before_after
from services.reports.counts import count, today_in
from services.reports.figures import EnteredFigures
from services.reports.indicators import Indicator, Measured, Source, measured, target
from services.reports.periods import Period, programme_year, programme_year_so_far
from services.reports.rollup import add_counts, organisations_with_mentors, rolled
from services.reports.tallies import ENTRY, EXIT, Counts


@dataclass(frozen=True, slots=True)
class OrganisationStats:
    organisation_id: int
    organisation_name: str
    timezone: str
    period: Period
    made_at: datetime
    counts: Counts
    figures: EnteredFigures
    indicators: tuple[Measured, ...]
    # Entry and exit self-assessment per competence domain, over people who gave both and
    # finished the exit in the period.
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class RollUp:
    """A coordinator's organisations: one row each and the totals."""

    period: Period
    made_at: datetime
    rows: tuple[OrganisationStats, ...]
    totals: Counts
    indicators: tuple[Measured, ...]
    changes: tuple[Change, ...]


def target_year(period: Period, today: datetime) -> int:
    """Targets are set per calendar year: the year the period ends in, or this one if later."""
    return min(period.last, today.date()).year


def indicators(counts: Counts, figures: EnteredFigures, year: int) -> tuple[Measured, ...]:
    retention: Measured
    young = measured(
        Indicator.YOUNG_SPECIALISTS,
        counts.young_mentees_in_pairs,
        figures.young_specialists,
        counts.young_with_profile,
        year,
    )
    if figures.young_left is not None and young.denominator is not None:
        retention = Measured(
            Indicator.RETENTION,
            max(young.denominator - figures.young_left, 0),
            young.denominator,
            young.source,
            target(Indicator.RETENTION, year),
            year,
        )
    else:
        retention = measured(Indicator.RETENTION, 0, None, None, year)
    satisfaction = [
        measured(
            indicator,
            tally.satisfied if tally else 0,
            None,
            tally.n if tally else None,
            year,
            derived_source=Source.RESPONSES,
        )
        for indicator, tally in (
            (Indicator.MENTEE_SATISFACTION, counts.satisfaction.get("mentee")),
            (Indicator.MENTOR_SATISFACTION, counts.satisfaction.get("mentor")),
        )
    ]
    return (
        young,
        # Age is not stored: the numerator counts mentees with up to three years of experience.
        measured(
            Indicator.YOUNG_TEACHERS,
            counts.young_mentees_in_pairs,
            figures.young_teachers,
            None,
            year,
        ),
        measured(
            Indicator.TEACHERS_COVERED,
            counts.covered,
            figures.teachers,
            counts.teachers_with_profile,
            year,
        ),
        *satisfaction,
        retention,
    )


async def domain_changes(
    session: AsyncSession, organisation_ids: list[int], start: datetime, end: datetime
) -> tuple[Change, ...]:
    """Before and after per domain for people whose exit diagnosis was finished in [start, end),
    paired with their entry diagnosis in the same organisation (whenever it was given)."""
    if not organisation_ids:
        return ()
    # Only the journeys with an exit in the period: the others' entries would be read for
    # nothing (a municipality has tens of thousands).
    finished = aliased(QuestionnaireResponse)
    exit_questionnaire = aliased(Questionnaire)
    exited = (
        select(finished.organisation_id, finished.person_id)
        .join(exit_questionnaire, exit_questionnaire.id == finished.questionnaire_id)
        .where(
            finished.organisation_id.in_(organisation_ids),
            exit_questionnaire.code == EXIT,
            finished.submitted_at >= start,
            finished.submitted_at < end,
        )
    )
    rows = (
        await session.execute(
            select(
                QuestionnaireResponse.organisation_id,
                QuestionnaireResponse.person_id,
                QuestionnaireResponse.respondent_role,
                Questionnaire.code,
                Questionnaire.version,
                QuestionnaireResponse.answers,
                QuestionnaireResponse.submitted_at,
            )
            .join(Questionnaire)
            .where(
                QuestionnaireResponse.organisation_id.in_(organisation_ids),
                Questionnaire.code.in_((ENTRY, EXIT)),
                QuestionnaireResponse.submitted_at.is_not(None),
                QuestionnaireResponse.submitted_at < end,
                tuple_(QuestionnaireResponse.organisation_id, QuestionnaireResponse.person_id).in_(
                    exited
                ),
            )
            .order_by(QuestionnaireResponse.submitted_at)
        )
    ).all()
    # A person is keyed by organisation too: the same teacher in two schools is two journeys.
    entry: dict[tuple[int, int], Answered] = {}
    exit_: dict[tuple[int, int], Answered] = {}
    journeys: dict[tuple[int, int], int] = {}
    for organisation_id, person_id, side, code, version, answers, submitted_at in rows:
        key = (organisation_id, person_id)
        # A surrogate number pairs entry and exit inside before_after without naming anyone.
        item = Answered(journeys.setdefault(key, len(journeys)), side, version, answers or {})
        if code == ENTRY:
            entry.setdefault(key, item)  # the first entry diagnosis
        elif submitted_at >= start:
            exit_[key] = item  # the last exit diagnosis in the period
    if not exit_:
        return ()
    definition = (await current_definition(session, organisation_ids[0], EXIT)).definition
    return before_after(definition, list(entry.values()), list(exit_.values()))


class StatsService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def for_organisation(
        self, actor_id: int, organisation_id: int, period: Period | None = None
    ) -> OrganisationStats:
        """The curator's numbers; by default the programme year so far."""
        now = self._clock.now()
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            return await organisation_stats(session, organisation, period, now)

    async def today(self, actor_id: int, organisation_id: int | None) -> date:
        """Today where the organisation is (None: the first of the coordinator's), for the
        choice of a period; refuses whoever may not see the organisation's numbers."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            if organisation_id is None:
                organisations = await coordinated_organisations(session, actor)
                zone = organisations[0].timezone if organisations else "UTC"
            else:
                actor.require_curator(organisation_id)
                zone = (await organisation_of(session, organisation_id)).timezone
        return self._clock.now().astimezone(ZoneInfo(zone)).date()

    async def for_coordinator(self, actor_id: int, period: Period | None = None) -> RollUp:
        """Every organisation the coordinator is assigned to (the superadmin: all of them)."""
        now = self._clock.now()
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            organisations = await coordinated_organisations(session, actor)
            return await roll_up(session, organisations, period, now)


async def organisation_stats(
    session: AsyncSession, organisation: Organisation, period: Period | None, now: datetime
) -> OrganisationStats:
    today = today_in(organisation, now)
    period = period or programme_year_so_far(today)
    counts = (await count(session, [organisation], period, now))[organisation.id]
    figures = EnteredFigures.of(organisation, programme_year(period.first).first.year)
    start, end = period.bounds(organisation.timezone)
    return OrganisationStats(
        organisation.id,
        organisation.name,
        organisation.timezone,
        period,
        now,
        counts,
        figures,
        indicators(counts, figures, target_year(period, now)),
        await domain_changes(session, [organisation.id], start, end),
    )


async def coordinated_organisations(session: AsyncSession, actor: Actor) -> list[Organisation]:
    """The organisations a coordinator is assigned to; NotAllowed for anyone else."""
    query = select(Organisation).order_by(Organisation.name, Organisation.id)
    if not actor.is_superadmin:
        ids = actor.coordinated_organisation_ids()
        if not ids:
            raise NotAllowed
        query = query.where(Organisation.id.in_(ids))
    return list(await session.scalars(query))


async def roll_up(
    session: AsyncSession,
    organisations: list[Organisation],
    period: Period | None,
    now: datetime,
) -> RollUp:
    today = today_in(organisations[0], now) if organisations else now.date()
    period = period or programme_year_so_far(today)
    counted = await count(session, organisations, period, now)
    year = target_year(period, now)
    figures_year = programme_year(period.first).first.year
    rows = []
    for organisation in organisations:
        counts = counted[organisation.id]
        figures = EnteredFigures.of(organisation, figures_year)
        rows.append(
            OrganisationStats(
                organisation.id,
                organisation.name,
                organisation.timezone,
                period,
                now,
                counts,
                figures,
                indicators(counts, figures, year),
                (),
            )
        )
    totals = add_counts(list(counted.values()))
    start, end = period.bounds(organisations[0].timezone if organisations else "UTC")
    return RollUp(
        period,
        now,
        tuple(rows),
        totals,
        (
            organisations_with_mentors([row.counts for row in rows], year),
            *rolled([row.indicators for row in rows], year),
        ),
        await domain_changes(session, [o.id for o in organisations], start, end),
    )
