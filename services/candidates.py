"""Which mentors may take a request (hard filters) and how well each fits (the score)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Consent,
    ConsentDecision,
    MentoringPair,
    MentoringRequest,
    OfferStatus,
    Organisation,
    PairingBlock,
    PairStatus,
    Person,
    PersonStatus,
    Profile,
    ProfileRole,
    RequestOffer,
)
from services.consent import current_versions
from services.matching import Fit, MenteeSide, MentorSide, score
from services.programme_settings import ProgrammeSettings

LIVE_PAIR_STATUSES = tuple(status for status in PairStatus if status.is_live)


@dataclass(frozen=True, slots=True)
class MentorCandidate:
    """A mentor who passes every hard filter for a request, with the fit and what to show."""

    person_id: int
    full_name: str
    subjects: tuple[str, ...]
    experience_years: int
    free_places: int
    fit: Fit


def capacity_of(profile: Profile, settings: ProgrammeSettings) -> int:
    return settings.default_capacity if profile.capacity is None else profile.capacity


async def live_loads(session: AsyncSession, mentor_ids: list[int]) -> dict[int, int]:
    """How many live pairs (pending order, active, paused) each mentor has."""
    if not mentor_ids:
        return {}
    rows = await session.execute(
        select(MentoringPair.mentor_id, func.count())
        .where(
            MentoringPair.mentor_id.in_(mentor_ids),
            MentoringPair.status.in_(LIVE_PAIR_STATUSES),
        )
        .group_by(MentoringPair.mentor_id)
    )
    return {mentor_id: count for mentor_id, count in rows.all()}


async def consented(session: AsyncSession, organisation_id: int, person_ids: list[int]) -> set[int]:
    """Those whose latest decision is agreement to the organisation's current consent text."""
    if not person_ids:
        return set()
    current = (await current_versions(session, [organisation_id])).get(organisation_id, 0)
    latest: dict[int, Consent] = {}
    rows = await session.scalars(
        select(Consent)
        .where(Consent.organisation_id == organisation_id, Consent.person_id.in_(person_ids))
        .order_by(Consent.id)
    )
    for row in rows:
        latest[row.person_id] = row
    return {
        person_id
        for person_id, decision in latest.items()
        if decision.decision == ConsentDecision.AGREED and (decision.version or 0) >= current
    }


def mentee_side(request: MentoringRequest, profile: Profile | None) -> MenteeSide:
    return MenteeSide(
        person_id=request.mentee_id,
        topics=frozenset(request.topics),
        domains=frozenset(profile.needed_domains if profile else ()),
        subjects=frozenset(profile.subjects if profile else ()),
        experience_years=profile.experience_years if profile else 0,
        meeting_format=request.meeting_format.value,
        days=frozenset(profile.days if profile else ()),
        times=frozenset(profile.times if profile else ()),
    )


async def mentee_profile(session: AsyncSession, request: MentoringRequest) -> Profile | None:
    return await session.scalar(
        select(Profile).where(
            Profile.person_id == request.mentee_id,
            Profile.organisation_id == request.organisation_id,
        )
    )


async def excluded_mentors(session: AsyncSession, request: MentoringRequest) -> set[int]:
    """Mentors this request must not go to: already paired with the mentee, "don't pair us
    again", or already asked about this request (declined or let it expire)."""
    paired = await session.scalars(
        select(MentoringPair.mentor_id).where(
            MentoringPair.mentee_id == request.mentee_id,
            MentoringPair.status.in_(LIVE_PAIR_STATUSES),
        )
    )
    blocked = await session.scalars(
        select(PairingBlock.mentor_id).where(PairingBlock.mentee_id == request.mentee_id)
    )
    asked = await session.scalars(
        select(RequestOffer.mentor_id).where(
            RequestOffer.request_id == request.id,
            RequestOffer.status.in_((OfferStatus.DECLINED, OfferStatus.EXPIRED)),
        )
    )
    return {request.mentee_id, *paired, *blocked, *asked}


async def rank_mentors(
    session: AsyncSession,
    request: MentoringRequest,
    organisation: Organisation,
    today: date,
    *,
    only: int | None = None,
) -> list[MentorCandidate]:
    """Every mentor who may take the request, best fit first (`only`: just that mentor)."""
    settings = ProgrammeSettings.of(organisation)
    query = (
        select(Profile, Person)
        .join(Person, Person.id == Profile.person_id)
        .where(
            Profile.organisation_id == request.organisation_id,
            Profile.role.in_((ProfileRole.MENTOR, ProfileRole.BOTH)),
            Person.status == PersonStatus.ACTIVE,
            Person.telegram_id.is_not(None),
        )
    )
    if only is not None:
        query = query.where(Profile.person_id == only)
    found = (await session.execute(query)).all()
    excluded = await excluded_mentors(session, request)
    rows = [
        (profile, person)
        for profile, person in found
        if person.id not in excluded
        and (profile.unavailable_until is None or profile.unavailable_until < today)
    ]
    ids = [person.id for _profile, person in rows]
    loads = await live_loads(session, ids)
    agreed = await consented(session, request.organisation_id, ids)
    mentee = mentee_side(request, await mentee_profile(session, request))
    candidates = []
    for profile, person in rows:
        capacity = capacity_of(profile, settings)
        load = loads.get(person.id, 0)
        if person.id not in agreed or load >= capacity:
            continue
        fit = score(
            mentee,
            MentorSide(
                person_id=person.id,
                domains=frozenset(profile.offered_domains),
                subjects=frozenset(profile.subjects),
                experience_years=profile.experience_years,
                meeting_format=profile.meeting_format.value,
                days=frozenset(profile.days),
                times=frozenset(profile.times),
                capacity=capacity,
                load=load,
            ),
        )
        candidates.append(
            MentorCandidate(
                person_id=person.id,
                full_name=person.full_name or "",
                subjects=tuple(profile.subjects),
                experience_years=profile.experience_years,
                free_places=capacity - load,
                fit=fit,
            )
        )
    candidates.sort(key=lambda c: (-c.fit.score, c.free_places * -1, c.person_id))
    return candidates
