"""SendRateLimiter on a fake clock: the global rate, the per-chat interval, and 429 pauses."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Coroutine
from datetime import datetime, timedelta
from typing import Any

import pytest

from services.outbox.rate_limit import SendRateLimiter
from tests.fakes import START, FakeClock

RATE = 25.0
# Slots are sums of floats (k × 0.04 s); a window this much shorter than a second absorbs the
# rounding without hiding a real 26th send.
EPSILON = 1e-6


class VirtualClock:
    """Virtual time for several concurrent sleepers: each wakes exactly at its own deadline.

    FakeClock advances by the full amount on every sleep, so two workers sleeping side by side
    add their sleeps up and both wake late; that is right for one sleeper at a time but makes
    concurrent workers burst. Here time jumps to the earliest deadline once everyone is asleep.
    """

    def __init__(self) -> None:
        self._monotonic = 1_000.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = 0

    def now(self) -> datetime:
        return START + timedelta(seconds=self._monotonic - 1_000.0)

    def monotonic(self) -> float:
        return self._monotonic

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._order += 1
        heapq.heappush(self._sleepers, (self._monotonic + max(seconds, 0), self._order, future))
        await future

    async def run(self, *coroutines: Coroutine[Any, Any, None]) -> None:
        tasks = [asyncio.ensure_future(coroutine) for coroutine in coroutines]
        while not all(task.done() for task in tasks):
            for _ in range(5):  # let every runnable task reach its next sleep
                await asyncio.sleep(0)
            if self._sleepers:
                wake, _, future = heapq.heappop(self._sleepers)
                self._monotonic = max(self._monotonic, wake)
                future.set_result(None)
        await asyncio.gather(*tasks)


def most_in_one_second(times: list[float]) -> int:
    """The largest number of sends inside any half-open window [t, t + 1 s)."""
    ordered = sorted(times)
    best = 0
    for index, start in enumerate(ordered):
        inside = [t for t in ordered[index:] if t < start + 1.0 - EPSILON]
        best = max(best, len(inside))
    return best


async def test_hundred_chats_take_four_seconds_and_never_exceed_the_rate() -> None:
    clock = FakeClock()
    limiter = SendRateLimiter(clock, per_second=RATE)
    start = clock.monotonic()
    times = []
    for chat in range(100):
        await limiter.wait_turn(chat)
        times.append(clock.monotonic())

    # 100 slots 0.04 s apart: the last one is 99 × 0.04 s after the first.
    assert times[-1] - start == pytest.approx(3.96)
    assert most_in_one_second(times) <= 25
    # And the limiter does not waste capacity: a full second does carry 25 sends.
    assert most_in_one_second(times) == 25


async def test_concurrent_workers_share_the_rate() -> None:
    """Four workers, as OutboxSender runs with OUTBOX_SEND_CONCURRENCY=4: slots are reserved before
    waiting, so none are shared."""
    clock = VirtualClock()
    limiter = SendRateLimiter(clock, per_second=RATE)
    start = clock.monotonic()
    times: list[float] = []
    chats = iter(range(100))

    async def worker() -> None:
        for chat in chats:
            await limiter.wait_turn(chat)
            times.append(clock.monotonic())

    await clock.run(*(worker() for _ in range(4)))

    assert len(times) == 100
    assert max(times) - start == pytest.approx(3.96)
    assert most_in_one_second(times) == 25


async def test_two_sends_to_one_chat_are_a_second_apart() -> None:
    clock = FakeClock()
    limiter = SendRateLimiter(clock, per_second=RATE)
    await limiter.wait_turn(7)
    first = clock.monotonic()
    await limiter.wait_turn(8)  # another chat goes right after, at the global spacing
    other = clock.monotonic()
    await limiter.wait_turn(7)
    second = clock.monotonic()

    assert other - first == pytest.approx(0.04)
    assert second - first >= 1.0 - EPSILON


async def test_same_chat_interval_holds_for_a_burst() -> None:
    clock = FakeClock()
    limiter = SendRateLimiter(clock, per_second=RATE)
    times = []
    for _ in range(5):
        await limiter.wait_turn(42)
        times.append(clock.monotonic())
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert all(gap >= 1.0 - EPSILON for gap in gaps), gaps


async def test_pause_after_429_delays_the_next_slot_by_retry_after() -> None:
    clock = FakeClock()
    limiter = SendRateLimiter(clock, per_second=RATE)
    await limiter.wait_turn(1)
    paused_at = clock.monotonic()
    limiter.pause(5)

    await limiter.wait_turn(2)

    assert clock.monotonic() - paused_at >= 5.0 - EPSILON
    assert clock.slept[-1] == pytest.approx(5.0)
    # After the pause the normal rate resumes: the next chat goes 0.04 s later, not 5 s.
    resumed = clock.monotonic()
    await limiter.wait_turn(3)
    assert clock.monotonic() - resumed == pytest.approx(0.04)


async def test_pause_that_arrives_while_waiting_moves_the_waiter_behind_it() -> None:
    """A worker already asleep for its slot must not send into a 429 another worker just got."""
    clock = VirtualClock()
    limiter = SendRateLimiter(clock, per_second=RATE)
    sends: list[tuple[float, int]] = []
    paused_at: list[float] = []

    async def waiting() -> None:
        await limiter.wait_turn(2)
        sends.append((clock.monotonic(), 2))
        await limiter.wait_turn(2)  # reserves a slot one second out and goes to sleep
        sends.append((clock.monotonic(), 2))

    async def hits_429() -> None:
        await limiter.wait_turn(1)  # wakes first, while the other worker still sleeps
        sends.append((clock.monotonic(), 1))
        limiter.pause(5)  # Telegram answered 429 with retry_after=5
        paused_at.append(clock.monotonic())

    await clock.run(waiting(), hits_429())

    assert [chat for _, chat in sends] == [2, 1, 2]
    assert sends[2][0] - paused_at[0] >= 5.0 - EPSILON


async def test_longer_pause_is_not_shortened_by_a_shorter_one() -> None:
    clock = FakeClock()
    limiter = SendRateLimiter(clock, per_second=RATE)
    paused_at = clock.monotonic()
    limiter.pause(30)
    limiter.pause(3)

    await limiter.wait_turn(1)

    assert clock.monotonic() - paused_at >= 30.0 - EPSILON


async def test_the_queue_steps_back_for_replies_to_people() -> None:
    """People's answers take their turn from the same budget: the outbox does not write to a chat
    that just got a reply, and a burst of replies pushes the queue's next send back."""
    clock = FakeClock()
    limiter = SendRateLimiter(clock, per_second=RATE)
    start = clock.monotonic()
    limiter.note_reply(7)
    await limiter.wait_turn(7)
    assert clock.monotonic() - start >= 1.0 - EPSILON

    busy = clock.monotonic()
    for chat in range(100, 150):  # fifty replies to fifty people in one instant
        limiter.note_reply(chat)
    await limiter.wait_turn(8)
    # The queue waits for the fifty slots the replies used, at its own rate of 25 a second.
    assert clock.monotonic() - busy == pytest.approx(50 / RATE)
