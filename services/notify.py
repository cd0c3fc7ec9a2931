"""Queueing the notifications of matching and pairs (the outbox sends them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Organisation, RoleAssignment, RoleKind
from services import outbox


async def person(
    session: AsyncSession,
    recipient_id: int,
    kind: str,
    key: str,
    now: datetime,
    *,
    about: int | None = None,
    **payload: Any,
) -> None:
    """One message to one person, due now; `key` makes the event happen once."""
    await outbox.enqueue(
        session,
        recipient_id=recipient_id,
        kind=kind,
        dedupe_key=f"{kind}:{key}:{recipient_id}",
        due_at=now,
        now=now,
        payload=payload,
        about_person_id=about,
    )


async def curators(
    session: AsyncSession,
    organisation_id: int,
    kind: str,
    key: str,
    now: datetime,
    *,
    about: int | None = None,
    **payload: Any,
) -> int:
    """The same message to every curator of the organisation; returns how many were queued."""
    curator_ids = (
        await session.scalars(
            select(RoleAssignment.person_id).where(
                RoleAssignment.organisation_id == organisation_id,
                RoleAssignment.role == RoleKind.CURATOR,
            )
        )
    ).all()
    for curator_id in curator_ids:
        await person(session, curator_id, kind, key, now, about=about, **payload)
    return len(curator_ids)


async def timezone_of(session: AsyncSession, organisation_id: int) -> str:
    organisation = await session.get(Organisation, organisation_id)
    return organisation.timezone if organisation else "Europe/Moscow"
