"""What withdrawing consent does to requests, offers and pairs (inside the withdrawal's
transaction): free texts are erased, nothing stays waiting on the person, and the people who
depended on them are told — without any of the withdrawn person's details."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ChangeReason,
    Meeting,
    MentoringPair,
    MentoringRequest,
    Notification,
    NotificationStatus,
    OfferStatus,
    PairStatus,
    PlanGoal,
    PlanTask,
    RequestOffer,
    RequestStatus,
)
from services.core import audit
from services.matching.candidates import LIVE_PAIR_STATUSES
from services.outbox import notify
from services.pairs.changes import close_pending_petitions
from services.requests.filing import LIVE_REQUEST_STATUSES, cancel_pending_offer, live_request_of
from services.requests.offer_routing import alert_curators, reopen_after_failed_offer
from services.rhythm.cycles import stop_rhythm

# Stands in for an erased title (the column may not be empty).
ERASED = "—"


async def erase_mentoring_data(session: AsyncSession, person_id: int, now: datetime) -> None:
    await _close_own_requests(session, person_id, now)
    await _release_offers_to(session, person_id, now)
    await _end_pairs(session, person_id, now)
    await _erase_pair_texts(session, person_id)
    # Whatever was said about them in messages to others goes too; unsent ones are not sent.
    await session.execute(
        update(Notification)
        .where(
            Notification.about_person_id == person_id,
            Notification.status.in_((NotificationStatus.PENDING, NotificationStatus.SENDING)),
        )
        .values(status=NotificationStatus.CANCELLED)
    )
    await session.execute(
        update(Notification).where(Notification.about_person_id == person_id).values(payload={})
    )


async def _close_own_requests(session: AsyncSession, person_id: int, now: datetime) -> None:
    requests = (
        await session.scalars(
            select(MentoringRequest).where(MentoringRequest.mentee_id == person_id)
        )
    ).all()
    for request in requests:
        if request.status in LIVE_REQUEST_STATUSES:
            await cancel_pending_offer(session, request.id, now)
            request.status = RequestStatus.CLOSED
            request.closed_at = now
        request.difficulty = None
        request.hopes = None
        request.updated_at = now


async def _release_offers_to(session: AsyncSession, person_id: int, now: datetime) -> None:
    """Requests waiting on the person as a mentor go back to their mentees."""
    await session.execute(
        update(RequestOffer).where(RequestOffer.mentor_id == person_id).values(decline_comment=None)
    )
    offers = (
        await session.scalars(
            select(RequestOffer).where(
                RequestOffer.mentor_id == person_id, RequestOffer.status == OfferStatus.PENDING
            )
        )
    ).all()
    for offer in offers:
        offer.status = OfferStatus.CANCELLED
        offer.decided_at = now
        request = await session.get(MentoringRequest, offer.request_id)
        if request is not None and request.status == RequestStatus.AWAITING_MENTOR:
            await reopen_after_failed_offer(session, request, offer, now)


async def _end_pairs(session: AsyncSession, person_id: int, now: datetime) -> None:
    pairs = (
        await session.scalars(
            select(MentoringPair).where(
                (MentoringPair.mentor_id == person_id) | (MentoringPair.mentee_id == person_id),
                MentoringPair.status.in_(LIVE_PAIR_STATUSES),
            )
        )
    ).all()
    for pair in pairs:
        pair.status = PairStatus.ENDED_EARLY
        pair.end_reason = ChangeReason.LEFT
        pair.ended_at = now
        await close_pending_petitions(session, pair.id, now)
        await stop_rhythm(session, pair.id)
        audit.record(
            session,
            at=now,
            action="pair.ended",
            actor_id=None,
            organisation_id=pair.organisation_id,
            pair_id=pair.id,
            reason="consent_withdrawn",
        )
        other = pair.mentee_id if pair.mentor_id == person_id else pair.mentor_id
        await notify.person(
            session,
            other,
            "pair_partner_left",
            str(pair.id),
            now,
            role="mentee" if other == pair.mentee_id else "mentor",
        )
        if other == pair.mentee_id:
            await _reopen_for_mentee(session, pair, now)


async def _erase_pair_texts(session: AsyncSession, person_id: int) -> None:
    """What was written in the person's pairs (meeting notes, the plan) may describe them: the
    words go; dates, kinds, scores and statuses stay for the programme's numbers."""
    pair_ids = select(MentoringPair.id).where(
        (MentoringPair.mentor_id == person_id) | (MentoringPair.mentee_id == person_id)
    )
    await session.execute(
        update(Meeting)
        .where(Meeting.pair_id.in_(pair_ids))
        .values(topic=None, note=None, next_step=None, answers={})
    )
    await session.execute(
        update(PlanGoal).where(PlanGoal.pair_id.in_(pair_ids)).values(title=ERASED)
    )
    await session.execute(
        update(PlanTask).where(PlanTask.pair_id.in_(pair_ids)).values(title=ERASED, comment=None)
    )


async def _reopen_for_mentee(session: AsyncSession, pair: MentoringPair, now: datetime) -> None:
    """A mentee whose mentor left is not dropped: their request reopens, the curator is told."""
    if pair.request_id is None or await live_request_of(session, pair.mentee_id) is not None:
        return
    request = await session.get(MentoringRequest, pair.request_id)
    if request is None or request.status != RequestStatus.MATCHED:
        return
    await session.flush()
    request.status = RequestStatus.OPEN
    request.closed_at = None
    request.failed_offers = 0
    request.left_to_curator = False
    request.updated_at = now
    await alert_curators(session, request, now, why="mentor_left")
