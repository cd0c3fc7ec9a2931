"""Whether a person still has a consent to give: the question the consent gate asks on nearly
every update, in one prebuilt statement (`ConsentService.pending` says what exactly is missing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Consent, ConsentDecision, ConsentDocument


def _missing_consents_statement() -> Select[Any]:
    """How many of `organisation_ids` have a consent text whose current version the person has
    not agreed to. Built once: it runs for nearly every update."""
    organisation_ids: BindParameter[list[int]] = bindparam("organisation_ids", expanding=True)
    current = (
        select(
            ConsentDocument.organisation_id.label("organisation_id"),
            func.max(ConsentDocument.version).label("version"),
        )
        .where(ConsentDocument.organisation_id.in_(organisation_ids))
        .group_by(ConsentDocument.organisation_id)
        .subquery()
    )
    latest = (
        select(Consent.organisation_id.label("organisation_id"), func.max(Consent.id).label("id"))
        .where(
            Consent.person_id == bindparam("person_id"),
            Consent.organisation_id.in_(organisation_ids),
        )
        .group_by(Consent.organisation_id)
        .subquery()
    )
    return (
        select(func.count())
        .select_from(current)
        .outerjoin(latest, latest.c.organisation_id == current.c.organisation_id)
        .outerjoin(Consent, Consent.id == latest.c.id)
        .where(
            or_(
                Consent.id.is_(None),
                Consent.decision != ConsentDecision.AGREED,
                func.coalesce(Consent.version, 0) < current.c.version,
            )
        )
    )


_MISSING_CONSENTS = _missing_consents_statement()


async def consent_missing(
    session: AsyncSession, person_id: int, organisation_ids: list[int]
) -> bool:
    """Whether any of these organisations has a consent text the person has not agreed to in
    its current version (the gate then asks; `ConsentService.pending` says what exactly)."""
    missing = await session.scalar(
        _MISSING_CONSENTS, {"person_id": person_id, "organisation_ids": organisation_ids}
    )
    return bool(missing)
