"""Writing to the audit log, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditEntry


def record(
    session: AsyncSession,
    *,
    at: datetime,
    action: str,
    actor_id: int | None,
    organisation_id: int | None = None,
    target_person_id: int | None = None,
    **details: Any,
) -> None:
    """Add one audit entry. Details hold ids and codes only, never personal data."""
    session.add(
        AuditEntry(
            occurred_at=at,
            actor_id=actor_id,
            action=action,
            organisation_id=organisation_id,
            target_person_id=target_person_id,
            details=details,
        )
    )
