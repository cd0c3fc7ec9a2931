"""Where a pair is in the sequence of meetings (DOMAIN §5), and the log entry a "Met" answer
creates: shared by the rhythm, the check-ins and the meeting log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MeetingKind
from models.meeting import Meeting


async def next_kind(session: AsyncSession, pair_id: int) -> MeetingKind:
    """The stage a pair's next meeting is (DOMAIN §5): the introduction first, then planning,
    then regular ones. The final meeting is never guessed: the pair chooses it."""
    return (await next_kinds(session, [pair_id]))[pair_id]


async def next_kinds(session: AsyncSession, pair_ids: Sequence[int]) -> dict[int, MeetingKind]:
    """`next_kind` of many pairs in one query (the rhythm opens cycles in batches)."""
    held: dict[int, set[MeetingKind]] = {pair_id: set() for pair_id in pair_ids}
    rows = await session.execute(
        select(Meeting.pair_id, Meeting.kind).where(Meeting.pair_id.in_(pair_ids)).distinct()
    )
    for pair_id, kind in rows:
        held[pair_id].add(kind)
    return {pair_id: _stage_after(kinds) for pair_id, kinds in held.items()}


def _stage_after(kinds: set[MeetingKind]) -> MeetingKind:
    if not kinds:
        return MeetingKind.INTRODUCTION
    if kinds <= {MeetingKind.INTRODUCTION}:
        return MeetingKind.PLANNING
    return MeetingKind.REGULAR


async def create_met_meeting(
    session: AsyncSession,
    pair_id: int,
    cycle_id: int | None,
    actor_id: int,
    held_on: date,
    now: datetime,
) -> Meeting:
    """The minimal log entry of a "Met" answer: its date and kind. Each side's own view of the
    meeting goes into their questionnaire (services/questionnaires/meeting_feedback.py); the one
    who answered may fill in the shared entry by correcting it (the feedback fields)."""
    meeting = Meeting(
        pair_id=pair_id,
        cycle_id=cycle_id,
        kind=await next_kind(session, pair_id),
        held_on=held_on,
        answers={},
        recorded_by_id=actor_id,
        created_at=now,
        updated_at=now,
    )
    session.add(meeting)
    await session.flush()
    return meeting
