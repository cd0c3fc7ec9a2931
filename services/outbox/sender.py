"""The one path for everything the bot sends on its own initiative.

A tick claims due rows, waits for a send slot, hands each row to the transport, and records the
outcome of each row right after its own send, so a crash repeats at most the messages in flight.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Literal, Protocol

from services.core.clock import Clock
from services.outbox.queue import OutboxService, OutgoingMessage
from services.outbox.rate_limit import SendRateLimiter

logger = logging.getLogger(__name__)

# How many times one row may meet a 429 inside a tick before it is handed back for a later tick.
MAX_FLOOD_WAITS_PER_TICK = 5
# Sends under way at once. It is how many messages a `kill -9` can repeat (those in flight), so
# the default is one: about 10 messages a second with Telegram answering in 100 ms, which sends a
# regional week of reminders in a few hours of each day's window. More raises the rate towards
# the limiter's at the price of more possible repeats (OUTBOX_SEND_CONCURRENCY).
SEND_CONCURRENCY = 1


@dataclass(frozen=True, slots=True)
class Sent:
    message_id: int | None


@dataclass(frozen=True, slots=True)
class RetryAfter:
    seconds: float


@dataclass(frozen=True, slots=True)
class Blocked:
    """The person blocked the bot or the chat no longer exists."""


@dataclass(frozen=True, slots=True)
class TemporaryFailure:
    error: str


@dataclass(frozen=True, slots=True)
class PermanentFailure:
    error: str


SendOutcome = Sent | RetryAfter | Blocked | TemporaryFailure | PermanentFailure


@dataclass(slots=True)
class SendTally:
    """What one tick did with the rows it claimed (for the scheduler's one log line)."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0
    expired: int = 0
    deferred: int = 0  # handed back for a later tick (429 pauses, shutdown)

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.blocked + self.expired + self.deferred


_Tallied = Literal["sent", "retried", "failed", "blocked", "expired", "deferred"]


class Transport(Protocol):
    """Renders a message in the recipient's language and delivers it through one messenger.

    `messenger` names the accounts it can write to: the sender claims only rows of people with
    an account there, and each claimed message carries that account's chat address.
    """

    @property
    def messenger(self) -> str: ...

    async def send(self, message: OutgoingMessage) -> SendOutcome: ...


class OutboxSender:
    def __init__(
        self,
        outbox: OutboxService,
        transport: Transport,
        limiter: SendRateLimiter,
        clock: Clock,
        *,
        batch_size: int = 50,
        concurrency: int = SEND_CONCURRENCY,
    ) -> None:
        self._outbox = outbox
        self._transport = transport
        self._limiter = limiter
        self._clock = clock
        self._batch_size = batch_size
        self._concurrency = concurrency
        self._stopping = False
        self._stop_requested = asyncio.Event()
        self._tick_lock = asyncio.Lock()

    async def run_once(self) -> int:
        """Send every due row, batch after batch; returns how many rows were handled."""
        return (await self.run_tick()).handled

    async def run_tick(self) -> SendTally:
        """Send every due row, batch after batch; returns what became of them."""
        tally = SendTally()
        if self._tick_lock.locked():
            return tally
        async with self._tick_lock:
            while not self._stopping:
                batch = await self._outbox.claim_due(
                    self._batch_size, messenger=self._transport.messenger
                )
                if not batch:
                    break
                await self._deliver_batch(batch, tally)
                if len(batch) < self._batch_size:
                    break
            return tally

    async def stop(self) -> None:
        """Finish the sends already under way, hand the rest of the batch back, then return."""
        self._stopping = True
        self._stop_requested.set()
        async with self._tick_lock:
            pass

    async def _deliver_batch(self, batch: list[OutgoingMessage], tally: SendTally) -> None:
        queue: asyncio.Queue[OutgoingMessage] = asyncio.Queue()
        for message in batch:
            queue.put_nowait(message)

        async def worker() -> None:
            while not queue.empty():
                message = queue.get_nowait()
                outcome = await self._deliver(message)
                setattr(tally, outcome, getattr(tally, outcome) + 1)

        workers = min(self._concurrency, len(batch))
        await asyncio.gather(*(worker() for _ in range(workers)))

    async def _deliver(self, message: OutgoingMessage) -> _Tallied:
        """Send one row and record its outcome; returns the tally field it counts under."""
        for _ in range(MAX_FLOOD_WAITS_PER_TICK):
            if not await self._turn_or_stop(message.address):
                await self._outbox.release(message.notification_id)
                return "deferred"
            if message.expires_at is not None and self._clock.now() >= message.expires_at:
                # Held back by 429 pauses until it no longer matters (a reminder for the past).
                await self._outbox.mark_expired(message.notification_id)
                return "expired"
            try:
                outcome = await self._transport.send(message)
            except Exception as error:  # a bug in rendering must not stop the whole outbox
                logger.exception("Notification %s could not be sent", message.notification_id)
                outcome = TemporaryFailure(type(error).__name__)
            if not isinstance(outcome, RetryAfter):
                return await self._record(message, outcome)
            logger.warning("The messenger asked to wait %.0f s (429)", outcome.seconds)
            self._limiter.pause(outcome.seconds)
        await self._outbox.release(message.notification_id)
        return "deferred"

    async def _turn_or_stop(self, chat_id: str) -> bool:
        """Wait for a send slot; False if a stop was requested first (the row is handed back)."""
        if self._stopping:
            return False
        turn = asyncio.ensure_future(self._limiter.wait_turn(chat_id))
        stop = asyncio.ensure_future(self._stop_requested.wait())
        await asyncio.wait((turn, stop), return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        if turn.done() and not self._stopping:
            return True
        turn.cancel()
        return False

    async def _record(self, message: OutgoingMessage, outcome: SendOutcome) -> _Tallied:
        row = message.notification_id
        match outcome:
            case Sent(message_id):
                await self._outbox.mark_sent(row, message_id)
                return "sent"
            case Blocked():
                logger.info("Recipient of notification %s blocked the bot", row)
                await self._outbox.mark_recipient_unreachable(row, message.recipient_id)
                return "blocked"
            case TemporaryFailure(error):
                retried = await self._outbox.mark_retry(row, message.attempts, error)
                log = logger.info if retried else logger.error
                log(
                    "Notification %s failed (%s); %s", row, error, "retry" if retried else "gave up"
                )
                return "retried" if retried else "failed"
            case PermanentFailure(error):
                logger.error("Notification %s cannot be sent: %s", row, error)
                await self._outbox.mark_failed(row, error)
                return "failed"
            case RetryAfter():  # handled by the caller; never recorded
                return "deferred"
