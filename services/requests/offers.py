"""Requests put to mentors: the mentor's answer to an offer, mentors taking open requests
themselves, and curators assigning by hand. Making an offer and what follows a failed one live in
`services/offer_routing.py`, reminders and expiry in `services/offer_expiry.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    DeclineReason,
    MentoringRequest,
    OfferStatus,
    PairingBlock,
    PairOrigin,
    Person,
    Profile,
    RequestOffer,
    RequestStatus,
)
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import NotAllowed, RequestUnavailable, StaleAction
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.text import normalise_text
from services.core.transactions import Transactions
from services.matching.candidates import (
    MentorCandidate,
    live_loads,
    rank_for_requests,
)
from services.matching.score import Fit, Reason
from services.organisations.timezones import local_date
from services.pairs.creation import create_pair, lock_offer, lock_request, offer_problem
from services.requests.brief import RequestBrief, request_brief
from services.requests.offer_routing import reopen_after_failed_offer

COMMENT_MAX = 500


@dataclass(frozen=True, slots=True)
class PairResult:
    pair_id: int
    mentee_id: int
    mentor_id: int
    other_name: str  # the mentee's name for a mentor, the mentor's for a curator
    pending_order: bool


class OfferService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
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
            organisation = await organisation_of(session, request.organisation_id)
            candidate = MentorCandidate(
                person_id=actor_id,
                full_name="",
                subjects=(),
                experience_years=0,
                free_places=0,
                fit=_stored_fit(offer),
            )
            return await request_brief(session, request, candidate, offer, organisation.timezone)

    async def accept(
        self, actor_id: int, offer_id: int, *, close_intake: bool = False
    ) -> PairResult:
        """The mentor accepts; with `close_intake` they take no more mentees after this one."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            target = await lock_offer(session, offer_id)
            if target is None or target.offer is None:
                raise StaleAction
            if target.offer.mentor_id != actor_id:
                raise NotAllowed
            pair = await create_pair(
                session,
                target,
                mentor_id=actor_id,
                origin=PairOrigin.MENTOR_ACCEPTED,
                actor_id=actor_id,
                now=now,
            )
            if close_intake:
                await _close_intake(session, actor_id, pair.organisation_id, now)
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
            comment = normalise_text(comment)[:COMMENT_MAX].rstrip() or None
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
                organisation = await organisation_of(session, profile.organisation_id)
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
                            await request_brief(
                                session, request, ranked[request.id][0], None, organisation.timezone
                            )
                        )
            briefs.sort(key=lambda brief: (-brief.score, brief.created_at))
            return briefs

    async def take(self, actor_id: int, request_id: int) -> PairResult:
        """A mentor takes an open request from /requests."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            target = await lock_request(session, request_id)
            if target is None:
                raise StaleAction
            pair = await create_pair(
                session,
                target,
                mentor_id=actor_id,
                origin=PairOrigin.MENTOR_TOOK,
                actor_id=actor_id,
                now=now,
            )
            return await _result(session, pair.id, pair.mentee_id, actor_id, pair.status.value)

    async def assign(self, actor_id: int, request_id: int, mentor_id: int) -> PairResult:
        """The curator pairs a request with a mentor by hand (a pending offer is cancelled)."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            target = await lock_request(session, request_id)
            if target is None:
                raise StaleAction
            actor.require_curator(target.request.organisation_id)
            pair = await create_pair(
                session,
                target,
                mentor_id=mentor_id,
                origin=PairOrigin.CURATOR_ASSIGNED,
                actor_id=actor_id,
                now=now,
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
