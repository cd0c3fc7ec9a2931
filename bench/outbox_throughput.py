"""Outbox throughput against a Bot API that enforces Telegram's flood limits.

Builds a fresh database with one queued notification per person (and some people with several),
runs the real sender (`bot.app.create_sender`, real clock, real aiohttp session) against
`bench.fake_bot_api` configured to refuse with 429 above 30 messages a second overall or more than
one message a second to one chat, and reports messages per second, 429s, duplicates and losses.

    python -m bench.outbox_throughput                  # 1500 messages on SQLite
    python -m bench.outbox_throughput --messages 3000 --latency 0.15
    python -m bench.outbox_throughput --database-url postgresql+asyncpg://postgres@localhost/bench

The PostgreSQL database must exist and be empty; the script migrates it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bench.fake_bot_api import FakeBotApi
from bot.app import create_application, create_bot, create_sender
from bot.config import Settings
from bot.migrate import upgrade
from bot.telegram.identity import TELEGRAM
from models import MessengerAccount, Notification, NotificationStatus, Person
from services.core.clock import SystemClock

TOKEN = "123456:AAEbenchmarkbenchmarkbenchmark_xyz"  # noqa: S105 - a fake server's token
TELEGRAM_GLOBAL_LIMIT = 30
TELEGRAM_PER_CHAT_INTERVAL = 1.0


async def _fill(settings: Settings, messages: int, per_person: int) -> None:
    app = create_application(settings, SystemClock())
    now = app.clock.now()
    people = max(1, messages // per_person)
    async with app.database.write() as session:
        await session.execute(
            insert(Person),
            [
                {
                    "locale": "ru" if index % 3 else "en",
                    "status": "active",
                    "created_at": now,
                    "last_seen_at": now,
                }
                for index in range(people)
            ],
        )
        ids = list((await session.scalars(select(Person.id).order_by(Person.id))).all())
        await session.execute(
            insert(MessengerAccount),
            [
                {
                    "person_id": person_id,
                    "messenger": TELEGRAM,
                    "external_user_id": str(10_000_000 + index),
                    "chat_id": str(10_000_000 + index),
                    "created_at": now,
                }
                for index, person_id in enumerate(ids)
            ],
        )
        await session.execute(
            insert(Notification),
            [
                {
                    "recipient_id": ids[index % people],
                    "kind": "staff_joined",
                    "payload": {"organisation_name": f"Школа № {index}", "role": "mentor"},
                    "dedupe_key": f"bench:{index}",
                    "due_at": now,
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                }
                for index in range(messages)
            ],
        )
    await app.database.dispose()


async def run(database_url: str, messages: int, per_person: int, latency: float) -> dict[str, Any]:
    settings = Settings(
        _env_file=None,
        BOT_TOKEN=TOKEN,
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    await upgrade(database_url)
    await _fill(settings, messages, per_person)

    async with FakeBotApi(
        send_latency=latency,
        global_limit=TELEGRAM_GLOBAL_LIMIT,
        per_chat_interval=TELEGRAM_PER_CHAT_INTERVAL,
    ) as api:
        settings = settings.model_copy(update={"telegram_api_url": api.url})
        app = create_application(settings, SystemClock())
        bot = create_bot(settings)
        sender = create_sender(app, bot)
        started = time.monotonic()
        try:
            while True:
                handled = await sender.run_once()
                counts = await app.services.outbox.counts()
                if counts.get(NotificationStatus.PENDING, 0) == 0 and not handled:
                    break
                if handled == 0:
                    await asyncio.sleep(0.2)  # only rows waiting out a backoff are left
            elapsed = time.monotonic() - started
            async with app.database.read() as session:
                unsent = await session.scalar(
                    select(func.count())
                    .select_from(Notification)
                    .where(Notification.status != NotificationStatus.SENT)
                )
        finally:
            await bot.session.close()
            await app.database.dispose()

    texts = Counter((message.chat_id, message.text) for message in api.messages)
    first, last = api.messages[0].at, api.messages[-1].at
    per_second = Counter(int(message.at - first) for message in api.messages)
    gaps = _per_chat_gaps(api.messages)
    return {
        "messages": messages,
        "recipients": max(1, messages // per_person),
        "simulated_round_trip_s": latency,
        "delivered": len(api.messages),
        "duplicates": sum(count - 1 for count in texts.values() if count > 1),
        "lost": messages - len(texts),
        "rows_not_sent": unsent,
        "http_429": len(api.refused),
        "seconds": round(elapsed, 2),
        "messages_per_second": round(len(api.messages) / max(last - first, 1e-9), 2),
        "busiest_second": max(per_second.values()),
        "min_gap_same_chat_s": round(min(gaps), 3) if gaps else None,
        "median_gap_same_chat_s": round(statistics.median(gaps), 3) if gaps else None,
    }


def _per_chat_gaps(sent: list[Any]) -> list[float]:
    last: dict[int, float] = {}
    gaps = []
    for message in sent:
        if message.chat_id in last:
            gaps.append(message.at - last[message.chat_id])
        last[message.chat_id] = message.at
    return gaps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1500)
    parser.add_argument(
        "--per-person", type=int, default=3, help="messages per recipient (tests per-chat pacing)"
    )
    parser.add_argument(
        "--latency", type=float, default=0.1, help="simulated Bot API round trip, seconds"
    )
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp folder")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        result = asyncio.run(run(url, arguments.messages, arguments.per_person, arguments.latency))
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
