"""Lookups every domain needs inside its transaction, in one place: an organisation by id, and its
time zone. A missing organisation is a stale action (it was deleted or the id was forged), never
a silent default."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models import Organisation
from services.core.errors import StaleAction


async def organisation_of(session: AsyncSession, organisation_id: int) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise StaleAction
    return organisation


async def timezone_of(session: AsyncSession, organisation_id: int) -> str:
    return (await organisation_of(session, organisation_id)).timezone
