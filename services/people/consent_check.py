"""Whether a person still has a consent to give: the question the consent gate asks on nearly
every update. It is a correlated subquery, so the person's own lookup carries it (one statement
per update the bot does not remember); `ConsentService.pending` says what exactly is missing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from models import Consent, ConsentDecision, ConsentDocument, RoleAssignment, RoleKind


def missing_consents(
    person_id: ColumnElement[int] | InstrumentedAttribute[int],
) -> ColumnElement[int]:
    """How many organisations the person takes part in have a consent text whose current
    version the person has not agreed to (no decision, a refusal, or an older version)."""
    role = aliased(RoleAssignment)
    latest = aliased(Consent)
    # Correlated with the role two levels up, which SQLAlchemy does not find by itself.
    current_version = (
        select(func.max(ConsentDocument.version))
        .where(ConsentDocument.organisation_id == role.organisation_id)
        .correlate(role)
        .scalar_subquery()
    )
    latest_id = (
        select(func.max(Consent.id))
        .where(Consent.person_id == role.person_id, Consent.organisation_id == role.organisation_id)
        .correlate(role)
        .scalar_subquery()
    )
    agreed_to_current = exists().where(
        latest.id == latest_id,
        latest.decision == ConsentDecision.AGREED,
        func.coalesce(latest.version, 0) >= current_version,
    )
    return (
        select(func.count())
        .select_from(role)
        .where(
            role.person_id == person_id,
            role.role == RoleKind.PARTICIPANT,
            exists().where(ConsentDocument.organisation_id == role.organisation_id),
            ~agreed_to_current,
        )
        .scalar_subquery()
    )


def _missing_statement() -> Select[Any]:
    return select(missing_consents(bindparam("person_id")))


_MISSING = _missing_statement()


async def consent_missing(session: AsyncSession, person_id: int) -> bool:
    """Whether the person has a consent to give in any organisation they take part in."""
    return bool(await session.scalar(_MISSING, {"person_id": person_id}))
