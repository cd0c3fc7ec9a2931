"""The curator's side of requests: every live request of the organisation (/requests), one
request in full, and the mentees a curator may file a request for (/request_for)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from models import (
    MentoringRequest,
    Person,
    PersonStatus,
    Profile,
    ProfileRole,
)
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import StaleAction
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.transactions import Transactions
from services.matching.candidates import consented
from services.requests.filing import LIVE_REQUEST_STATUSES, RequestView, request_view

CURATOR_PAGE_SIZE = 10


@dataclass(frozen=True, slots=True)
class CuratorRequestRow:
    view: RequestView
    age_days: int


@dataclass(frozen=True, slots=True)
class CuratorRequestPage:
    """A page of the curator's list of live requests."""

    organisation_id: int
    organisation_name: str
    timezone: str
    rows: list[CuratorRequestRow]
    page: int
    pages: int
    total: int


class CuratorRequestService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def mentees_without_request(
        self, actor_id: int, organisation_id: int
    ) -> list[tuple[int, str]]:
        """Mentees of the organisation a curator may file a request for: (person id, name)."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            rows = await session.execute(
                select(Person.id, Person.full_name)
                .join(Profile, Profile.person_id == Person.id)
                .where(
                    Profile.organisation_id == organisation_id,
                    Profile.role.in_((ProfileRole.MENTEE, ProfileRole.BOTH)),
                    Person.status != PersonStatus.WITHDRAWN,
                )
                .order_by(Person.full_name)
            )
            people = list(rows)
            agreed = await consented(session, organisation_id, [pid for pid, _name in people])
            busy = set(
                (
                    await session.scalars(
                        select(MentoringRequest.mentee_id).where(
                            MentoringRequest.organisation_id == organisation_id,
                            MentoringRequest.status.in_(LIVE_REQUEST_STATUSES),
                        )
                    )
                ).all()
            )
            return [
                (person_id, name or "")
                for person_id, name in people
                if person_id in agreed and person_id not in busy
            ]

    async def open_requests(
        self, actor_id: int, organisation_id: int, page: int = 0
    ) -> CuratorRequestPage:
        """The curator's /requests: every live request of the organisation, oldest first."""
        now = self._clock.now()
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            live = (
                MentoringRequest.organisation_id == organisation_id,
                MentoringRequest.status.in_(LIVE_REQUEST_STATUSES),
            )
            total = (
                await session.scalar(
                    select(func.count()).select_from(MentoringRequest).where(*live)
                )
                or 0
            )
            pages = max(1, -(-total // CURATOR_PAGE_SIZE))
            page = min(max(page, 0), pages - 1)
            requests = await session.scalars(
                select(MentoringRequest)
                .where(*live)
                .order_by(MentoringRequest.created_at, MentoringRequest.id)
                .offset(page * CURATOR_PAGE_SIZE)
                .limit(CURATOR_PAGE_SIZE)
            )
            rows = [
                CuratorRequestRow(
                    view=await request_view(session, request),
                    age_days=max((now - request.created_at).days, 0),
                )
                for request in requests.all()
            ]
            return CuratorRequestPage(
                organisation_id=organisation.id,
                organisation_name=organisation.name,
                timezone=organisation.timezone,
                rows=rows,
                page=page,
                pages=pages,
                total=total,
            )

    async def request_for_curator(self, actor_id: int, request_id: int) -> RequestView:
        """One request in full (any status) for a curator of its organisation."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            request = await session.get(MentoringRequest, request_id)
            if request is None:
                raise StaleAction
            actor.require_curator(request.organisation_id)
            return await request_view(session, request)
