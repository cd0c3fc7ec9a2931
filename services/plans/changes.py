"""Rules a plan change checks inside its transaction, and the news the other person gets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MentoringPair, PlanGoal, PlanTask
from services.core.errors import ValidationFailed
from services.outbox import notify
from services.pairs.views import names
from services.plans.rules import MAX_GOALS, MAX_TASKS


async def check_goal_room(session: AsyncSession, pair_id: int) -> None:
    count = await session.scalar(
        select(func.count()).select_from(PlanGoal).where(PlanGoal.pair_id == pair_id)
    )
    if (count or 0) >= MAX_GOALS:
        raise ValidationFailed("goal", "too_many")


async def check_task_room(session: AsyncSession, pair_id: int) -> None:
    count = await session.scalar(
        select(func.count()).select_from(PlanTask).where(PlanTask.pair_id == pair_id)
    )
    if (count or 0) >= MAX_TASKS:
        raise ValidationFailed("task", "too_many")


async def tell_other(
    session: AsyncSession,
    pair: MentoringPair,
    actor_id: int,
    key: str,
    now: datetime,
    *,
    kind: str = "plan_changed",
    **payload: Any,
) -> str:
    """The other person of the pair gets the news; returns their name."""
    other_id = pair.mentee_id if actor_id == pair.mentor_id else pair.mentor_id
    people = await names(session, {pair.mentor_id, pair.mentee_id})
    await notify.person(
        session,
        other_id,
        kind,
        f"{pair.id}:{key}",
        now,
        about=actor_id,
        pair_id=pair.id,
        name=people.get(actor_id, ""),
        role="mentee" if other_id == pair.mentee_id else "mentor",
        **payload,
    )
    return people.get(other_id, "")
