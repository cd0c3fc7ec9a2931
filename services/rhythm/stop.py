"""Stopping a pair's rhythm when it is paused or ends (kept apart so that the pair services can
call it without importing the whole rhythm engine)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from models import CycleStatus, PairCycle
from services.outbox import notify

# Kinds of outbox rows a pair's rhythm queues; a pause or an end cancels the unsent ones.
RHYTHM_KINDS = ("meeting_reminder", "checkin", "quiet_nudge", "agreed_meeting_reminder")


async def stop_rhythm(session: AsyncSession, pair_id: int) -> None:
    """The pair paused or ended: its unanswered cycle is dropped and unsent reminders cancelled.
    A resumed pair starts a fresh cycle at the next tick."""
    await session.execute(
        delete(PairCycle).where(
            PairCycle.pair_id == pair_id,
            PairCycle.status.in_((CycleStatus.OPEN, CycleStatus.POSTPONED)),
            PairCycle.answered_at.is_(None),
        )
    )
    await notify.cancel_for_pair(session, pair_id, RHYTHM_KINDS)
