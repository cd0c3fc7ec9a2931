"""The outbox's state transitions against a real database (SQLite, and PostgreSQL if configured)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.app import Application
from bot.telegram.identity import TELEGRAM, telegram_key
from models import MessengerAccount, Notification, NotificationStatus, Person, PersonStatus
from services.outbox import queue as outbox
from services.outbox.queue import DEFAULT_LEASE, MAX_ATTEMPTS, OutboxService, retry_delay
from tests.fakes import FakeClock
from tests.identity import telegram_account

PAYLOAD = {"organisation_name": "Школа № 7", "role": "curator"}


async def add_person(
    app: Application,
    telegram_id: int | None,
    *,
    locale: str = "ru",
    status: PersonStatus = PersonStatus.ACTIVE,
) -> int:
    now = app.clock.now()
    async with app.database.write() as session:
        person = Person(
            locale=locale,
            status=status,
            unreachable_since=now if status == PersonStatus.UNREACHABLE else None,
            created_at=now,
            last_seen_at=now,
        )
        session.add(person)
        await session.flush()
        if telegram_id is not None:
            session.add(telegram_account(person.id, telegram_id, now))
        return person.id


async def add_notification(
    app: Application,
    recipient_id: int,
    dedupe_key: str,
    *,
    due_at: datetime | None = None,
    expires_at: datetime | None = None,
    payload: dict[str, Any] | None = None,
) -> bool:
    now = app.clock.now()
    async with app.database.write() as session:
        return await outbox.enqueue(
            session,
            recipient_id=recipient_id,
            kind="staff_joined",
            dedupe_key=dedupe_key,
            due_at=due_at or now,
            now=now,
            payload=payload or PAYLOAD,
            expires_at=expires_at,
        )


async def rows(app: Application) -> list[Notification]:
    async with app.database.read() as session:
        return list((await session.scalars(select(Notification).order_by(Notification.id))).all())


async def row(app: Application, notification_id: int) -> Notification:
    async with app.database.read() as session:
        found = await session.get(Notification, notification_id)
    assert found is not None
    return found


async def test_same_dedupe_key_is_queued_once(app: Application) -> None:
    curator = await add_person(app, 101)

    first = await add_notification(app, curator, "staff_joined:1:2")
    second = await add_notification(
        app, curator, "staff_joined:1:2", payload={"organisation_name": "Другая", "role": "head"}
    )

    assert first is True
    assert second is False
    stored = await rows(app)
    assert len(stored) == 1
    assert stored[0].payload == PAYLOAD  # the first event wins; the repeat changed nothing
    assert stored[0].status == NotificationStatus.PENDING


async def test_duplicate_enqueue_leaves_the_callers_transaction_usable(app: Application) -> None:
    """The repeat is a no-op, not an error: the rest of the use case still commits."""
    curator = await add_person(app, 101)
    await add_notification(app, curator, "event:1")
    now = app.clock.now()
    async with app.database.write() as session:
        again = await outbox.enqueue(
            session, recipient_id=curator, kind="staff_joined", dedupe_key="event:1",
            due_at=now, now=now, payload=PAYLOAD,
        )  # fmt: skip
        fresh = await outbox.enqueue(
            session, recipient_id=curator, kind="staff_joined", dedupe_key="event:2",
            due_at=now, now=now, payload=PAYLOAD,
        )  # fmt: skip
    assert (again, fresh) == (False, True)
    assert [r.dedupe_key for r in await rows(app)] == ["event:1", "event:2"]


async def test_concurrent_claims_never_hand_out_the_same_row(app: Application) -> None:
    people = [await add_person(app, 200 + index) for index in range(30)]
    for index, person_id in enumerate(people):
        await add_notification(app, person_id, f"event:{index}")
    # Separate service objects, like two sender instances sharing one database.
    services = [OutboxService(app.database, app.clock) for _ in range(6)]

    claims = await asyncio.gather(
        *(service.claim_due(7, messenger=TELEGRAM) for service in services)
    )

    claimed = [message.notification_id for claim in claims for message in claim]
    assert len(claimed) == len(set(claimed)), "a row was claimed twice"
    assert len(claimed) == 30  # 6 × 7 ≥ 30: between them they took every due row
    stored = await rows(app)
    assert {r.status for r in stored} == {NotificationStatus.SENDING}
    assert {r.attempts for r in stored} == {1}
    assert await services[0].claim_due(50, messenger=TELEGRAM) == []


async def test_claim_hands_out_what_the_sender_needs(app: Application) -> None:
    english = await add_person(app, 301, locale="en")
    await add_notification(app, english, "event:1")

    [message] = await app.services.outbox.claim_due(10, messenger=TELEGRAM)

    assert message.recipient_id == english
    assert message.address == "301"
    assert message.locale == "en"
    assert message.kind == "staff_joined"
    assert message.payload == PAYLOAD
    assert message.attempts == 1


async def test_rows_due_later_wait_for_their_time(app: Application, clock: FakeClock) -> None:
    curator = await add_person(app, 101)
    await add_notification(app, curator, "later", due_at=clock.now() + timedelta(hours=1))

    assert await app.services.outbox.claim_due(10, messenger=TELEGRAM) == []
    clock.advance(hours=1)
    assert [m.address for m in await app.services.outbox.claim_due(10, messenger=TELEGRAM)] == [
        "101"
    ]


async def test_claimed_row_is_claimed_again_only_after_its_lease_expires(
    app: Application, clock: FakeClock
) -> None:
    curator = await add_person(app, 101)
    await add_notification(app, curator, "event:1")
    outbox_service = app.services.outbox
    [first] = await outbox_service.claim_due(10, messenger=TELEGRAM)
    # The sender that claimed it died without a word.

    clock.advance(seconds=DEFAULT_LEASE.total_seconds() - 1)
    assert await outbox_service.claim_due(10, messenger=TELEGRAM) == []

    clock.advance(seconds=1)
    [second] = await outbox_service.claim_due(10, messenger=TELEGRAM)
    assert second.notification_id == first.notification_id
    assert second.attempts == 2
    stored = await row(app, first.notification_id)
    assert stored.status == NotificationStatus.SENDING
    assert stored.lease_expires_at == clock.now() + DEFAULT_LEASE


async def test_sent_row_is_never_claimed_again(app: Application, clock: FakeClock) -> None:
    curator = await add_person(app, 101)
    await add_notification(app, curator, "event:1")
    [message] = await app.services.outbox.claim_due(10, messenger=TELEGRAM)
    await app.services.outbox.mark_sent(message.notification_id, sent_message_id=77)

    clock.advance(days=1)
    assert await app.services.outbox.claim_due(10, messenger=TELEGRAM) == []
    stored = await row(app, message.notification_id)
    assert stored.status == NotificationStatus.SENT
    assert stored.sent_message_id == 77
    assert stored.sent_at == clock.now() - timedelta(days=1)
    assert stored.lease_expires_at is None


async def test_late_mark_from_a_sender_whose_lease_was_taken_over_is_ignored(
    app: Application, clock: FakeClock
) -> None:
    """mark_sent only applies to a row still being sent: a terminal status never flips back."""
    curator = await add_person(app, 101)
    await add_notification(app, curator, "event:1")
    [message] = await app.services.outbox.claim_due(10, messenger=TELEGRAM)
    await app.services.outbox.mark_failed(message.notification_id, "bad request")

    await app.services.outbox.mark_sent(message.notification_id, 5)
    await app.services.outbox.mark_retry(message.notification_id, 1, "late")

    stored = await row(app, message.notification_id)
    assert stored.status == NotificationStatus.FAILED
    assert stored.last_error == "bad request"


async def test_expired_row_is_never_sent(app: Application, clock: FakeClock) -> None:
    curator = await add_person(app, 101)
    await add_notification(app, curator, "reminder", expires_at=clock.now() + timedelta(minutes=30))
    await add_notification(app, curator, "other")
    clock.advance(minutes=30)

    claimed = await app.services.outbox.claim_due(10, messenger=TELEGRAM)

    assert len(claimed) == 1
    by_key = {r.dedupe_key: r for r in await rows(app)}
    assert by_key["reminder"].status == NotificationStatus.EXPIRED
    assert by_key["other"].status == NotificationStatus.SENDING
    await app.services.outbox.mark_sent(claimed[0].notification_id, 1)
    clock.advance(days=1)
    assert await app.services.outbox.claim_due(10, messenger=TELEGRAM) == []


async def test_row_that_expired_while_its_sender_was_dead_is_not_sent(
    app: Application, clock: FakeClock
) -> None:
    """A claimed row whose lease ran out after its expiry is expired, not sent late."""
    curator = await add_person(app, 101)
    await add_notification(app, curator, "reminder", expires_at=clock.now() + timedelta(minutes=1))
    [message] = await app.services.outbox.claim_due(
        10, messenger=TELEGRAM
    )  # the claiming sender then crashed

    clock.advance(seconds=DEFAULT_LEASE.total_seconds())

    assert await app.services.outbox.claim_due(10, messenger=TELEGRAM) == []
    assert (await row(app, message.notification_id)).status == NotificationStatus.EXPIRED


async def test_unreachable_persons_rows_wait_until_they_write_again(
    app: Application, clock: FakeClock
) -> None:
    blocked = await add_person(app, 101, status=PersonStatus.UNREACHABLE)
    other = await add_person(app, 102)
    await add_notification(app, blocked, "to-blocked")
    await add_notification(app, other, "to-other")

    claimed = await app.services.outbox.claim_due(10, messenger=TELEGRAM)
    assert [m.address for m in claimed] == ["102"]
    await app.services.outbox.mark_sent(claimed[0].notification_id, 1)
    clock.advance(hours=1)
    assert await app.services.outbox.claim_due(10, messenger=TELEGRAM) == []

    # They wrote to the bot.
    view = await app.services.people.touch(telegram_key(101), "ru", chat_id="101")
    assert view.status == PersonStatus.ACTIVE

    [message] = await app.services.outbox.claim_due(10, messenger=TELEGRAM)
    assert message.address == "101"
    assert message.attempts == 1


async def test_forbidden_marks_person_unreachable_and_gives_the_row_back(
    app: Application, clock: FakeClock
) -> None:
    curator = await add_person(app, 101)
    await add_notification(app, curator, "event:1")
    await add_notification(app, curator, "event:2")
    first, second = await app.services.outbox.claim_due(10, messenger=TELEGRAM)

    await app.services.outbox.mark_recipient_unreachable(first.notification_id, curator)
    await app.services.outbox.mark_recipient_unreachable(second.notification_id, curator)

    async with app.database.read() as session:
        stored_person = await session.get(Person, curator)
    assert stored_person is not None
    assert stored_person.status == PersonStatus.UNREACHABLE
    assert stored_person.unreachable_since == clock.now()
    stored = await rows(app)
    assert {r.status for r in stored} == {NotificationStatus.PENDING}
    assert {r.attempts for r in stored} == {0}  # a block is not a failed attempt
    assert await app.services.outbox.claim_due(10, messenger=TELEGRAM) == []


async def test_release_gives_the_row_back_without_counting_an_attempt(app: Application) -> None:
    curator = await add_person(app, 101)
    await add_notification(app, curator, "event:1")
    [message] = await app.services.outbox.claim_due(10, messenger=TELEGRAM)

    await app.services.outbox.release(message.notification_id)

    stored = await row(app, message.notification_id)
    assert (stored.status, stored.attempts, stored.lease_expires_at) == (
        NotificationStatus.PENDING,
        0,
        None,
    )
    [again] = await app.services.outbox.claim_due(10, messenger=TELEGRAM)
    assert again.notification_id == message.notification_id


async def test_retry_backs_off_exponentially_then_fails_after_max_attempts(
    app: Application, clock: FakeClock
) -> None:
    curator = await add_person(app, 101)
    await add_notification(app, curator, "event:1")
    outbox_service = app.services.outbox
    delays = []

    for attempt in range(1, MAX_ATTEMPTS + 1):
        [message] = await outbox_service.claim_due(10, messenger=TELEGRAM)
        assert message.attempts == attempt
        retried = await outbox_service.mark_retry(
            message.notification_id, message.attempts, "TelegramServerError"
        )
        stored = await row(app, message.notification_id)
        if attempt == MAX_ATTEMPTS:
            assert retried is False
            assert stored.status == NotificationStatus.FAILED
            assert stored.last_error == "TelegramServerError"
            break
        assert retried is True
        assert stored.status == NotificationStatus.PENDING
        delay = stored.due_at - clock.now()
        delays.append(delay)
        # Not a moment before the backoff is over…
        clock.advance(seconds=delay.total_seconds() - 1)
        assert await outbox_service.claim_due(10, messenger=TELEGRAM) == []
        clock.advance(seconds=1)  # …and due right when it is.

    assert delays == [retry_delay(attempt) for attempt in range(1, MAX_ATTEMPTS)]
    assert [d.total_seconds() for d in delays[:4]] == [5, 10, 20, 40]
    clock.advance(days=30)
    assert await outbox_service.claim_due(10, messenger=TELEGRAM) == []
    assert retry_delay(30) == timedelta(minutes=30)  # the cap


async def test_long_error_text_is_truncated_to_fit_the_column(app: Application) -> None:
    curator = await add_person(app, 101)
    await add_notification(app, curator, "event:1")
    [message] = await app.services.outbox.claim_due(10, messenger=TELEGRAM)

    await app.services.outbox.mark_failed(message.notification_id, "x" * 1000)

    stored = await row(app, message.notification_id)
    assert stored.last_error == "x" * 300


async def test_counts_per_status(app: Application) -> None:
    curator = await add_person(app, 101)
    for index in range(3):
        await add_notification(app, curator, f"event:{index}")
    [message, *_] = await app.services.outbox.claim_due(1, messenger=TELEGRAM)
    await app.services.outbox.mark_sent(message.notification_id, 1)

    counts = await app.services.outbox.counts()

    assert counts == {NotificationStatus.SENT: 1, NotificationStatus.PENDING: 2}
    async with app.database.read() as session:
        total = await session.scalar(select(func.count()).select_from(Notification))
    assert total == 3


async def test_only_people_with_a_chat_in_the_senders_messenger_are_claimed(
    app: Application,
) -> None:
    """The claim is per messenger: no account there (erased, or known only to another
    messenger) means the row waits, and the address is that messenger's chat."""
    on_telegram = await add_person(app, 101)
    nowhere = await add_person(app, None)
    elsewhere = await add_person(app, None)
    async with app.database.write() as session:
        session.add(
            MessengerAccount(
                person_id=elsewhere,
                messenger="max",
                external_user_id="u-77",
                chat_id="c-77",
                created_at=app.clock.now(),
            )
        )
    for recipient in (on_telegram, nowhere, elsewhere):
        await add_notification(app, recipient, f"event:{recipient}")

    claimed = await app.services.outbox.claim_due(10, messenger=TELEGRAM)
    assert [(m.recipient_id, m.address) for m in claimed] == [(on_telegram, "101")]
    other = await app.services.outbox.claim_due(10, messenger="max")
    assert [(m.recipient_id, m.address) for m in other] == [(elsewhere, "c-77")]
    assert await app.services.outbox.claim_due(10, messenger=TELEGRAM) == []
