"""What happens to a pair, shared by its lifecycle, petitions, cadence and erasure: finding the
actor's side, telling both people, ending it, and closing its pending petitions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from models import ChangeReason, MentoringPair, PairPetition, PairStatus, PetitionStatus
from services.core.access import Actor
from services.core.errors import StaleAction
from services.outbox import notify
from services.pairs.views import names


@dataclass(frozen=True, slots=True)
class PairChange:
    """What a pause, a resume or an ending did, for the reply to whoever did it."""

    pair_id: int
    status: PairStatus
    side: str  # who acted: "mentor", "mentee" or "curator"
    mentor_name: str
    mentee_name: str
    paused_until: date | None

    @property
    def other_name(self) -> str:
        """The other person of the pair, as seen by a mentor or a mentee who acted."""
        return self.mentee_name if self.side == "mentor" else self.mentor_name


async def side_in(
    session: AsyncSession, actor: Actor, pair_id: int, *, lock: bool = True
) -> tuple[MentoringPair, str]:
    """The pair (locked for a change) and who the actor is in it; outsiders other than its
    curators are refused, so a forged button cannot touch someone else's pair."""
    pair = await session.get(MentoringPair, pair_id, with_for_update=lock)
    if pair is None:
        raise StaleAction
    if actor.person_id == pair.mentor_id:
        return pair, "mentor"
    if actor.person_id == pair.mentee_id:
        return pair, "mentee"
    actor.require_curator(pair.organisation_id)
    return pair, "curator"


async def tell_pair(
    session: AsyncSession,
    pair: MentoringPair,
    kind: str,
    key: str,
    now: datetime,
    *,
    skip: int | None = None,
    **payload: Any,
) -> None:
    """The same news to both people of the pair (but `skip`), each with their own role and the
    other's name."""
    people = await names(session, {pair.mentor_id, pair.mentee_id})
    for recipient, partner, role in (
        (pair.mentor_id, pair.mentee_id, "mentor"),
        (pair.mentee_id, pair.mentor_id, "mentee"),
    ):
        if recipient == skip:
            continue
        await notify.person(
            session,
            recipient,
            kind,
            key,
            now,
            about=partner,
            role=role,
            name=people.get(partner, ""),
            **payload,
        )


def end_pair(
    pair: MentoringPair, status: PairStatus, now: datetime, reason: ChangeReason | None = None
) -> None:
    pair.status = status
    pair.ended_at = now
    pair.end_reason = reason
    pair.paused_until = None


async def close_pending_petitions(session: AsyncSession, pair_id: int, now: datetime) -> None:
    """A pair ended by the curator leaves no petition waiting: there is nothing left to decide."""
    await session.execute(
        update(PairPetition)
        .where(PairPetition.pair_id == pair_id, PairPetition.status == PetitionStatus.PENDING)
        .values(status=PetitionStatus.REJECTED, decided_at=now)
    )


async def change_of(session: AsyncSession, pair: MentoringPair, side: str) -> PairChange:
    people = await names(session, {pair.mentor_id, pair.mentee_id})
    return PairChange(
        pair_id=pair.id,
        status=pair.status,
        side=side,
        mentor_name=people.get(pair.mentor_id, ""),
        mentee_name=people.get(pair.mentee_id, ""),
        paused_until=pair.paused_until,
    )
