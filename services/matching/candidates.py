"""Which mentors may take a request (hard filters) and how well each fits (the score)."""

from __future__ import annotations

from collections.abc import Sequence
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
from services.core.identity import identified
from services.matching.score import Fit, MenteeSide, MentorSide, score
from services.organisations.programme import ProgrammeSettings
from services.people.consent import current_versions

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


MENTOR_ROLES = (ProfileRole.MENTOR, ProfileRole.BOTH)


def capacity_of(profile: Profile, settings: ProgrammeSettings) -> int:
    return settings.default_capacity if profile.capacity is None else profile.capacity


def is_available(profile: Profile, today: date) -> bool:
    """Not away ("unavailable until") on this day."""
    return profile.unavailable_until is None or profile.unavailable_until < today


def agrees(decision: ConsentDecision | None, version: int | None, current: int | None) -> bool:
    """A person's latest consent decision is agreement to the organisation's current text."""
    return decision == ConsentDecision.AGREED and (version or 0) >= (current or 0)


def mentor_side(profile: Profile, capacity: int, load: int) -> MentorSide:
    return MentorSide(
        person_id=profile.person_id,
        domains=frozenset(profile.offered_domains),
        subjects=frozenset(profile.subjects),
        experience_years=profile.experience_years,
        meeting_format=profile.meeting_format.value,
        days=frozenset(profile.days),
        times=frozenset(profile.times),
        capacity=capacity,
        load=load,
    )


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
        if agrees(decision.decision, decision.version, current)
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


async def _exclusions(
    session: AsyncSession, requests: Sequence[MentoringRequest]
) -> dict[int, set[int]]:
    """Per request, the mentors it must not go to: the mentee themself, mentors already paired
    with the mentee, "don't pair us again", and mentors already asked about this request (they
    declined or let it expire)."""
    mentee_of = {request.id: request.mentee_id for request in requests}
    mentee_ids = list(set(mentee_of.values()))
    by_mentee: dict[int, set[int]] = {mentee_id: {mentee_id} for mentee_id in mentee_ids}
    paired = await session.execute(
        select(MentoringPair.mentee_id, MentoringPair.mentor_id).where(
            MentoringPair.mentee_id.in_(mentee_ids),
            MentoringPair.status.in_(LIVE_PAIR_STATUSES),
        )
    )
    blocked = await session.execute(
        select(PairingBlock.mentee_id, PairingBlock.mentor_id).where(
            PairingBlock.mentee_id.in_(mentee_ids)
        )
    )
    for mentee_id, mentor_id in [*paired.all(), *blocked.all()]:
        by_mentee[mentee_id].add(mentor_id)
    result = {request_id: set(by_mentee[mentee_id]) for request_id, mentee_id in mentee_of.items()}
    asked = await session.execute(
        select(RequestOffer.request_id, RequestOffer.mentor_id).where(
            RequestOffer.request_id.in_(list(mentee_of)),
            RequestOffer.status.in_((OfferStatus.DECLINED, OfferStatus.EXPIRED)),
        )
    )
    for request_id, mentor_id in asked.all():
        result[request_id].add(mentor_id)
    return result


async def rank_mentors(
    session: AsyncSession,
    request: MentoringRequest,
    organisation: Organisation,
    today: date,
    *,
    only: int | None = None,
) -> list[MentorCandidate]:
    """Every mentor who may take the request, best fit first (`only`: just that mentor)."""
    ranked = await rank_for_requests(session, [request], organisation, today, only=only)
    return ranked[request.id]


async def rank_for_requests(
    session: AsyncSession,
    requests: Sequence[MentoringRequest],
    organisation: Organisation,
    today: date,
    *,
    only: int | None = None,
) -> dict[int, list[MentorCandidate]]:
    """For each request of one organisation, every mentor who may take it, best fit first.

    A handful of queries whatever the number of requests, so /match on a whole school stays
    interactive; the scores themselves are computed in memory.
    """
    if not requests:
        return {}
    settings = ProgrammeSettings.of(organisation)
    query = (
        select(Profile, Person)
        .join(Person, Person.id == Profile.person_id)
        .where(
            Profile.organisation_id == organisation.id,
            Profile.role.in_(MENTOR_ROLES),
            Person.status == PersonStatus.ACTIVE,
            identified(Person.id),
        )
    )
    if only is not None:
        query = query.where(Profile.person_id == only)
    found = (await session.execute(query)).all()
    available = [(profile, person) for profile, person in found if is_available(profile, today)]
    ids = [person.id for _profile, person in available]
    loads = await live_loads(session, ids)
    agreed = await consented(session, organisation.id, ids)
    mentors = []
    for profile, person in available:
        capacity = capacity_of(profile, settings)
        load = loads.get(person.id, 0)
        if person.id not in agreed or load >= capacity:
            continue
        mentors.append((profile, person, mentor_side(profile, capacity, load), capacity - load))
    mentee_profiles = {
        profile.person_id: profile
        for profile in await session.scalars(
            select(Profile).where(
                Profile.organisation_id == organisation.id,
                Profile.person_id.in_([request.mentee_id for request in requests]),
            )
        )
    }
    exclusions = await _exclusions(session, requests)
    ranked: dict[int, list[MentorCandidate]] = {}
    for request in requests:
        mentee = mentee_side(request, mentee_profiles.get(request.mentee_id))
        excluded = exclusions[request.id]
        candidates = [
            MentorCandidate(
                person_id=person.id,
                full_name=person.full_name or "",
                subjects=tuple(profile.subjects),
                experience_years=profile.experience_years,
                free_places=free_places,
                fit=score(mentee, side),
            )
            for profile, person, side, free_places in mentors
            if person.id not in excluded
        ]
        candidates.sort(key=lambda c: (-c.fit.score, -c.free_places, c.person_id))
        ranked[request.id] = candidates
    return ranked
