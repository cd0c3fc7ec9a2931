"""The one way services queue a message: to a person, to many, to the curators (the outbox
sender delivers them). A `key` names the event, so the same event is never queued twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Notification, NotificationStatus, RoleAssignment, RoleKind
from services.outbox import queue as outbox


async def person(
    session: AsyncSession,
    recipient_id: int,
    kind: str,
    key: str,
    now: datetime,
    *,
    about: int | None = None,
    pair: int | None = None,
    due_at: datetime | None = None,
    expires_at: datetime | None = None,
    **payload: Any,
) -> bool:
    """One message to one person, due now (or at `due_at`); `key` makes the event happen once.
    `pair` ties it to a pair, so pausing or ending the pair cancels it if still unsent."""
    return await outbox.enqueue(
        session,
        recipient_id=recipient_id,
        kind=kind,
        dedupe_key=_dedupe_key(kind, key, recipient_id),
        due_at=due_at or now,
        now=now,
        payload=payload,
        about_person_id=about,
        pair_id=pair,
        expires_at=expires_at,
    )


def _dedupe_key(kind: str, key: str, recipient_id: int) -> str:
    return f"{kind}:{key}:{recipient_id}"


@dataclass(frozen=True, slots=True)
class Message:
    """What `person` queues, as a value: for queueing many at once with `many`."""

    recipient_id: int
    kind: str
    key: str
    due_at: datetime
    payload: dict[str, Any]
    about: int | None = None
    pair: int | None = None
    expires_at: datetime | None = None


async def many(session: AsyncSession, messages: Sequence[Message], now: datetime) -> None:
    """Queue many messages in a few statements (the rhythm's batches of thousands of pairs)."""
    await outbox.enqueue_many(
        session,
        [
            outbox.row(
                recipient_id=message.recipient_id,
                kind=message.kind,
                dedupe_key=_dedupe_key(message.kind, message.key, message.recipient_id),
                due_at=message.due_at,
                now=now,
                payload=message.payload,
                expires_at=message.expires_at,
                about_person_id=message.about,
                pair_id=message.pair,
            )
            for message in messages
        ],
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


async def everyone(
    session: AsyncSession,
    people: Select[Any],
    *,
    kind: str,
    key: str,
    due_at: datetime,
    now: datetime,
    payload: dict[str, Any],
    expires_at: datetime | None = None,
) -> int:
    """The same message to every person `people` selects, in one statement (a campaign's
    invitations); `key` makes the event happen once per person. Returns how many were queued."""
    return await outbox.enqueue_for(
        session,
        people,
        kind=kind,
        key=key,
        due_at=due_at,
        now=now,
        payload=payload,
        expires_at=expires_at,
    )


async def cancel_for_pair(
    session: AsyncSession, pair_id: int, kinds: tuple[str, ...] | None = None
) -> None:
    """Unsent reminders of a pair that no longer apply (paused, ended)."""
    query = update(Notification).where(
        Notification.pair_id == pair_id,
        Notification.status == NotificationStatus.PENDING,
    )
    if kinds is not None:
        query = query.where(Notification.kind.in_(kinds))
    await session.execute(query.values(status=NotificationStatus.CANCELLED))


async def cancel_event(session: AsyncSession, kind: str, key: str) -> None:
    """Unsent messages of one event to everyone (a campaign closed early)."""
    await session.execute(
        update(Notification)
        .where(
            Notification.dedupe_key.startswith(f"{kind}:{key}:", autoescape=True),
            Notification.status == NotificationStatus.PENDING,
        )
        .values(status=NotificationStatus.CANCELLED)
    )
