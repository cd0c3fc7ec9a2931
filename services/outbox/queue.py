"""The notification outbox: enqueue rows, claim due rows with a lease, record each outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Select,
    String,
    Update,
    and_,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import MessengerAccount, Notification, NotificationStatus, Person, PersonStatus
from services.core import audit
from services.core.clock import Clock
from services.core.transactions import Transactions

# A claimed row whose sender died is handed out again after this long. It must exceed the longest
# a single send can take (network timeout plus a 429 wait), or a slow send could be doubled.
DEFAULT_LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
# Rows that carry an already rendered reply (text and buttons) instead of a template's data.
REPLY_KIND = "reply"
_ERROR_LENGTH = 300


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A claimed row with what the sender needs to render and address it."""

    notification_id: int
    recipient_id: int
    # The recipient's chat in the messenger the row was claimed for (see `claim_due`).
    address: str
    locale: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    expires_at: datetime | None = None


def _end_claim(notification_id: int, **values: Any) -> Update:
    return (
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.status == NotificationStatus.SENDING,
        )
        .values(lease_expires_at=None, **values)
    )


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after network errors and 5xx: 5 s, 10 s, 20 s … capped at 30 min."""
    return timedelta(seconds=min(5 * 2 ** max(attempts - 1, 0), 1800))


def row(
    *,
    recipient_id: int,
    kind: str,
    dedupe_key: str,
    due_at: datetime,
    now: datetime,
    payload: dict[str, Any] | None = None,
    expires_at: datetime | None = None,
    about_person_id: int | None = None,
    pair_id: int | None = None,
) -> dict[str, Any]:
    """The column values of a new pending row."""
    return {
        "recipient_id": recipient_id,
        "about_person_id": about_person_id,
        "pair_id": pair_id,
        "kind": kind,
        "payload": payload or {},
        "dedupe_key": dedupe_key,
        "due_at": due_at,
        "expires_at": expires_at,
        "status": NotificationStatus.PENDING,
        "attempts": 0,
        "created_at": now,
    }


async def enqueue_for(
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
    """One row for each person `people` selects (one column of person ids), all with the same
    content, in one INSERT … SELECT: a campaign to 100 000 people is one statement, not 100 000
    rows built in Python. Already queued events are skipped. Returns how many were added."""
    source = people.subquery()
    person_id = source.c[0]
    columns = Notification.__table__.c

    def constant(value: Any, column: str) -> Any:
        return literal(value, type_=columns[column].type)

    rows = select(
        person_id,
        constant(kind, "kind"),
        constant(payload, "payload"),
        literal(f"{kind}:{key}:") + cast(person_id, String),
        constant(due_at, "due_at"),
        constant(expires_at, "expires_at"),
        constant(NotificationStatus.PENDING, "status"),
        constant(0, "attempts"),
        constant(now, "created_at"),
    ).where(
        # SQLite reads "SELECT … ON CONFLICT" as a join unless the SELECT has a WHERE.
        true()
    )
    statement = _insert_new(session).from_select(
        [
            "recipient_id",
            "kind",
            "payload",
            "dedupe_key",
            "due_at",
            "expires_at",
            "status",
            "attempts",
            "created_at",
        ],
        rows,
    )
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


def _insert_new(session: AsyncSession) -> Any:
    """INSERT that skips rows whose dedupe key is already queued (the event happened before)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert(Notification).on_conflict_do_nothing(index_elements=["dedupe_key"])


async def enqueue(
    session: AsyncSession,
    *,
    recipient_id: int,
    kind: str,
    dedupe_key: str,
    due_at: datetime,
    now: datetime,
    payload: dict[str, Any] | None = None,
    expires_at: datetime | None = None,
    about_person_id: int | None = None,
    pair_id: int | None = None,
) -> bool:
    """Add a row in the caller's transaction. Returns False if this event was already queued."""
    values = row(
        recipient_id=recipient_id,
        kind=kind,
        dedupe_key=dedupe_key,
        due_at=due_at,
        now=now,
        payload=payload,
        expires_at=expires_at,
        about_person_id=about_person_id,
        pair_id=pair_id,
    )
    statement = _insert_new(session).values(**values).returning(Notification.id)
    return await session.scalar(statement) is not None


async def enqueue_many(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Add many rows (built by `row`) in one executemany; already queued events are skipped."""
    if rows:
        await session.execute(_insert_new(session), rows)


class OutboxService:
    """State transitions of outbox rows. Each method is its own short transaction."""

    def __init__(
        self, transactions: Transactions, clock: Clock, *, lease: timedelta = DEFAULT_LEASE
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._lease = lease

    async def claim_due(self, limit: int, *, messenger: str) -> list[OutgoingMessage]:
        """Atomically take up to `limit` due rows (and rows whose lease ran out) for sending
        through `messenger`, each with the recipient's chat address there.

        Rows of people with no chat in that messenger (erased, or only known to another one) are
        not claimed. The address comes from the same join, so there is no lookup per message.

        On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several instances claim side by side; SQLite's
        `BEGIN IMMEDIATE` makes the whole claim exclusive.
        """
        now = self._clock.now()
        async with self._transactions.write() as session:
            await self._expire_stale(session, now)
            due = or_(
                and_(
                    Notification.status == NotificationStatus.PENDING,
                    Notification.due_at <= now,
                ),
                and_(
                    Notification.status == NotificationStatus.SENDING,
                    Notification.lease_expires_at <= now,
                ),
            )
            account = and_(
                MessengerAccount.person_id == Notification.recipient_id,
                MessengerAccount.messenger == messenger,
                MessengerAccount.chat_id.is_not(None),
            )
            candidates = (
                select(Notification.id)
                .join(Person, Person.id == Notification.recipient_id)
                .join(MessengerAccount, account)
                .where(due, Person.status == PersonStatus.ACTIVE)
                .order_by(Notification.due_at, Notification.id)
                .limit(limit)
                .with_for_update(of=Notification, skip_locked=True)
            )
            ids = list((await session.scalars(candidates)).all())
            if not ids:
                return []
            await session.execute(
                update(Notification)
                .where(Notification.id.in_(ids))
                .values(
                    status=NotificationStatus.SENDING,
                    lease_expires_at=now + self._lease,
                    attempts=Notification.attempts + 1,
                )
            )
            rows = (
                await session.execute(
                    select(Notification, MessengerAccount.chat_id, Person.locale)
                    .join(Person, Person.id == Notification.recipient_id)
                    .join(MessengerAccount, account)
                    .where(Notification.id.in_(ids))
                    .order_by(Notification.due_at, Notification.id)
                )
            ).all()
            return [
                OutgoingMessage(
                    notification_id=row.id,
                    recipient_id=row.recipient_id,
                    address=str(chat_id),  # never NULL: filtered in the claim
                    locale=locale,
                    kind=row.kind,
                    payload=dict(row.payload),
                    attempts=row.attempts,
                    expires_at=row.expires_at,
                )
                for row, chat_id, locale in rows
            ]

    async def _expire_stale(self, session: AsyncSession, now: datetime) -> None:
        await session.execute(
            update(Notification)
            .where(
                Notification.expires_at.is_not(None),
                Notification.expires_at <= now,
                or_(
                    Notification.status == NotificationStatus.PENDING,
                    # Claimed by a sender that died: its lease ran out after the row expired.
                    and_(
                        Notification.status == NotificationStatus.SENDING,
                        Notification.lease_expires_at <= now,
                    ),
                ),
            )
            .values(status=NotificationStatus.EXPIRED)
        )

    async def keep_reply(
        self, recipient_id: int, dedupe_key: str, text: str, reply_markup: str | None
    ) -> None:
        """A reply the messenger would not take in time, kept for the sender: the person's action
        was already saved, and what the bot answered must still reach them, once."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            await enqueue(
                session,
                recipient_id=recipient_id,
                kind=REPLY_KIND,
                dedupe_key=dedupe_key,
                due_at=now,
                now=now,
                payload={"text": text, "reply_markup": reply_markup},
            )

    async def mark_sent(self, notification_id: int, sent_message_id: int | None) -> None:
        await self._finish(
            notification_id,
            status=NotificationStatus.SENT,
            sent_at=self._clock.now(),
            sent_message_id=sent_message_id,
            last_error=None,
        )

    async def release(self, notification_id: int, *, refund_attempt: bool = True) -> None:
        """Give a claimed, unsent row back (shutdown, or a 429 that was not this row's fault)."""
        values: dict[str, Any] = {"status": NotificationStatus.PENDING}
        if refund_attempt:
            values["attempts"] = Notification.attempts - 1
        await self._finish(notification_id, **values)

    async def mark_retry(self, notification_id: int, attempts: int, error: str) -> bool:
        """Schedule another try with backoff; after MAX_ATTEMPTS the row fails. True if retried."""
        now = self._clock.now()
        give_up = attempts >= MAX_ATTEMPTS
        await self._finish(
            notification_id,
            status=NotificationStatus.FAILED if give_up else NotificationStatus.PENDING,
            due_at=now if give_up else now + retry_delay(attempts),
            last_error=error[:_ERROR_LENGTH],
        )
        return not give_up

    async def mark_expired(self, notification_id: int) -> None:
        await self._finish(notification_id, status=NotificationStatus.EXPIRED)

    async def mark_failed(self, notification_id: int, error: str) -> None:
        await self._finish(
            notification_id, status=NotificationStatus.FAILED, last_error=error[:_ERROR_LENGTH]
        )

    async def _finish(self, notification_id: int, **values: Any) -> None:
        """End this sender's claim on a row. A row no longer `sending` (a slow send overtaken by
        an expired lease) is left as the other sender made it."""
        async with self._transactions.write() as session:
            await session.execute(_end_claim(notification_id, **values))

    async def mark_recipient_unreachable(self, notification_id: int, recipient_id: int) -> None:
        """403: the person blocked the bot. The row waits (pending) until they write again."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            await session.execute(
                _end_claim(
                    notification_id,
                    status=NotificationStatus.PENDING,
                    attempts=Notification.attempts - 1,
                    last_error="blocked by the user",
                )
            )
            changed = await session.execute(
                update(Person)
                .where(Person.id == recipient_id, Person.status == PersonStatus.ACTIVE)
                .values(status=PersonStatus.UNREACHABLE, unreachable_since=now)
            )
            if changed.rowcount:  # type: ignore[attr-defined]
                audit.record(
                    session,
                    at=now,
                    action="person.unreachable",
                    actor_id=None,
                    target_person_id=recipient_id,
                    source="send_forbidden",
                )

    async def counts(self) -> dict[NotificationStatus, int]:
        """Rows per status, for the operator's health view and tests."""
        async with self._transactions.read() as session:
            rows = (
                await session.execute(
                    select(Notification.status, func.count()).group_by(Notification.status)
                )
            ).all()
        return {status: count for status, count in rows}
