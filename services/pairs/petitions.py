"""Petitions about a pair: a mentee's ходатайство о замене наставника and a mentor's заявление о
сложении обязанностей наставника. The curator decides; on approval the pair ends, the two are
never suggested to each other again, and the mentee's search goes on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ChangeReason,
    MentoringPair,
    MentoringRequest,
    PairingBlock,
    PairPetition,
    PairStatus,
    Person,
    PersonStatus,
    PetitionKind,
    PetitionStatus,
    RequestStatus,
)
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import NotAllowed, RequestProblem, RequestUnavailable, StaleAction
from services.core.identity import AccountKey
from services.core.transactions import Transactions
from services.outbox import notify
from services.pairs.changes import end_pair, tell_pair
from services.pairs.views import names, pending_petitions
from services.requests.filing import live_request_of
from services.rhythm.cycles import stop_rhythm


@dataclass(frozen=True, slots=True)
class PetitionFiled:
    petition_id: int
    pair_id: int
    kind: PetitionKind
    other_name: str
    curators_told: int


@dataclass(frozen=True, slots=True)
class PetitionDraft:
    """What the person may file about the pair, before they choose the reason."""

    pair_id: int
    kind: PetitionKind
    other_name: str


@dataclass(frozen=True, slots=True)
class PetitionOutcome:
    petition_id: int
    pair_id: int
    kind: PetitionKind
    status: PetitionStatus  # the petition's status now
    already_decided: bool  # decided before this press: nothing was changed
    mentor_name: str
    mentee_name: str
    request_reopened: bool


def _kind_for(pair: MentoringPair, person_id: int) -> PetitionKind:
    """A mentee asks for another mentor, a mentor asks to be relieved; nobody else files."""
    if person_id == pair.mentee_id:
        return PetitionKind.REPLACE_MENTOR
    if person_id == pair.mentor_id:
        return PetitionKind.RELIEVE_MENTOR
    raise NotAllowed


async def _open_pair(session: AsyncSession, person_id: int, pair_id: int) -> MentoringPair:
    pair = await session.get(MentoringPair, pair_id, with_for_update=True)
    if pair is None:
        raise StaleAction
    _kind_for(pair, person_id)
    if not pair.status.is_live:
        raise RequestUnavailable(RequestProblem.PAIR_ENDED)
    if await pending_petitions(session, [pair.id]):
        raise RequestUnavailable(RequestProblem.PETITION_PENDING)
    return pair


async def reopen_request(session: AsyncSession, pair: MentoringPair, now: datetime) -> bool:
    """The mentee's request from this pair is open again (a fresh start: no failed offers, not
    left to the curator) unless there is none, or the mentee already has another live one."""
    if pair.request_id is None:
        return False
    request = await session.get(MentoringRequest, pair.request_id, with_for_update=True)
    mentee = await session.get(Person, pair.mentee_id)
    if request is None or request.status != RequestStatus.MATCHED:
        return False
    if mentee is None or mentee.status == PersonStatus.WITHDRAWN:
        return False
    if await live_request_of(session, pair.mentee_id) is not None:
        return False
    request.status = RequestStatus.OPEN
    request.failed_offers = 0
    request.left_to_curator = False
    request.curator_alerted_at = None
    request.closed_at = None
    request.updated_at = now
    audit.record(
        session,
        at=now,
        action="request.reopened",
        actor_id=None,
        organisation_id=request.organisation_id,
        target_person_id=request.mentee_id,
        request_id=request.id,
        pair_id=pair.id,
    )
    return True


async def block_pairing(session: AsyncSession, pair: MentoringPair, now: datetime) -> None:
    """ "Don't pair us again": this mentor is never suggested to this mentee."""
    exists = await session.scalar(
        select(PairingBlock.id).where(
            PairingBlock.mentee_id == pair.mentee_id, PairingBlock.mentor_id == pair.mentor_id
        )
    )
    if exists is None:
        session.add(
            PairingBlock(mentee_id=pair.mentee_id, mentor_id=pair.mentor_id, created_at=now)
        )


def _outcome(
    petition: PairPetition,
    pair: MentoringPair,
    people: dict[int, str],
    *,
    already: bool,
    reopened: bool = False,
) -> PetitionOutcome:
    return PetitionOutcome(
        petition_id=petition.id,
        pair_id=pair.id,
        kind=petition.kind,
        status=petition.status,
        already_decided=already,
        mentor_name=people.get(pair.mentor_id, ""),
        mentee_name=people.get(pair.mentee_id, ""),
        request_reopened=reopened,
    )


class PetitionService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def draft(self, actor_id: int, pair_id: int) -> PetitionDraft:
        """What this person may file about the pair (checked before the reasons are shown)."""
        async with self._transactions.read() as session:
            pair = await _open_pair(session, actor_id, pair_id)
            other = pair.mentor_id if actor_id == pair.mentee_id else pair.mentee_id
            people = await names(session, {other})
            return PetitionDraft(pair.id, _kind_for(pair, actor_id), people.get(other, ""))

    async def file(self, actor_id: int, pair_id: int, reason: ChangeReason) -> PetitionFiled:
        """File a petition with a reason; the curators get it with Approve / Reject."""
        now = self._clock.now()
        try:
            async with self._transactions.write() as session:
                await load_actor(session, actor_id, self._superadmins)
                pair = await _open_pair(session, actor_id, pair_id)
                kind = _kind_for(pair, actor_id)
                petition = PairPetition(
                    pair_id=pair.id,
                    kind=kind,
                    status=PetitionStatus.PENDING,
                    requested_by_id=actor_id,
                    reason=reason,
                    created_at=now,
                )
                session.add(petition)
                await session.flush()
                audit.record(
                    session,
                    at=now,
                    action="petition.filed",
                    actor_id=actor_id,
                    organisation_id=pair.organisation_id,
                    target_person_id=pair.mentee_id,
                    pair_id=pair.id,
                    petition_id=petition.id,
                    kind=kind.value,
                    reason=reason.value,
                )
                people = await names(session, {pair.mentor_id, pair.mentee_id})
                told = await notify.curators(
                    session,
                    pair.organisation_id,
                    "petition_filed",
                    str(petition.id),
                    now,
                    about=actor_id,
                    petition_id=petition.id,
                    pair_id=pair.id,
                    petition_kind=kind.value,
                    reason=reason.value,
                    mentor_name=people.get(pair.mentor_id, ""),
                    mentee_name=people.get(pair.mentee_id, ""),
                )
                other = pair.mentor_id if actor_id == pair.mentee_id else pair.mentee_id
                return PetitionFiled(petition.id, pair.id, kind, people.get(other, ""), told)
        except IntegrityError:
            # Both people of a pair filed at the same moment: the unique index kept one.
            raise RequestUnavailable(RequestProblem.PETITION_PENDING) from None

    async def decide(self, actor_id: int, petition_id: int, *, approve: bool) -> PetitionOutcome:
        """The curator approves (the pair ends early, "don't pair us again", the mentee's request
        reopens) or rejects (the pair goes on). Deciding again changes nothing."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            petition = await session.get(PairPetition, petition_id, with_for_update=True)
            if petition is None:
                raise StaleAction
            pair = await session.get(MentoringPair, petition.pair_id, with_for_update=True)
            if pair is None:
                raise StaleAction
            actor.require_curator(pair.organisation_id)
            people = await names(session, {pair.mentor_id, pair.mentee_id})
            # A petition closed without a decider was closed by the pair ending another way.
            if petition.status != PetitionStatus.PENDING and petition.decided_by_id is not None:
                return _outcome(petition, pair, people, already=True)
            if petition.status != PetitionStatus.PENDING or not pair.status.is_live:
                raise RequestUnavailable(RequestProblem.PAIR_ENDED)
            petition.decided_by_id = actor_id
            petition.decided_at = now
            requester = (
                pair.mentee_id if petition.kind == PetitionKind.REPLACE_MENTOR else pair.mentor_id
            )
            reopened = False
            if approve:
                petition.status = PetitionStatus.APPROVED
                end_pair(pair, PairStatus.ENDED_EARLY, now, petition.reason)
                await stop_rhythm(session, pair.id)
                await block_pairing(session, pair, now)
                reopened = await reopen_request(session, pair, now)
            else:
                petition.status = PetitionStatus.REJECTED
            audit.record(
                session,
                at=now,
                action="petition.approved" if approve else "petition.rejected",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                target_person_id=pair.mentee_id,
                pair_id=pair.id,
                petition_id=petition.id,
                kind=petition.kind.value,
                reason=petition.reason.value,
            )
            if approve:
                audit.record(
                    session,
                    at=now,
                    action="pair.ended_early",
                    actor_id=actor_id,
                    organisation_id=pair.organisation_id,
                    target_person_id=pair.mentee_id,
                    pair_id=pair.id,
                    reason=petition.reason.value,
                    petition_id=petition.id,
                )
            await self._tell(session, pair, petition, requester, now, reopened=reopened)
            return _outcome(petition, pair, people, already=False, reopened=reopened)

    async def _tell(
        self,
        session: AsyncSession,
        pair: MentoringPair,
        petition: PairPetition,
        requester: int,
        now: datetime,
        *,
        reopened: bool,
    ) -> None:
        """The one who asked hears the decision; on approval the other hears the pair ended."""
        approved = petition.status == PetitionStatus.APPROVED
        people = await names(session, {pair.mentor_id, pair.mentee_id})
        other = pair.mentor_id if requester == pair.mentee_id else pair.mentee_id
        await notify.person(
            session,
            requester,
            "petition_decided",
            str(petition.id),
            now,
            about=other,
            approved=approved,
            petition_kind=petition.kind.value,
            role="mentee" if requester == pair.mentee_id else "mentor",
            name=people.get(other, ""),
            request_reopened=reopened,
        )
        if approved:
            await tell_pair(
                session,
                pair,
                "pair_ended",
                str(pair.id),
                now,
                skip=requester,
                outcome="ended_early",
                via="petition",
                reason=petition.reason.value,
                request_reopened=reopened,
            )
