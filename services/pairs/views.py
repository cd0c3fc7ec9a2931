"""What a pair looks like to its two people and to the curator, read inside a transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ChangeReason,
    MentoringPair,
    Organisation,
    PairOrder,
    PairPetition,
    PairStatus,
    Person,
    PetitionKind,
    PetitionStatus,
)
from services.core.lookups import timezone_of
from services.matching.candidates import LIVE_PAIR_STATUSES
from services.organisations.programme import ProgrammeSettings

# The order pairs are listed in: live ones first, in the order of their life.
STATUS_ORDER = (
    PairStatus.PENDING_ORDER,
    PairStatus.ACTIVE,
    PairStatus.PAUSED,
    PairStatus.COMPLETED,
    PairStatus.ENDED_EARLY,
)


@dataclass(frozen=True, slots=True)
class MyPair:
    """A pair as one of its people sees it."""

    id: int
    role: str  # the viewer's role in the pair: "mentor" or "mentee"
    other_name: str
    status: PairStatus
    since: datetime
    paused_until: date | None
    end_reason: ChangeReason | None
    group_size: int
    # This person's own petition about the pair waits for the curator (the other side's
    # petition is not shown to them).
    my_petition_pending: bool
    timezone: str
    cadence_days: int  # how often the pair is asked to meet


@dataclass(frozen=True, slots=True)
class PetitionView:
    id: int
    kind: PetitionKind
    reason: ChangeReason
    requested_by_name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PairRow:
    """One line of the curator's list (and of the pairs waiting for an order)."""

    id: int
    mentor_name: str
    mentee_name: str
    status: PairStatus
    since: datetime
    paused_until: date | None
    group_id: int | None
    petition_pending: bool


@dataclass(frozen=True, slots=True)
class PairPage:
    rows: list[PairRow]
    page: int
    pages: int
    total: int
    counts: dict[PairStatus, int]
    organisation_name: str
    timezone: str


@dataclass(frozen=True, slots=True)
class PairDetails:
    """A pair as the curator sees it."""

    id: int
    organisation_id: int
    timezone: str
    mentor_name: str
    mentee_name: str
    status: PairStatus
    created_at: datetime
    started_at: datetime | None
    paused_until: date | None
    ended_at: datetime | None
    end_reason: ChangeReason | None
    group_id: int | None
    group_size: int
    order_number: str | None
    order_date: date | None
    petition: PetitionView | None


def since(pair: MentoringPair) -> datetime:
    """When the pair's current state began (as far as the table tells)."""
    if not pair.status.is_live and pair.ended_at is not None:
        return pair.ended_at
    return pair.started_at or pair.created_at


def name_of(person: Person | None) -> str:
    """A person's full name; empty for someone whose data were erased."""
    if person is None:
        return ""
    return person.full_name or ""


async def names(session: AsyncSession, person_ids: set[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    rows = await session.execute(
        select(Person.id, Person.full_name).where(Person.id.in_(person_ids))
    )
    return {person_id: full_name or "" for person_id, full_name in rows.all()}


async def group_sizes(session: AsyncSession, group_ids: set[int]) -> dict[int, int]:
    """How many live pairs each group holds."""
    if not group_ids:
        return {}
    rows = await session.execute(
        select(MentoringPair.group_id, func.count())
        .where(
            MentoringPair.group_id.in_(group_ids),
            MentoringPair.status.in_(LIVE_PAIR_STATUSES),
        )
        .group_by(MentoringPair.group_id)
    )
    return {group_id: count for group_id, count in rows.all() if group_id is not None}


async def pending_petitions(session: AsyncSession, pair_ids: list[int]) -> dict[int, PairPetition]:
    if not pair_ids:
        return {}
    rows = await session.scalars(
        select(PairPetition).where(
            PairPetition.pair_id.in_(pair_ids), PairPetition.status == PetitionStatus.PENDING
        )
    )
    return {petition.pair_id: petition for petition in rows}


async def my_pairs(session: AsyncSession, person_id: int) -> list[MyPair]:
    pairs = (
        await session.scalars(
            select(MentoringPair).where(
                (MentoringPair.mentor_id == person_id) | (MentoringPair.mentee_id == person_id)
            )
        )
    ).all()
    people = await names(
        session, {pair.mentor_id for pair in pairs} | {pair.mentee_id for pair in pairs}
    )
    sizes = await group_sizes(session, {pair.group_id for pair in pairs if pair.group_id})
    petitions = await pending_petitions(session, [pair.id for pair in pairs])
    organisations = {
        organisation.id: organisation
        for organisation in await session.scalars(
            select(Organisation).where(
                Organisation.id.in_({pair.organisation_id for pair in pairs})
            )
        )
    }
    result = [
        my_pair(
            pair,
            person_id,
            people,
            sizes,
            petition=petitions.get(pair.id),
            organisation=organisations[pair.organisation_id],
        )
        for pair in pairs
    ]
    live = sorted((item for item in result if item.status.is_live), key=lambda item: item.id)
    ended = sorted(
        (item for item in result if not item.status.is_live),
        key=lambda item: (item.since, item.id),
        reverse=True,
    )
    return live + ended


def my_pair(
    pair: MentoringPair,
    person_id: int,
    people: dict[int, str],
    sizes: dict[int, int],
    *,
    petition: PairPetition | None,
    organisation: Organisation,
) -> MyPair:
    is_mentor = pair.mentor_id == person_id
    return MyPair(
        id=pair.id,
        role="mentor" if is_mentor else "mentee",
        other_name=people.get(pair.mentee_id if is_mentor else pair.mentor_id, ""),
        status=pair.status,
        since=since(pair),
        paused_until=pair.paused_until,
        end_reason=pair.end_reason,
        group_size=sizes.get(pair.group_id, 1) if pair.group_id else 1,
        my_petition_pending=petition is not None and petition.requested_by_id == person_id,
        timezone=organisation.timezone,
        cadence_days=ProgrammeSettings.of(organisation).cadence_for(pair.cadence_days),
    )


def _sort_key(row: PairRow) -> tuple[int, int, int]:
    return (0 if row.petition_pending else 1, STATUS_ORDER.index(row.status), -row.id)


async def organisation_rows(
    session: AsyncSession, organisation_id: int, *, status: PairStatus | None = None
) -> list[PairRow]:
    """Every pair of the organisation (or those in one state): petitions first, then by state,
    newest first within a state."""
    query = select(MentoringPair).where(MentoringPair.organisation_id == organisation_id)
    if status is not None:
        query = query.where(MentoringPair.status == status)
    pairs = (await session.scalars(query)).all()
    people = await names(
        session, {pair.mentor_id for pair in pairs} | {pair.mentee_id for pair in pairs}
    )
    petitions = await pending_petitions(session, [pair.id for pair in pairs if pair.status.is_live])
    rows = [
        PairRow(
            id=pair.id,
            mentor_name=people.get(pair.mentor_id, ""),
            mentee_name=people.get(pair.mentee_id, ""),
            status=pair.status,
            since=since(pair),
            paused_until=pair.paused_until,
            group_id=pair.group_id,
            petition_pending=pair.id in petitions,
        )
        for pair in pairs
    ]
    return sorted(rows, key=_sort_key)


async def details(session: AsyncSession, pair: MentoringPair) -> PairDetails:
    people = await names(session, {pair.mentor_id, pair.mentee_id})
    order = await session.get(PairOrder, pair.order_id) if pair.order_id else None
    petition = (await pending_petitions(session, [pair.id])).get(pair.id)
    petition_view = None
    if petition is not None:
        requester = (
            await session.get(Person, petition.requested_by_id)
            if petition.requested_by_id
            else None
        )
        petition_view = PetitionView(
            id=petition.id,
            kind=petition.kind,
            reason=petition.reason,
            requested_by_name=name_of(requester),
            created_at=petition.created_at,
        )
    sizes = await group_sizes(session, {pair.group_id} if pair.group_id else set())
    return PairDetails(
        id=pair.id,
        organisation_id=pair.organisation_id,
        timezone=await timezone_of(session, pair.organisation_id),
        mentor_name=people.get(pair.mentor_id, ""),
        mentee_name=people.get(pair.mentee_id, ""),
        status=pair.status,
        created_at=pair.created_at,
        started_at=pair.started_at,
        paused_until=pair.paused_until,
        ended_at=pair.ended_at,
        end_reason=pair.end_reason,
        group_id=pair.group_id,
        group_size=sizes.get(pair.group_id, 1) if pair.group_id else 1,
        order_number=order.number if order else None,
        order_date=order.order_date if order else None,
        petition=petition_view,
    )
