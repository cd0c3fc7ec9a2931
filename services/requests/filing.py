"""Mentees' requests: filing (by the mentee or a curator), editing, withdrawing, choosing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    MentoringRequest,
    OfferStatus,
    Organisation,
    Person,
    Profile,
    ProfileRole,
    RequestOffer,
    RequestStatus,
)
from services.core import audit
from services.core.access import Actor, load_actor
from services.core.clock import Clock
from services.core.errors import NotAllowed, RequestProblem, RequestUnavailable, StaleAction
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.names import short_name
from services.core.transactions import Transactions
from services.matching.candidates import MentorCandidate, consented, rank_mentors
from services.matching.score import Reason
from services.organisations.timezones import local_date
from services.outbox import notify
from services.requests.draft import DIFFICULTY_MAX, HOPES_MAX, RequestDraft, clean_request_text
from services.requests.offer_routing import alert_curators, make_offer

SUGGESTIONS = 3
LIVE_REQUEST_STATUSES = (RequestStatus.OPEN, RequestStatus.AWAITING_MENTOR)


@dataclass(frozen=True, slots=True)
class Suggestion:
    mentor_id: int
    name: str  # "Анна Иванова"
    full_name: str
    subjects: tuple[str, ...]
    experience_years: int
    score: int
    reasons: tuple[Reason, ...]
    free_places: int


@dataclass(frozen=True, slots=True)
class RequestView:
    id: int
    organisation_id: int
    timezone: str
    mentee_id: int
    mentee_name: str
    status: RequestStatus
    draft: RequestDraft
    created_at: datetime
    left_to_curator: bool
    failed_offers: int
    filed_by_curator: bool
    mentor_name: str | None  # the mentor deciding now, if any
    offer_expires_at: datetime | None


def suggestion(candidate: MentorCandidate) -> Suggestion:
    return Suggestion(
        mentor_id=candidate.person_id,
        name=short_name(candidate.full_name),
        full_name=candidate.full_name,
        subjects=candidate.subjects,
        experience_years=candidate.experience_years,
        score=candidate.fit.score,
        reasons=candidate.fit.top_reasons(),
        free_places=candidate.free_places,
    )


def draft_of(request: MentoringRequest) -> RequestDraft:
    return RequestDraft(
        topics=tuple(request.topics),
        difficulty=request.difficulty,
        hopes=request.hopes,
        meeting_format=request.meeting_format,
        mentoring_type=request.mentoring_type,
        group_ok=request.group_ok,
        urgency=request.urgency,
    )


async def request_view(session: AsyncSession, request: MentoringRequest) -> RequestView:
    organisation = await session.get(Organisation, request.organisation_id)
    mentee = await session.get(Person, request.mentee_id)
    if organisation is None or mentee is None:
        raise StaleAction
    offer = await session.scalar(
        select(RequestOffer).where(
            RequestOffer.request_id == request.id, RequestOffer.status == OfferStatus.PENDING
        )
    )
    mentor = await session.get(Person, offer.mentor_id) if offer else None
    return RequestView(
        id=request.id,
        organisation_id=request.organisation_id,
        timezone=organisation.timezone,
        mentee_id=request.mentee_id,
        mentee_name=mentee.full_name or "",
        status=request.status,
        draft=draft_of(request),
        created_at=request.created_at,
        left_to_curator=request.left_to_curator,
        failed_offers=request.failed_offers,
        filed_by_curator=request.filed_by_id not in (None, request.mentee_id),
        mentor_name=short_name(mentor.full_name) if mentor else None,
        offer_expires_at=offer.expires_at if offer else None,
    )


async def mentee_profile(session: AsyncSession, person_id: int) -> Profile:
    """The person's mentee profile in an organisation where their consent is current."""
    profiles = (
        await session.scalars(
            select(Profile)
            .where(
                Profile.person_id == person_id,
                Profile.role.in_((ProfileRole.MENTEE, ProfileRole.BOTH)),
            )
            .order_by(Profile.id)
        )
    ).all()
    for profile in profiles:
        if person_id in await consented(session, profile.organisation_id, [person_id]):
            return profile
    raise RequestUnavailable(RequestProblem.NOT_A_MENTEE)


async def live_request_of(session: AsyncSession, mentee_id: int) -> MentoringRequest | None:
    return await session.scalar(
        select(MentoringRequest).where(
            MentoringRequest.mentee_id == mentee_id,
            MentoringRequest.status.in_(LIVE_REQUEST_STATUSES),
        )
    )


def _may_manage(actor: Actor, request: MentoringRequest) -> None:
    """The mentee themself, or a curator of the organisation (who may file by interview)."""
    if actor.person_id == request.mentee_id:
        return
    actor.require_curator(request.organisation_id)


class RequestService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def current(self, actor_id: int) -> RequestView | None:
        """The mentee's live request, if any."""
        async with self._transactions.read() as session:
            request = await live_request_of(session, actor_id)
            return await request_view(session, request) if request else None

    async def check_can_request(self, actor_id: int) -> None:
        """Raises unless the person may start a new request now (before the form is shown)."""
        async with self._transactions.read() as session:
            await mentee_profile(session, actor_id)
            if await live_request_of(session, actor_id) is not None:
                raise RequestUnavailable(RequestProblem.ALREADY_OPEN)

    async def submit(
        self, actor_id: int, draft: RequestDraft, *, mentee_id: int | None = None
    ) -> RequestView:
        """File a request: by the mentee, or by a curator for `mentee_id` (after an interview)."""
        draft = _cleaned(draft)
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            mentee_id = actor_id if mentee_id is None else mentee_id
            profile = await mentee_profile(session, mentee_id)
            if mentee_id != actor_id:
                actor.require_curator(profile.organisation_id)
            if await live_request_of(session, mentee_id) is not None:
                raise RequestUnavailable(RequestProblem.ALREADY_OPEN)
            assert draft.meeting_format
            assert draft.mentoring_type
            assert draft.urgency
            request = MentoringRequest(
                organisation_id=profile.organisation_id,
                mentee_id=mentee_id,
                filed_by_id=actor_id,
                topics=list(draft.topics),
                difficulty=draft.difficulty,
                hopes=draft.hopes,
                meeting_format=draft.meeting_format,
                mentoring_type=draft.mentoring_type,
                group_ok=bool(draft.group_ok),
                urgency=draft.urgency,
                status=RequestStatus.OPEN,
                created_at=now,
                updated_at=now,
            )
            session.add(request)
            await session.flush()
            audit.record(
                session,
                at=now,
                action="request.filed",
                actor_id=actor_id,
                organisation_id=request.organisation_id,
                target_person_id=mentee_id,
                request_id=request.id,
                on_behalf=mentee_id != actor_id,
            )
            organisation = await organisation_of(session, request.organisation_id)
            today = local_date(now, organisation.timezone)
            if not await rank_mentors(session, request, organisation, today):
                await alert_curators(session, request, now, why="no_mentor")
            if mentee_id != actor_id:
                await notify.person(
                    session, mentee_id, "request_filed_for_you", str(request.id), now
                )
            return await request_view(session, request)

    async def update(self, actor_id: int, request_id: int, draft: RequestDraft) -> RequestView:
        draft = _cleaned(draft)
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            # Locked like choose() and create_pair(): a mentor accepting at this moment must not
            # have the request changed (or withdrawn, below) under the new pair.
            request = await _live(session, request_id, lock=True)
            _may_manage(actor, request)
            assert draft.meeting_format
            assert draft.mentoring_type
            assert draft.urgency
            request.topics = list(draft.topics)
            request.difficulty = draft.difficulty
            request.hopes = draft.hopes
            request.meeting_format = draft.meeting_format
            request.mentoring_type = draft.mentoring_type
            request.group_ok = bool(draft.group_ok)
            request.urgency = draft.urgency
            request.updated_at = now
            audit.record(
                session,
                at=now,
                action="request.edited",
                actor_id=actor_id,
                organisation_id=request.organisation_id,
                target_person_id=request.mentee_id,
                request_id=request.id,
            )
            return await request_view(session, request)

    async def withdraw(self, actor_id: int, request_id: int) -> None:
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            request = await _live(session, request_id, lock=True)
            _may_manage(actor, request)
            request.status = RequestStatus.WITHDRAWN
            request.closed_at = now
            request.updated_at = now
            await cancel_pending_offer(session, request.id, now)
            audit.record(
                session,
                at=now,
                action="request.withdrawn",
                actor_id=actor_id,
                organisation_id=request.organisation_id,
                target_person_id=request.mentee_id,
                request_id=request.id,
            )

    async def suggestions(
        self, actor_id: int, request_id: int, limit: int = SUGGESTIONS
    ) -> list[Suggestion]:
        """The best-fitting mentors who may take the request (the mentee's or a curator's view)."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            request = await _live(session, request_id)
            _may_manage(actor, request)
            organisation = await organisation_of(session, request.organisation_id)
            today = local_date(self._clock.now(), organisation.timezone)
            ranked = await rank_mentors(session, request, organisation, today)
            return [suggestion(candidate) for candidate in ranked[:limit]]

    async def choose(self, actor_id: int, request_id: int, mentor_id: int) -> str:
        """The mentee picks a suggested mentor: the request goes to them. Returns their name."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            request = await _live(session, request_id, lock=True)
            if request.mentee_id != actor_id:
                raise NotAllowed
            if request.status == RequestStatus.AWAITING_MENTOR:
                raise RequestUnavailable(RequestProblem.AWAITING_MENTOR)
            offer = await make_offer(session, request, mentor_id, offered_by_id=actor_id, now=now)
            mentor = await session.get(Person, offer.mentor_id)
            return short_name(mentor.full_name if mentor else "")

    async def leave_to_curator(self, actor_id: int, request_id: int) -> None:
        now = self._clock.now()
        async with self._transactions.write() as session:
            request = await _live(session, request_id, lock=True)
            if request.mentee_id != actor_id:
                raise NotAllowed
            if request.left_to_curator:
                return
            request.left_to_curator = True
            request.updated_at = now
            await alert_curators(session, request, now, why="left_to_curator")


def _cleaned(draft: RequestDraft) -> RequestDraft:
    draft.validate()
    assert draft.difficulty is not None
    assert draft.hopes is not None
    return draft.with_changes(
        topics=tuple(dict.fromkeys(draft.topics)),
        difficulty=clean_request_text(draft.difficulty, "difficulty", DIFFICULTY_MAX),
        hopes=clean_request_text(draft.hopes, "hopes", HOPES_MAX),
    )


async def _live(session: AsyncSession, request_id: int, *, lock: bool = False) -> MentoringRequest:
    request = await session.get(MentoringRequest, request_id, with_for_update=lock)
    if request is None:
        raise StaleAction
    if not request.status.is_live:
        if request.status == RequestStatus.MATCHED:
            raise RequestUnavailable(RequestProblem.TAKEN)
        raise RequestUnavailable(RequestProblem.WITHDRAWN)
    return request


async def cancel_pending_offer(session: AsyncSession, request_id: int, now: datetime) -> None:
    offer = await session.scalar(
        select(RequestOffer).where(
            RequestOffer.request_id == request_id, RequestOffer.status == OfferStatus.PENDING
        )
    )
    if offer is None:
        return
    offer.status = OfferStatus.CANCELLED
    offer.decided_at = now
    await notify.person(session, offer.mentor_id, "offer_cancelled", str(offer.id), now)
