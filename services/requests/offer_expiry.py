"""The scheduled side of offers: the half-time reminder to the mentor, and expiry, after which
the request goes back to the mentee with the next suggestion."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MentoringRequest, OfferStatus, RequestOffer, RequestStatus
from services.core import audit
from services.core.clock import Clock
from services.core.errors import StaleAction
from services.core.lookups import timezone_of
from services.core.transactions import Transactions
from services.outbox import notify
from services.requests.offer_routing import reopen_after_failed_offer

# Offers handled per transaction, so a backlog does not hold one long lock.
DUE_BATCH = 100


async def process_due_offers(transactions: Transactions, now: datetime) -> tuple[int, int]:
    """Half-time reminders and expiries of unanswered offers. Returns (reminded, expired)."""
    reminded = expired = 0
    async with transactions.write() as session:
        due = (
            await session.scalars(
                select(RequestOffer)
                .where(
                    RequestOffer.status == OfferStatus.PENDING,
                    RequestOffer.reminded_at.is_(None),
                    RequestOffer.remind_at <= now,
                    RequestOffer.expires_at > now,
                )
                .limit(DUE_BATCH)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for offer in due:
            offer.reminded_at = now
            await notify.person(
                session,
                offer.mentor_id,
                "offer_reminder",
                str(offer.id),
                now,
                offer_id=offer.id,
                answer_by=offer.expires_at.isoformat(),
                timezone=await timezone_of(session, await _org_of(session, offer)),
            )
            reminded += 1
    last_id = 0
    while True:
        async with transactions.write() as session:
            batch = (
                await session.scalars(
                    select(RequestOffer)
                    .where(
                        RequestOffer.status == OfferStatus.PENDING,
                        RequestOffer.expires_at <= now,
                        RequestOffer.id > last_id,
                    )
                    .order_by(RequestOffer.id)
                    .limit(DUE_BATCH)
                )
            ).all()
            for offer in batch:
                last_id = offer.id
                # The request is locked before its offer, in the order create_pair and
                # decline use: taking the offer first could deadlock with a mentor accepting
                # it at this very moment. A request someone else holds waits for the next tick.
                request = await session.get(
                    MentoringRequest, offer.request_id, with_for_update={"skip_locked": True}
                )
                if request is None:
                    continue
                await session.refresh(offer, with_for_update=True)
                if offer.status != OfferStatus.PENDING:
                    continue
                offer.status = OfferStatus.EXPIRED
                offer.decided_at = now
                if request.status != RequestStatus.AWAITING_MENTOR:
                    continue
                audit.record(
                    session,
                    at=now,
                    action="request.offer_expired",
                    actor_id=None,
                    organisation_id=request.organisation_id,
                    target_person_id=request.mentee_id,
                    request_id=request.id,
                    offer_id=offer.id,
                    mentor_id=offer.mentor_id,
                )
                await notify.person(session, offer.mentor_id, "offer_expired", str(offer.id), now)
                await reopen_after_failed_offer(session, request, offer, now)
                expired += 1
        if len(batch) < DUE_BATCH:
            return reminded, expired


async def _org_of(session: AsyncSession, offer: RequestOffer) -> int:
    request = await session.get(MentoringRequest, offer.request_id)
    if request is None:
        raise StaleAction
    return request.organisation_id


class OfferExpiryService:
    """Run by the scheduler every minute; tests call it after moving the fake clock."""

    def __init__(self, transactions: Transactions, clock: Clock) -> None:
        self._transactions = transactions
        self._clock = clock

    async def process_due(self) -> tuple[int, int]:
        """Half-time reminders and expiries of unanswered offers. Returns (reminded, expired)."""
        return await process_due_offers(self._transactions, self._clock.now())
