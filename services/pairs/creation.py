"""Creating a pair: the one place where capacity is checked, atomically, and the start announced.

Every way a pair comes about (a mentor accepts, a mentor takes a request from /requests, the
curator assigns, a whole-cohort match is approved) goes through `create_pair`, inside the caller's
write transaction. Races are settled by row locks taken in a fixed order — the request (with the
offer being answered), then the mentor's profile — so two mentors accepting one request, or one
mentor with one free place accepting two, end with exactly one pair. On SQLite `BEGIN IMMEDIATE`
serialises writers anyway; on PostgreSQL the `FOR UPDATE` locks do it, and the counts are read
after the locks are held. An accept is eleven statements: the offer with its request, organisation
and mentee; the mentor's standing; the writes; the introductions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    MentoringGroup,
    MentoringPair,
    MentoringRequest,
    OfferStatus,
    Organisation,
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
from services.core.names import first_name
from services.matching.candidates import LIVE_PAIR_STATUSES, capacity_of
from services.matching.one_mentor import mentor_standing
from services.organisations.programme import ProgrammeSettings
from services.organisations.timezones import local_date
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


@dataclass(slots=True)
class PairingTarget:
    """What a new pair is made from, read with the request (and its offer) locked: the
    organisation, the mentee and their profile come in the same statement."""

    request: MentoringRequest
    organisation: Organisation
    mentee: Person
    mentee_profile: Profile | None
    offer: RequestOffer | None = None


def _target_query() -> Select[MentoringRequest, Organisation, Person, Profile]:
    """The request with its organisation, mentee and the mentee's profile (if any); the
    statements are built once, as building one costs more than SQLite running it."""
    return (
        select(MentoringRequest, Organisation, Person, Profile)
        .join(Organisation, Organisation.id == MentoringRequest.organisation_id)
        .join(Person, Person.id == MentoringRequest.mentee_id)
        .outerjoin(
            Profile,
            and_(
                Profile.person_id == MentoringRequest.mentee_id,
                Profile.organisation_id == MentoringRequest.organisation_id,
            ),
        )
        .execution_options(populate_existing=True)
    )


_LOCK_REQUEST = (
    _target_query()
    .where(MentoringRequest.id == bindparam("request_id"))
    .with_for_update(of=MentoringRequest)
)
_LOCK_OFFER = (
    _target_query()
    .add_columns(RequestOffer)
    .join(RequestOffer, RequestOffer.request_id == MentoringRequest.id)
    .where(RequestOffer.id == bindparam("offer_id"))
    .with_for_update(of=(MentoringRequest, RequestOffer))
)


async def lock_request(session: AsyncSession, request_id: int) -> PairingTarget | None:
    """The request to pair, locked (None when it does not exist)."""
    row = (await session.execute(_LOCK_REQUEST, {"request_id": request_id})).first()
    if row is None:
        return None
    request, organisation, mentee, profile = row
    return PairingTarget(request, organisation, mentee, profile)


async def lock_offer(session: AsyncSession, offer_id: int) -> PairingTarget | None:
    """The offer a mentor answers and its request, both locked (None when it does not exist)."""
    row = (await session.execute(_LOCK_OFFER, {"offer_id": offer_id})).first()
    if row is None:
        return None
    request, organisation, mentee, profile, offer = row
    return PairingTarget(request, organisation, mentee, profile, offer)


async def create_pair(
    session: AsyncSession,
    target: PairingTarget,
    *,
    mentor_id: int,
    origin: PairOrigin,
    actor_id: int,
    now: datetime,
) -> MentoringPair:
    """Pair the target's request with the mentor, if every rule still allows it.

    The target comes from `lock_request` or `lock_offer`, so the request is locked first, then
    the mentor's profile (by `mentor_standing`): the same order everywhere.
    """
    request, organisation, offer = target.request, target.organisation, target.offer
    if offer is not None and offer.status != OfferStatus.PENDING:
        raise RequestUnavailable(offer_problem(offer, request))
    if not request.status.is_live:
        raise RequestUnavailable(request_problem(request))
    if request.status == RequestStatus.AWAITING_MENTOR and offer is None:
        pending = await _pending_offer(session, request.id)
        if pending is not None and origin == PairOrigin.MENTOR_TOOK:
            raise RequestUnavailable(RequestProblem.AWAITING_MENTOR)
    standing = await mentor_standing(session, request, mentor_id)
    if standing is None:
        raise RequestUnavailable(RequestProblem.NOT_ELIGIBLE)
    settings = ProgrammeSettings.of(organisation)
    capacity = capacity_of(standing.profile, settings)
    if standing.load >= capacity:
        raise RequestUnavailable(RequestProblem.NO_PLACE)
    if not standing.eligible(local_date(now, organisation.timezone)):
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
        score=standing.fit(request, target.mentee_profile, capacity).score,
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
    profiles = {mentor_id: standing.profile}
    if target.mentee_profile is not None:
        profiles[request.mentee_id] = target.mentee_profile
    if starts_now:
        await announce_start(session, pair, now, profiles=profiles)
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
        # A request has at most one pending offer: an offer is only made to a request that is
        # not awaiting a mentor, under the request's lock (`RequestService.choose`), and it
        # then awaits one. So the accepted offer was the only one.
        return
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


async def announce_start(
    session: AsyncSession,
    pair: MentoringPair,
    now: datetime,
    *,
    profiles: Mapping[int, Profile] | None = None,
) -> None:
    """Both sides get an introduction: who the other is, how to reach them, what comes next.
    `profiles` (by person) saves reading them when the caller has both sides' already."""
    mentor = await session.get(Person, pair.mentor_id)
    mentee = await session.get(Person, pair.mentee_id)
    if mentor is None or mentee is None:
        raise StaleAction
    if profiles is None or len(profiles) < 2:
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
    introductions = []
    for viewer, other, as_role in ((mentee, mentor, "mentee"), (mentor, mentee, "mentor")):
        profile = profiles.get(other.id)
        payload = {
            "role": as_role,
            "other": _contact(other, accounts.get(other.id, {})),
            "subjects": list(profile.subjects) if profile else [],
            "experience_years": profile.experience_years if profile else None,
            "group_size": group_size,
        }
        introductions.append(
            notify.Message(viewer.id, "pair_started", str(pair.id), now, payload, about=other.id)
        )
    await notify.many(session, introductions, now)


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
