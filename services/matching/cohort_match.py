"""/match: the whole cohort of open requests matched at once, as a draft the curator reviews.

The draft is computed, shown and edited without touching the database; only approval creates
pairs, each through `create_pair`, so capacity is re-checked line by line at that moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from models import MentoringRequest, PairOrigin, Person, RequestStatus
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import RequestProblem, RequestUnavailable, StaleAction
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.names import short_name
from services.core.transactions import Transactions
from services.matching.candidates import MentorCandidate, rank_for_requests
from services.matching.cohort import Candidate, Objective, assign
from services.matching.score import Reason
from services.organisations.timezones import local_date
from services.pairs.creation import create_pair, lock_request

# A curator's edit of one line: the mentor they chose, or None to leave the request unmatched.
Edits = Mapping[int, int | None]


@dataclass(frozen=True, slots=True)
class DraftLine:
    request_id: int
    mentee_name: str
    mentor_id: int | None
    mentor_name: str | None
    score: int | None
    reasons: tuple[Reason, ...]
    edited: bool


@dataclass(frozen=True, slots=True)
class MatchDraft:
    organisation_id: int
    objective: Objective
    lines: tuple[DraftLine, ...]

    @property
    def assignment(self) -> dict[int, int]:
        return {
            line.request_id: line.mentor_id for line in self.lines if line.mentor_id is not None
        }

    @property
    def total_score(self) -> int:
        return sum(line.score or 0 for line in self.lines)

    @property
    def matched(self) -> int:
        return len(self.assignment)


@dataclass(frozen=True, slots=True)
class ApprovalResult:
    created: tuple[int, ...]  # pair ids
    skipped: tuple[tuple[str, RequestProblem], ...]  # (mentee name, why)


class CohortMatchService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def draft(
        self,
        actor_id: int,
        organisation_id: int,
        objective: Objective = Objective.BEST_FIT,
        edits: Edits | None = None,
    ) -> MatchDraft:
        """The optimal assignment of every open request (nobody asked yet) to mentors with free
        places, keeping the curator's edits fixed."""
        edits = dict(edits or {})
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            today = local_date(self._clock.now(), organisation.timezone)
            requests = (
                await session.scalars(
                    select(MentoringRequest)
                    .where(
                        MentoringRequest.organisation_id == organisation_id,
                        MentoringRequest.status == RequestStatus.OPEN,
                    )
                    .order_by(MentoringRequest.created_at, MentoringRequest.id)
                )
            ).all()
            by_request = await rank_for_requests(session, requests, organisation, today)
            mentees = {
                person.id: person.full_name or ""
                for person in await session.scalars(
                    select(Person).where(Person.id.in_([r.mentee_id for r in requests]))
                )
            }
        ranked: dict[int, dict[int, MentorCandidate]] = {}
        free: dict[int, int] = {}
        names: dict[int, str] = {}
        for request in requests:
            candidates = by_request[request.id]
            ranked[request.id] = {c.person_id: c for c in candidates}
            for candidate in candidates:
                free[candidate.person_id] = candidate.free_places
                names[candidate.person_id] = short_name(candidate.full_name)
            names[-request.id] = mentees.get(request.mentee_id, "")
        fixed = {
            request_id: mentor_id
            for request_id, mentor_id in edits.items()
            if request_id in ranked and (mentor_id is None or mentor_id in ranked[request_id])
        }
        for mentor_id in fixed.values():
            if mentor_id is not None:
                free[mentor_id] = free.get(mentor_id, 0) - 1
        solved = assign(
            [
                Candidate(request_id, mentor_id, candidate.fit.score)
                for request_id, options in ranked.items()
                if request_id not in fixed
                for mentor_id, candidate in options.items()
            ],
            {mentor_id: places for mentor_id, places in free.items() if places > 0},
            objective,
        )
        chosen: dict[int, int | None] = {**solved, **fixed}
        lines = []
        for request in requests:
            mentor_id = chosen.get(request.id)
            picked = ranked[request.id].get(mentor_id) if mentor_id is not None else None
            lines.append(
                DraftLine(
                    request_id=request.id,
                    mentee_name=names[-request.id],
                    mentor_id=mentor_id if picked else None,
                    mentor_name=names.get(mentor_id) if picked and mentor_id else None,
                    score=picked.fit.score if picked else None,
                    reasons=picked.fit.top_reasons() if picked else (),
                    edited=request.id in fixed,
                )
            )
        return MatchDraft(organisation_id, objective, tuple(lines))

    async def approve(
        self, actor_id: int, organisation_id: int, assignment: Mapping[int, int]
    ) -> ApprovalResult:
        """Create the reviewed pairs, each in its own transaction; lines that no longer fit
        (a mentor filled up, a request was withdrawn meanwhile) are skipped and reported."""
        created: list[int] = []
        skipped: list[tuple[str, RequestProblem]] = []
        for request_id, mentor_id in assignment.items():
            now = self._clock.now()
            try:
                async with self._transactions.write() as session:
                    actor = await load_actor(session, actor_id, self._superadmins)
                    actor.require_curator(organisation_id)
                    target = await lock_request(session, request_id)
                    if target is None or target.request.organisation_id != organisation_id:
                        raise StaleAction
                    pair = await create_pair(
                        session,
                        target,
                        mentor_id=mentor_id,
                        origin=PairOrigin.COHORT_MATCH,
                        actor_id=actor_id,
                        now=now,
                    )
                    created.append(pair.id)
            except RequestUnavailable as error:
                skipped.append((await self._mentee_name(request_id), error.problem))
        return ApprovalResult(tuple(created), tuple(skipped))

    async def _mentee_name(self, request_id: int) -> str:
        async with self._transactions.read() as session:
            request = await session.get(MentoringRequest, request_id)
            mentee = await session.get(Person, request.mentee_id) if request else None
            return mentee.full_name if mentee and mentee.full_name else ""
