"""Requests put to mentors: the offer, the mentor's answer, half-time reminders and expiry;
mentors taking open requests themselves and curators assigning by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    DeclineReason,
    MentoringRequest,
    OfferStatus,
    Organisation,
    PairingBlock,
    PairOrigin,
    Person,
    Profile,
    RequestOffer,
    RequestStatus,
)
from services import audit, notify
from services.access import load_actor
from services.candidates import (
    MentorCandidate,
    live_loads,
    mentee_profile,
    rank_for_requests,
    rank_mentors,
)
from services.clock import Clock
from services.errors import NotAllowed, RequestProblem, RequestUnavailable, StaleAction
from services.matching import Fit, Reason
from services.names import first_name, short_name, without_contacts
from services.pair_creation import create_pair, offer_problem
from services.programme_settings import ProgrammeSettings
from services.timezones import local_date
from services.transactions import Transactions

COMMENT_MAX = 500
# Two offers that came to nothing (declined or expired) bring the curator in.
FAILED_OFFERS_ALERT = 2
DUE_BATCH = 100


@dataclass(frozen=True, slots=True)
class RequestBrief:
    """A request as a mentor sees it: the mentee's first name only, contacts removed."""

    request_id: int
    offer_id: int | None
    mentee_first_name: str
    subjects: tuple[str, ...]
    experience_years: int | None
    topics: tuple[str, ...]
    difficulty: str
    hopes: str
    meeting_format: str
    mentoring_type: str
    group_ok: bool
    urgency: str
    score: int
    reasons: tuple[Reason, ...]
    created_at: datetime
    expires_at: datetime | None
    timezone: str


@dataclass(frozen=True, slots=True)
class PairResult:
    pair_id: int
    mentee_id: int
    mentor_id: int
    other_name: str  # the mentee's name for a mentor, the mentor's for a curator
    pending_order: bool


def _reason_data(reasons: tuple[Reason, ...]) -> list[dict[str, object]]:
    return [{"code": reason.code, "params": dict(reason.params)} for reason in reasons]


async def _brief(
    session: AsyncSession,
    request: MentoringRequest,
    candidate: MentorCandidate,
    offer: RequestOffer | None,
    timezone: str,
) -> RequestBrief:
    mentee = await session.get(Person, request.mentee_id)
    profile = await mentee_profile(session, request)
    return RequestBrief(
        request_id=request.id,
        offer_id=offer.id if offer else None,
        mentee_first_name=first_name(mentee.full_name if mentee else None),
        subjects=tuple(profile.subjects) if profile else (),
        experience_years=profile.experience_years if profile else None,
        topics=tuple(request.topics),
        difficulty=without_contacts(request.difficulty),
        hopes=without_contacts(request.hopes),
        meeting_format=request.meeting_format.value,
        mentoring_type=request.mentoring_type.value,
        group_ok=request.group_ok,
        urgency=request.urgency.value,
        score=candidate.fit.score,
        reasons=candidate.fit.top_reasons(),
        created_at=request.created_at,
        expires_at=offer.expires_at if offer else None,
        timezone=timezone,
    )


def brief_payload(brief: RequestBrief) -> dict[str, Any]:
    return {
        "offer_id": brief.offer_id,
        "request_id": brief.request_id,
        "mentee_first_name": brief.mentee_first_name,
        "subjects": list(brief.subjects),
        "experience_years": brief.experience_years,
        "topics": list(brief.topics),
        "difficulty": brief.difficulty,
        "hopes": brief.hopes,
        "meeting_format": brief.meeting_format,
        "mentoring_type": brief.mentoring_type,
        "group_ok": brief.group_ok,
        "urgency": brief.urgency,
        "score": brief.score,
        "reasons": _reason_data(brief.reasons),
        "answer_by": brief.expires_at.isoformat() if brief.expires_at else None,
        "timezone": brief.timezone,
    }


async def _organisation(session: AsyncSession, organisation_id: int) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise StaleAction
    return organisation


async def make_offer(
    session: AsyncSession,
    request: MentoringRequest,
    mentor_id: int,
    *,
    offered_by_id: int,
    now: datetime,
) -> RequestOffer:
    """Put an open request to one mentor (who must pass every hard filter) and tell them."""
    organisation = await _organisation(session, request.organisation_id)
    today = local_date(now, organisation.timezone)
    ranked = await rank_mentors(session, request, organisation, today, only=mentor_id)
    if not ranked:
        raise RequestUnavailable(RequestProblem.NOT_ELIGIBLE)
    ttl = timedelta(hours=ProgrammeSettings.of(organisation).offer_ttl_hours)
    offer = RequestOffer(
        request_id=request.id,
        mentor_id=mentor_id,
        offered_by_id=offered_by_id,
        status=OfferStatus.PENDING,
        score=ranked[0].fit.score,
        reasons=_reason_data(ranked[0].fit.top_reasons()),
        created_at=now,
        remind_at=now + ttl / 2,
        expires_at=now + ttl,
    )
    session.add(offer)
    request.status = RequestStatus.AWAITING_MENTOR
    request.updated_at = now
    await session.flush()
    audit.record(
        session,
        at=now,
        action="request.offered",
        actor_id=offered_by_id,
        organisation_id=request.organisation_id,
        target_person_id=request.mentee_id,
        request_id=request.id,
        offer_id=offer.id,
        mentor_id=mentor_id,
        score=offer.score,
    )
    brief = await _brief(session, request, ranked[0], offer, organisation.timezone)
    await notify.person(
        session,
        mentor_id,
        "offer_received",
        str(offer.id),
        now,
        about=request.mentee_id,
        **brief_payload(brief),
    )
    return offer


async def alert_curators(
    session: AsyncSession, request: MentoringRequest, now: datetime, *, why: str
) -> None:
    """Never silence: the curators hear of a request nobody can or will take."""
    request.curator_alerted_at = now
    mentee = await session.get(Person, request.mentee_id)
    declined = await session.scalars(
        select(RequestOffer)
        .where(
            RequestOffer.request_id == request.id,
            RequestOffer.status == OfferStatus.DECLINED,
        )
        .order_by(RequestOffer.id)
    )
    await notify.curators(
        session,
        request.organisation_id,
        "request_needs_curator",
        f"{request.id}:{why}:{request.failed_offers}",
        now,
        about=request.mentee_id,
        request_id=request.id,
        why=why,
        mentee_name=mentee.full_name if mentee else "",
        failed_offers=request.failed_offers,
        # What the mentors said, so the curator can act on it (the reasons are for them).
        declines=[
            {"reason": offer.decline_reason.value, "comment": offer.decline_comment}
            for offer in declined
            if offer.decline_reason is not None
        ],
    )


async def reopen_after_failed_offer(
    session: AsyncSession, request: MentoringRequest, offer: RequestOffer, now: datetime
) -> None:
    """The offer came to nothing: the request is open again, the mentee is offered the next
    suggestion, and after two failures (or with nobody left) the curator is alerted."""
    request.status = RequestStatus.OPEN
    request.failed_offers += 1
    request.updated_at = now
    organisation = await _organisation(session, request.organisation_id)
    today = local_date(now, organisation.timezone)
    ranked = await rank_mentors(session, request, organisation, today)
    following = ranked[0] if ranked else None
    mentor = await session.get(Person, offer.mentor_id)
    await notify.person(
        session,
        request.mentee_id,
        "offer_failed",
        str(offer.id),
        now,
        about=following.person_id if following else None,
        request_id=request.id,
        outcome=offer.status.value,
        mentor_name=short_name(mentor.full_name if mentor else None),
        next_mentor_id=following.person_id if following else None,
        next_mentor_name=short_name(following.full_name) if following else None,
        next_score=following.fit.score if following else None,
        next_reasons=_reason_data(following.fit.top_reasons()) if following else [],
        curator_alerted=following is None or request.failed_offers >= FAILED_OFFERS_ALERT,
    )
    if following is None:
        await alert_curators(session, request, now, why="no_mentor")
    elif request.failed_offers >= FAILED_OFFERS_ALERT:
        await alert_curators(session, request, now, why="failed_offers")


class OfferService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[int]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def _mentor_offer(
        self, session: AsyncSession, actor_id: int, offer_id: int
    ) -> tuple[RequestOffer, MentoringRequest]:
        offer = await session.get(RequestOffer, offer_id)
        if offer is None:
            raise StaleAction
        if offer.mentor_id != actor_id:
            raise NotAllowed
        request = await session.get(MentoringRequest, offer.request_id)
        if request is None:
            raise StaleAction
        if offer.status != OfferStatus.PENDING:
            raise RequestUnavailable(offer_problem(offer, request))
        return offer, request

    async def brief(self, actor_id: int, offer_id: int) -> RequestBrief:
        """The request behind an offer, as its mentor sees it."""
        async with self._transactions.read() as session:
            offer = await session.get(RequestOffer, offer_id)
            if offer is None:
                raise StaleAction
            if offer.mentor_id != actor_id:
                raise NotAllowed
            request = await session.get(MentoringRequest, offer.request_id)
            if request is None:
                raise StaleAction
            organisation = await _organisation(session, request.organisation_id)
            candidate = MentorCandidate(
                person_id=actor_id,
                full_name="",
                subjects=(),
                experience_years=0,
                free_places=0,
                fit=_stored_fit(offer),
            )
            return await _brief(session, request, candidate, offer, organisation.timezone)

    async def accept(
        self, actor_id: int, offer_id: int, *, close_intake: bool = False
    ) -> PairResult:
        """The mentor accepts; with `close_intake` they take no more mentees after this one."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            offer, request = await self._mentor_offer(session, actor_id, offer_id)
            organisation = await _organisation(session, request.organisation_id)
            pair = await create_pair(
                session,
                request=request,
                mentor_id=actor_id,
                origin=PairOrigin.MENTOR_ACCEPTED,
                actor_id=actor_id,
                now=now,
                today=local_date(now, organisation.timezone),
                offer=offer,
            )
            if close_intake:
                await _close_intake(session, actor_id, request.organisation_id, now)
            return await _result(session, pair.id, pair.mentee_id, actor_id, pair.status.value)

    async def decline(
        self,
        actor_id: int,
        offer_id: int,
        reason: DeclineReason,
        comment: str | None = None,
    ) -> None:
        now = self._clock.now()
        if comment is not None:
            comment = " ".join(comment.split())[:COMMENT_MAX] or None
        async with self._transactions.write() as session:
            offer, request = await self._mentor_offer(session, actor_id, offer_id)
            await session.refresh(request, with_for_update=True)
            await session.refresh(offer, with_for_update=True)
            if offer.status != OfferStatus.PENDING:
                raise RequestUnavailable(offer_problem(offer, request))
            offer.status = OfferStatus.DECLINED
            offer.decided_at = now
            offer.decline_reason = reason
            offer.decline_comment = comment
            if reason == DeclineReason.CONFLICT_OF_INTEREST:
                # A conflict of interest is permanent: never suggest this pairing again.
                session.add(
                    PairingBlock(mentee_id=request.mentee_id, mentor_id=actor_id, created_at=now)
                )
            audit.record(
                session,
                at=now,
                action="request.declined",
                actor_id=actor_id,
                organisation_id=request.organisation_id,
                target_person_id=request.mentee_id,
                request_id=request.id,
                offer_id=offer.id,
                reason=reason.value,
            )
            await reopen_after_failed_offer(session, request, offer, now)

    async def open_for_mentor(self, actor_id: int) -> list[RequestBrief]:
        """Open requests (nobody asked yet) that this mentor may take, best fit first."""
        async with self._transactions.read() as session:
            profiles = (
                await session.scalars(select(Profile).where(Profile.person_id == actor_id))
            ).all()
            briefs: list[RequestBrief] = []
            for profile in profiles:
                if not profile.role.mentors:
                    continue
                organisation = await _organisation(session, profile.organisation_id)
                today = local_date(self._clock.now(), organisation.timezone)
                requests = (
                    await session.scalars(
                        select(MentoringRequest)
                        .where(
                            MentoringRequest.organisation_id == profile.organisation_id,
                            MentoringRequest.status == RequestStatus.OPEN,
                        )
                        .order_by(MentoringRequest.created_at)
                    )
                ).all()
                # One ranking for the whole list: the filters' queries run once, not per request.
                ranked = await rank_for_requests(
                    session, requests, organisation, today, only=actor_id
                )
                for request in requests:
                    if ranked[request.id]:
                        briefs.append(
                            await _brief(
                                session, request, ranked[request.id][0], None, organisation.timezone
                            )
                        )
            briefs.sort(key=lambda brief: (-brief.score, brief.created_at))
            return briefs

    async def take(self, actor_id: int, request_id: int) -> PairResult:
        """A mentor takes an open request from /requests."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            request = await session.get(MentoringRequest, request_id)
            if request is None:
                raise StaleAction
            organisation = await _organisation(session, request.organisation_id)
            pair = await create_pair(
                session,
                request=request,
                mentor_id=actor_id,
                origin=PairOrigin.MENTOR_TOOK,
                actor_id=actor_id,
                now=now,
                today=local_date(now, organisation.timezone),
            )
            return await _result(session, pair.id, pair.mentee_id, actor_id, pair.status.value)

    async def assign(self, actor_id: int, request_id: int, mentor_id: int) -> PairResult:
        """The curator pairs a request with a mentor by hand (a pending offer is cancelled)."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            request = await session.get(MentoringRequest, request_id)
            if request is None:
                raise StaleAction
            actor.require_curator(request.organisation_id)
            organisation = await _organisation(session, request.organisation_id)
            pair = await create_pair(
                session,
                request=request,
                mentor_id=mentor_id,
                origin=PairOrigin.CURATOR_ASSIGNED,
                actor_id=actor_id,
                now=now,
                today=local_date(now, organisation.timezone),
            )
            return await _result(
                session, pair.id, pair.mentee_id, mentor_id, pair.status.value, name_of=mentor_id
            )


def _stored_fit(offer: RequestOffer) -> Fit:
    """The fit as it was when the offer was made (what the mentee saw when choosing)."""
    return Fit(
        score=offer.score,
        reasons=tuple(
            Reason(code=item["code"], points=0, params=dict(item.get("params") or {}))
            for item in offer.reasons
        ),
    )


async def _close_intake(
    session: AsyncSession, mentor_id: int, organisation_id: int, now: datetime
) -> None:
    """ "Accept and close my intake": capacity becomes the current number of mentees."""
    profile = await session.scalar(
        select(Profile).where(
            Profile.person_id == mentor_id, Profile.organisation_id == organisation_id
        )
    )
    if profile is None:
        return
    await session.flush()
    profile.capacity = (await live_loads(session, [mentor_id])).get(mentor_id, 0)
    profile.updated_at = now


async def _result(
    session: AsyncSession,
    pair_id: int,
    mentee_id: int,
    mentor_id: int,
    status: str,
    *,
    name_of: int | None = None,
) -> PairResult:
    other = await session.get(Person, mentee_id if name_of is None else name_of)
    return PairResult(
        pair_id=pair_id,
        mentee_id=mentee_id,
        mentor_id=mentor_id,
        other_name=other.full_name if other and other.full_name else "",
        pending_order=status == "pending_order",
    )
