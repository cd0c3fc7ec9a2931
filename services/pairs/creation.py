"""Creating a pair: the one place where capacity is checked, atomically, and the start announced.

Every way a pair comes about (a mentor accepts, a mentor takes a request from /requests, the
curator assigns, a whole-cohort match is approved) goes through `create_pair`, inside the caller's
write transaction. Races are settled by row locks taken in a fixed order — the mentor's profile,
then the request — so two mentors accepting one request, or one mentor with one free place
accepting two, end with exactly one pair. On SQLite `BEGIN IMMEDIATE` serialises writers anyway;
on PostgreSQL the `FOR UPDATE` locks do it, and the counts are read after the locks are held.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    MentoringGroup,
    MentoringPair,
    MentoringRequest,
    OfferStatus,
    PairOrigin,
    PairStatus,
    Person,
    Profile,
    RequestOffer,
    RequestStatus,
)
from services.core import audit
from services.core.errors import RequestProblem, RequestUnavailable, StaleAction
from services.core.identity import accounts_of
from services.core.lookups import organisation_of
from services.core.names import first_name
from services.matching.candidates import LIVE_PAIR_STATUSES, capacity_of, live_loads, rank_mentors
from services.organisations.programme import ProgrammeSettings
from services.outbox import notify


def request_problem(request: MentoringRequest) -> RequestProblem:
    """Why a request that is no longer live cannot be taken."""
    if request.status == RequestStatus.WITHDRAWN:
        return RequestProblem.WITHDRAWN
    if request.status == RequestStatus.CLOSED:
        return RequestProblem.WITHDRAWN
    return RequestProblem.TAKEN


def offer_problem(offer: RequestOffer, request: MentoringRequest) -> RequestProblem:
    """Why an offer that is no longer pending cannot be accepted: the mentor's own earlier
    answer, the time running out, or (a cancelled offer) the request withdrawn or taken."""
    if offer.status == OfferStatus.ACCEPTED:
        return RequestProblem.ALREADY_ACCEPTED
    if offer.status == OfferStatus.DECLINED:
        return RequestProblem.ALREADY_DECLINED
    if offer.status == OfferStatus.EXPIRED:
        return RequestProblem.EXPIRED
    return request_problem(request)


async def create_pair(
    session: AsyncSession,
    *,
    request: MentoringRequest,
    mentor_id: int,
    origin: PairOrigin,
    actor_id: int,
    now: datetime,
    today: date,
    offer: RequestOffer | None = None,
) -> MentoringPair:
    organisation = await organisation_of(session, request.organisation_id)
    profile = await session.scalar(
        select(Profile)
        .where(Profile.person_id == mentor_id, Profile.organisation_id == request.organisation_id)
        .with_for_update()
    )
    await session.refresh(request, with_for_update=True)
    if offer is not None:
        await session.refresh(offer, with_for_update=True)
        if offer.status != OfferStatus.PENDING:
            raise RequestUnavailable(offer_problem(offer, request))
    if not request.status.is_live:
        raise RequestUnavailable(request_problem(request))
    if request.status == RequestStatus.AWAITING_MENTOR and offer is None:
        pending = await _pending_offer(session, request.id)
        if pending is not None and origin == PairOrigin.MENTOR_TOOK:
            raise RequestUnavailable(RequestProblem.AWAITING_MENTOR)
    if profile is None:
        raise RequestUnavailable(RequestProblem.NOT_ELIGIBLE)
    settings = ProgrammeSettings.of(organisation)
    load = (await live_loads(session, [mentor_id])).get(mentor_id, 0)
    if load >= capacity_of(profile, settings):
        raise RequestUnavailable(RequestProblem.NO_PLACE)
    candidates = await rank_mentors(session, request, organisation, today, only=mentor_id)
    if not candidates:
        raise RequestUnavailable(RequestProblem.NOT_ELIGIBLE)

    starts_now = not settings.pairs_require_order
    pair = MentoringPair(
        organisation_id=request.organisation_id,
        mentor_id=mentor_id,
        mentee_id=request.mentee_id,
        request_id=request.id,
        status=PairStatus.ACTIVE if starts_now else PairStatus.PENDING_ORDER,
        origin=origin,
        mentoring_type=request.mentoring_type,
        score=candidates[0].fit.score,
        created_at=now,
        started_at=now if starts_now else None,
    )
    session.add(pair)
    if request.group_ok:
        await _join_group(session, pair, now)
    request.status = RequestStatus.MATCHED
    request.closed_at = now
    request.updated_at = now
    await _settle_offers(session, request.id, accepted=offer, now=now)
    await session.flush()
    audit.record(
        session,
        at=now,
        action="pair.created",
        actor_id=actor_id,
        organisation_id=request.organisation_id,
        target_person_id=request.mentee_id,
        pair_id=pair.id,
        mentor_id=mentor_id,
        request_id=request.id,
        origin=origin.value,
        status=pair.status.value,
    )
    if starts_now:
        await announce_start(session, pair, now)
    else:
        await _announce_pending_order(session, pair, now)
    return pair


async def _pending_offer(session: AsyncSession, request_id: int) -> RequestOffer | None:
    return await session.scalar(
        select(RequestOffer).where(
            RequestOffer.request_id == request_id, RequestOffer.status == OfferStatus.PENDING
        )
    )


async def _settle_offers(
    session: AsyncSession, request_id: int, *, accepted: RequestOffer | None, now: datetime
) -> None:
    """The accepted offer is marked; any other pending one is cancelled, its mentor told."""
    if accepted is not None:
        accepted.status = OfferStatus.ACCEPTED
        accepted.decided_at = now
    other = await _pending_offer(session, request_id)
    if other is not None and other is not accepted:
        other.status = OfferStatus.CANCELLED
        other.decided_at = now
        await notify.person(session, other.mentor_id, "offer_cancelled", str(other.id), now)


async def _join_group(session: AsyncSession, pair: MentoringPair, now: datetime) -> None:
    """Group mentoring: mentees who accept a group share one group with their mentor."""
    mates = (
        await session.scalars(
            select(MentoringPair)
            .join(MentoringRequest, MentoringRequest.id == MentoringPair.request_id)
            .where(
                MentoringPair.mentor_id == pair.mentor_id,
                MentoringPair.organisation_id == pair.organisation_id,
                MentoringPair.status.in_(LIVE_PAIR_STATUSES),
                MentoringRequest.group_ok.is_(True),
            )
        )
    ).all()
    # The query autoflushes the new pair, so it finds itself: a group needs someone else.
    mates = [mate for mate in mates if mate is not pair]
    if not mates:
        return
    group_id = next((mate.group_id for mate in mates if mate.group_id is not None), None)
    if group_id is None:
        group = MentoringGroup(
            organisation_id=pair.organisation_id, mentor_id=pair.mentor_id, created_at=now
        )
        session.add(group)
        await session.flush()
        group_id = group.id
    for mate in mates:
        mate.group_id = group_id
    pair.group_id = group_id


def _contact(person: Person, accounts: dict[str, str]) -> dict[str, object]:
    # `accounts` are the other's ids in each messenger they use: the adapter that renders the
    # introduction picks its own to make a link, the programme does not choose one.
    return {
        "name": person.full_name or "",
        "first_name": first_name(person.full_name),
        "username": person.username,
        "accounts": accounts,
    }


async def announce_start(session: AsyncSession, pair: MentoringPair, now: datetime) -> None:
    """Both sides get an introduction: who the other is, how to reach them, what comes next."""
    mentor = await session.get(Person, pair.mentor_id)
    mentee = await session.get(Person, pair.mentee_id)
    if mentor is None or mentee is None:
        raise StaleAction
    profiles = {
        profile.person_id: profile
        for profile in await session.scalars(
            select(Profile).where(
                Profile.organisation_id == pair.organisation_id,
                Profile.person_id.in_((pair.mentor_id, pair.mentee_id)),
            )
        )
    }
    group_size = 1
    if pair.group_id is not None:
        group_size = len(
            (
                await session.scalars(
                    select(MentoringPair.id).where(
                        MentoringPair.group_id == pair.group_id,
                        MentoringPair.status.in_(LIVE_PAIR_STATUSES),
                    )
                )
            ).all()
        )
    accounts = await accounts_of(session, (mentor.id, mentee.id))
    for viewer, other, as_role in ((mentee, mentor, "mentee"), (mentor, mentee, "mentor")):
        profile = profiles.get(other.id)
        await notify.person(
            session,
            viewer.id,
            "pair_started",
            str(pair.id),
            now,
            about=other.id,
            role=as_role,
            other=_contact(other, accounts.get(other.id, {})),
            subjects=list(profile.subjects) if profile else [],
            experience_years=profile.experience_years if profile else None,
            group_size=group_size,
        )


async def _announce_pending_order(
    session: AsyncSession, pair: MentoringPair, now: datetime
) -> None:
    mentor = await session.get(Person, pair.mentor_id)
    mentee = await session.get(Person, pair.mentee_id)
    if mentor is None or mentee is None:
        raise StaleAction
    for viewer, other in ((mentee, mentor), (mentor, mentee)):
        await notify.person(
            session,
            viewer.id,
            "pair_pending_order",
            str(pair.id),
            now,
            about=other.id,
            other_name=other.full_name or "",
        )
    await notify.curators(
        session, pair.organisation_id, "pair_awaits_order", str(pair.id), now, pair_id=pair.id
    )
