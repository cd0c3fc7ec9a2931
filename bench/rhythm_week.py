"""A regional week of the pairs' rhythm: 50 000 pairs reminded, with a `kill -9` mid-dispatch.

Builds a fresh database with five organisations (Europe/Moscow, Asia/Krasnoyarsk, Asia/Irkutsk,
Asia/Yekaterinburg, Europe/Berlin) and N active pairs whose first reminders all fall due in the
same week: the pairs start on five consecutive days, and after each day's pairs are added the real
`RhythmService.process_due` opens their cycles, queueing every reminder and check-in as outbox rows.
Then it checks the schedule (every reminder inside its organisation's sending window, on a working
day of that week) and dispatches the week day by day: for each day a separate process runs the real
sender (`bot.app.create_sender`) with the clock set to that evening, against `bench.fake_bot_api`
refusing with 429 above 30 messages a second or one a second per chat. On the third day the sender
is killed with SIGKILL the instant the middle message of the day arrives, and started again.
It reports messages per second, duplicates, losses and 429s.

    python -m bench.rhythm_week --latency 0.03        # 50 000 pairs, SQLite (about 75 minutes)
    python -m bench.rhythm_week --pairs 10000         # 100 ms round trip (about 40 minutes)
    python -m bench.rhythm_week --pairs 2000          # a quick look (about 5 minutes)
    python -m bench.rhythm_week --database-url postgresql+asyncpg://postgres@localhost/bench

The dispatch takes at least (2 × pairs) / (messages a second): one send is under way at a time, so
with the default 100 ms round trip 50 000 pairs take about three hours of sending.

The PostgreSQL database must exist and be empty; the script migrates it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, insert, or_, select

from bench.fake_bot_api import FakeBotApi, SentMessage
from bot.app import create_application, create_bot, create_sender
from bot.config import Settings
from bot.migrate import upgrade
from bot.telegram.identity import TELEGRAM
from models import (
    MentoringPair,
    MentoringType,
    MessengerAccount,
    Notification,
    NotificationStatus,
    Organisation,
    PairOrigin,
    PairStatus,
    Person,
    PersonStatus,
)
from services.organisations.sending_window import SendingWindow
from services.organisations.windows import window_of

TOKEN = "123456:AAEbenchmarkbenchmarkbenchmark_xyz"  # noqa: S105 - a fake server's token
ZONES = ("Europe/Moscow", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yekaterinburg", "Europe/Berlin")
MONDAY = date(2026, 11, 30)  # the week whose reminders are dispatched; no holidays in it
WORKING_DAYS = 5
KILL_ON_DAY = 2  # Wednesday
FIRST_CHAT_ID = 20_000_000
REMINDER = "meeting_reminder"


class ShiftedClock:
    """The system clock moved to `start` at the moment `wall_start` (a `time.time()` value).

    Processes started with the same pair share one timeline, so a sender started again after a
    kill sees the leases of the killed one run out in real time.
    """

    def __init__(self, start: datetime, wall_start: float) -> None:
        self._start = start
        self._wall_start = wall_start

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.time() - self._wall_start)

    def monotonic(self) -> float:
        return asyncio.get_running_loop().time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _settings(database_url: str, api_url: str | None = None) -> Settings:
    values: dict[str, Any] = {"BOT_TOKEN": TOKEN, "DATABASE_URL": database_url}
    if api_url:
        values["TELEGRAM_API_URL"] = api_url
    return Settings(_env_file=None, LOG_LEVEL="WARNING", **values)


def _start_of_day(index: int) -> datetime:
    """Pairs of day `index` start on the Saturday before the week plus `index` days (00:00 UTC),
    so their first reminder (two days after the start) falls on Monday + `index`."""
    saturday = MONDAY - timedelta(days=2)
    return datetime.combine(saturday, datetime.min.time(), tzinfo=UTC) + timedelta(days=index)


def _evening(day: int) -> datetime:
    """23:00 UTC: after every zone's window of that day closed, before any opens the next day."""
    return datetime.combine(MONDAY + timedelta(days=day), datetime.min.time(), tzinfo=UTC).replace(
        hour=23
    )


async def build(database_url: str, pairs: int) -> dict[str, Any]:
    """The database: organisations, 2 × `pairs` people, `pairs` pairs started over five days,
    with their cycles opened by the real rhythm job on each of those days."""
    await upgrade(database_url)
    clock = ShiftedClock(_start_of_day(0), time.time())
    app = create_application(_settings(database_url), clock)
    timings = []
    try:
        now = _start_of_day(0)
        async with app.database.write() as session:
            organisation_ids = []
            for zone in ZONES:
                organisation = Organisation(
                    name=f"Муниципалитет ({zone})",
                    address="—",
                    timezone=zone,
                    settings={},
                    created_at=now,
                )
                session.add(organisation)
                await session.flush()
                organisation_ids.append(organisation.id)
        for day in range(WORKING_DAYS):
            started = _start_of_day(day)
            indexes = range(day * pairs // WORKING_DAYS, (day + 1) * pairs // WORKING_DAYS)
            await _add_pairs(app.database, organisation_ids, indexes, started)
            app.clock._start, app.clock._wall_start = started, time.time()  # type: ignore[attr-defined]
            began = time.monotonic()
            opened, _closed = await app.services.rhythm.process_due()
            timings.append({"pairs": opened, "seconds": round(time.monotonic() - began, 1)})
        async with app.database.read() as session:
            queued = dict(
                (
                    await session.execute(
                        select(Notification.kind, func.count()).group_by(Notification.kind)
                    )
                ).all()
            )
    finally:
        await app.database.dispose()
    return {"cycles_opened_per_day": timings, "rows_queued": queued}


async def _add_pairs(
    database: Any, organisation_ids: list[int], indexes: range, started: datetime
) -> None:
    people = []
    for index in indexes:
        for name in ("Наставник", "Наставляемый"):
            people.append(
                {
                    "full_name": f"{name} {index}",
                    "locale": "en" if index % 4 == 0 else "ru",
                    "status": PersonStatus.ACTIVE,
                    "created_at": started,
                    "last_seen_at": started,
                }
            )
    async with database.write() as session:
        person_ids = (
            await session.scalars(
                insert(Person).returning(Person.id, sort_by_parameter_order=True), people
            )
        ).all()
        # People in order: mentor and mentee of pair `indexes.start`, then of the next pair…
        chats = [FIRST_CHAT_ID + 2 * index + side for index in indexes for side in (0, 1)]
        ids = dict(zip(chats, person_ids, strict=True))
        await session.execute(
            insert(MessengerAccount),
            [
                {
                    "person_id": person_id,
                    "messenger": TELEGRAM,
                    "external_user_id": str(chat),
                    "chat_id": str(chat),
                    "created_at": started,
                }
                for chat, person_id in ids.items()
            ],
        )
        await session.execute(
            insert(MentoringPair),
            [
                {
                    "organisation_id": organisation_ids[index % len(organisation_ids)],
                    "mentor_id": ids[FIRST_CHAT_ID + 2 * index],
                    "mentee_id": ids[FIRST_CHAT_ID + 2 * index + 1],
                    "status": PairStatus.ACTIVE,
                    "origin": PairOrigin.CURATOR_ASSIGNED,
                    "mentoring_type": MentoringType.TRADITIONAL,
                    "created_at": started,
                    "started_at": started,
                    "silent_cycles": 0,
                }
                for index in indexes
            ],
        )


async def check_schedule(database_url: str) -> dict[str, Any]:
    """Where the week's reminders fall: inside each organisation's window, and how evenly."""
    app = create_application(_settings(database_url), ShiftedClock(_evening(0), time.time()))
    try:
        async with app.database.read() as session:
            rows = (
                await session.execute(
                    select(Notification.due_at, Organisation)
                    .join(MentoringPair, MentoringPair.id == Notification.pair_id)
                    .join(Organisation, Organisation.id == MentoringPair.organisation_id)
                    .where(Notification.kind == REMINDER)
                )
            ).all()
    finally:
        await app.database.dispose()
    windows: dict[int, SendingWindow] = {}
    outside = 0
    per_day: Counter[str] = Counter()
    per_minute: Counter[datetime] = Counter()
    week = {MONDAY + timedelta(days=offset) for offset in range(WORKING_DAYS)}
    for due_at, organisation in rows:
        window = windows.setdefault(organisation.id, window_of(organisation))
        local_day = window.local_date(due_at)
        outside += not (window.is_open(due_at) and local_day in week)
        per_day[local_day.isoformat()] += 1
        per_minute[due_at.replace(second=0, microsecond=0)] += 1
    busiest = max(per_minute.values(), default=0)
    return {
        "reminders": len(rows),
        "outside_window_or_week": outside,
        "per_local_day": dict(sorted(per_day.items())),
        "busiest_minute_due": busiest,
        "busiest_minute_due_per_second": round(busiest / 60, 2),
    }


async def _due_count(session: Any, now: datetime) -> int:
    due = or_(
        and_(Notification.status == NotificationStatus.PENDING, Notification.due_at <= now),
        Notification.status == NotificationStatus.SENDING,
    )
    return int(await session.scalar(select(func.count()).select_from(Notification).where(due)) or 0)


async def dispatch(database_url: str, api_url: str, evening: datetime, wall_start: float) -> None:
    """One sender process: send everything due by `evening`, then exit (killed on the kill day)."""
    settings = _settings(database_url, api_url)
    app = create_application(settings, ShiftedClock(evening, wall_start))
    bot = create_bot(settings)
    sender = create_sender(app, bot)
    try:
        while True:
            if await sender.run_once():
                continue
            async with app.database.read() as session:
                if await _due_count(session, evening) == 0:
                    return
            await asyncio.sleep(1)  # only rows claimed by a killed sender are left: their lease
    finally:
        await bot.session.close()
        await app.database.dispose()


async def _spawn(database_url: str, api_url: str, day: int, wall_start: float) -> Any:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.rhythm_week",
        "--database-url",
        database_url,
        "--dispatch-day",
        str(day),
        "--api-url",
        api_url,
        "--wall-start",
        repr(wall_start),
    )


async def run_week(database_url: str, latency: float) -> dict[str, Any]:
    """Dispatch the week day by day in sender processes; kill one mid-day; count what arrived."""
    app = create_application(_settings(database_url), ShiftedClock(_evening(0), time.time()))
    days: list[dict[str, Any]] = []
    killed_at_message: int | None = None
    async with FakeBotApi(send_latency=latency, global_limit=30, per_chat_interval=1.0) as api:
        for day in range(WORKING_DAYS):
            async with app.database.read() as session:
                due_today = await _due_count(session, _evening(day))
            wall_start = time.time()
            before = len(api.messages)
            process = await _spawn(database_url, api.url, day, wall_start)
            if day == KILL_ON_DAY:
                killed_at_message = before + due_today // 2
                api.on_message = _killer(api, process.pid, killed_at_message)
                await process.wait()
                api.on_message = None
                process = await _spawn(database_url, api.url, day, wall_start)
            code = await process.wait()
            if code != 0:
                raise RuntimeError(f"the sender of day {day} exited with {code}")
            sent = api.messages[before:]
            span = sent[-1].at - sent[0].at if len(sent) > 1 else 0.0
            days.append(
                {
                    "day": (MONDAY + timedelta(days=day)).isoformat(),
                    "due": due_today,
                    "delivered": len(sent),
                    "minutes_to_drain": round((time.time() - wall_start) / 60, 1),
                    "messages_per_second": round(len(sent) / span, 2) if span else None,
                    "span_seconds": span,
                }
            )
        async with app.database.read() as session:
            recipients = set(
                (
                    await session.scalars(
                        select(MessengerAccount.chat_id)
                        .join(Notification, Notification.recipient_id == MessengerAccount.person_id)
                        .where(Notification.kind == REMINDER)
                    )
                ).all()
            )
            statuses = dict(
                (
                    await session.execute(
                        select(Notification.status, func.count())
                        .where(Notification.kind == REMINDER)
                        .group_by(Notification.status)
                    )
                ).all()
            )
    await app.database.dispose()
    messages = api.messages
    received = Counter((message.chat_id, message.text) for message in messages)
    per_second = Counter(int(message.at - messages[0].at) for message in messages)
    steady = [day for index, day in enumerate(days) if index != KILL_ON_DAY]
    steady_rate = sum(day["delivered"] for day in steady) / max(
        sum(day.pop("span_seconds") for day in steady), 1e-9
    )
    days[KILL_ON_DAY].pop("span_seconds")
    return {
        "days": days,
        "delivered": len(messages),
        "duplicates": sum(count - 1 for count in received.values() if count > 1),
        "lost": len(recipients - {str(message.chat_id) for message in messages}),
        "reminder_rows_by_status": {str(status): count for status, count in statuses.items()},
        "http_429": len(api.refused),
        "messages_per_second_without_the_kill": round(steady_rate, 2),
        "busiest_second": max(per_second.values(), default=0),
        "killed_at_message": killed_at_message,
    }


def _killer(api: FakeBotApi, pid: int, target: int) -> Callable[[SentMessage], None]:
    """SIGKILL the sender the instant message number `target` arrives: it is delivered to
    "Telegram" but not yet acknowledged to the sender, so it is in flight."""
    killed = False

    def on_message(message: SentMessage) -> None:
        nonlocal killed
        if len(api.messages) >= target and not killed:
            killed = True
            os.kill(pid, signal.SIGKILL)

    return on_message


async def run(database_url: str, pairs: int, latency: float) -> dict[str, Any]:
    began = time.monotonic()
    built = await build(database_url, pairs)
    built["build_seconds"] = round(time.monotonic() - began, 1)
    schedule = await check_schedule(database_url)
    week = await run_week(database_url, latency)
    return {"pairs": pairs, "build": built, "schedule": schedule, "dispatch": week}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=50_000)
    parser.add_argument(
        "--latency", type=float, default=0.1, help="simulated Bot API round trip, seconds"
    )
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp folder")
    # Internal: how the benchmark starts each day's sender process.
    parser.add_argument("--dispatch-day", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--wall-start", type=float, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.dispatch_day is not None:
        asyncio.run(
            dispatch(
                arguments.database_url,
                arguments.api_url,
                _evening(arguments.dispatch_day),
                arguments.wall_start,
            )
        )
        return
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        result = asyncio.run(run(url, arguments.pairs, arguments.latency))
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
