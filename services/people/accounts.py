"""How the person behind an update is found by their messenger account: the prebuilt lookup of
their standing that every update from someone the bot does not remember makes, and the lookup a
write transaction makes to change them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MessengerAccount, Person, RoleAssignment
from services.core.identity import AccountKey
from services.people.consent_check import missing_consents


def _standing_by_account() -> Select[*tuple[Any, ...]]:
    """The person of an account with the account's chat, every role (one row each, or one row
    of NULLs) and whether a consent is missing. Built once: it runs for every update from a
    person the bot does not remember."""
    return (
        select(
            Person.id,
            Person.locale,
            Person.status,
            Person.last_seen_at,
            Person.username,
            Person.full_name,
            MessengerAccount.chat_id,
            RoleAssignment.role,
            RoleAssignment.organisation_id,
            RoleAssignment.programme_role,
            missing_consents(Person.id).label("consents_missing"),
        )
        .join(MessengerAccount, MessengerAccount.person_id == Person.id)
        .outerjoin(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(
            MessengerAccount.messenger == bindparam("messenger"),
            MessengerAccount.external_user_id == bindparam("external_user_id"),
        )
    )


STANDING_BY_ACCOUNT = _standing_by_account()


async def by_account(
    session: AsyncSession, key: AccountKey
) -> tuple[Person, MessengerAccount] | None:
    """The person and account, as objects a write transaction may change."""
    found = (
        await session.execute(
            select(Person, MessengerAccount)
            .join(MessengerAccount, MessengerAccount.person_id == Person.id)
            .where(
                MessengerAccount.messenger == key.messenger,
                MessengerAccount.external_user_id == key.external_user_id,
            )
        )
    ).first()
    return None if found is None else (found[0], found[1])
