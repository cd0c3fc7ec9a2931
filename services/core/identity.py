"""Who a person is to a messenger: the account keys adapters use, and the only queries on them.

Services speak person ids. An adapter turns its own user into an `AccountKey` (the messenger's
short name and the user's id there, as text) at the boundary, and everything after that works on
the person. Nothing here knows any particular messenger.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from models import MessengerAccount


@dataclass(frozen=True, slots=True)
class AccountKey:
    """A person's account in one messenger: the messenger's short name and their id there."""

    messenger: str
    external_user_id: str


def identified(person_id: ColumnElement[int] | InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """SQL: the person has at least one messenger account (erased people have none)."""
    return exists().where(MessengerAccount.person_id == person_id)


async def accounts_of(
    session: AsyncSession, person_ids: Iterable[int]
) -> dict[int, dict[str, str]]:
    """For each person, their external id in each messenger they use."""
    rows = await session.execute(
        select(
            MessengerAccount.person_id,
            MessengerAccount.messenger,
            MessengerAccount.external_user_id,
        ).where(MessengerAccount.person_id.in_(list(person_ids)))
    )
    found: dict[int, dict[str, str]] = {}
    for person_id, messenger, external_user_id in rows:
        found.setdefault(person_id, {})[messenger] = external_user_id
    return found
