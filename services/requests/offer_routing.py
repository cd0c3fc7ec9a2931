"""Where a request goes: put to one mentor (an offer), back to the mentee with the next suggestion
when an offer comes to nothing, and to the curators when nobody can or will take it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MentoringRequest, OfferStatus, Person, RequestOffer, RequestStatus
from services.core import audit
from services.core.errors import RequestProblem, RequestUnavailable
from services.core.lookups import organisation_of
from services.core.names import short_name
from services.matching.candidates import rank_mentors
from services.organisations.programme import ProgrammeSettings
from services.organisations.timezones import local_date
from services.outbox import notify
from services.requests.brief import brief_payload, reason_data, request_brief

# Two offers that came to nothing (declined or expired) bring the curator in.
FAILED_OFFERS_ALERT = 2


async def make_offer(
    session: AsyncSession,
    request: MentoringRequest,
    mentor_id: int,
    *,
    offered_by_id: int,
    now: datetime,
) -> RequestOffer:
    """Put an open request to one mentor (who must pass every hard filter) and tell them."""
    organisation = await organisation_of(session, request.organisation_id)
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
        reasons=reason_data(ranked[0].fit.top_reasons()),
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
    brief = await request_brief(session, request, ranked[0], offer, organisation.timezone)
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
    organisation = await organisation_of(session, request.organisation_id)
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
        next_reasons=reason_data(following.fit.top_reasons()) if following else [],
        curator_alerted=following is None or request.failed_offers >= FAILED_OFFERS_ALERT,
    )
    if following is None:
        await alert_curators(session, request, now, why="no_mentor")
    elif request.failed_offers >= FAILED_OFFERS_ALERT:
        await alert_curators(session, request, now, why="failed_offers")
