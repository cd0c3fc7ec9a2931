"""A real crash: the bot process is SIGKILLed while it sends notifications, then started again.

The bot runs as `python -m bot` against a fake Bot API (bench/fake_bot_api.py) and a fresh SQLite
file. This is the one test that runs in real time, because it drives a real process; every wait
polls a condition with a deadline.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bench.fake_bot_api import FakeBotApi, SentMessage
from bot.db import Database, create_engine
from bot.migrate import upgrade
from models import Notification, NotificationStatus, Person, PersonStatus
from services.outbox import queue as outbox
from tests.identity import telegram_account

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:AAE" + "abcdefghijklmnopqrstuvwxyzABCD"
PEOPLE = 150
KILL_AFTER = 60
DEADLINE = 60.0  # seconds, for each phase
STOP_TIMEOUT = 10.0  # seconds from SIGTERM to exit
POLL_SECONDS = 0.01
FIRST_TELEGRAM_ID = 700_000


async def wait_until(
    condition: Callable[[], bool], deadline: float, process: asyncio.subprocess.Process
) -> bool:
    """Poll `condition` until it holds, the process exits, or the monotonic `deadline` passes."""
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.returncode is not None:
            return condition()
        await asyncio.sleep(POLL_SECONDS)
    return condition()


async def seed(url: str, now: datetime) -> dict[int, str]:
    """PEOPLE people, each with one due notification; returns telegram id → organisation name."""
    database = Database(create_engine(url))
    names = {}
    try:
        async with database.write() as session:
            for index in range(PEOPLE):
                telegram_id = FIRST_TELEGRAM_ID + index
                person = Person(
                    locale="ru" if index % 2 else "en",
                    status=PersonStatus.ACTIVE,
                    created_at=now,
                    last_seen_at=now,
                )
                session.add(person)
                await session.flush()
                session.add(telegram_account(person.id, telegram_id, now))
                names[telegram_id] = f"Школа № {index}"
                queued = await outbox.enqueue(
                    session,
                    recipient_id=person.id,
                    kind="staff_joined",
                    dedupe_key=f"kill-test:{index}",
                    due_at=now,
                    now=now,
                    payload={"organisation_name": names[telegram_id], "role": "curator"},
                )
                assert queued
    finally:
        await database.dispose()
    return names


class BotProcess:
    """The bot as a child process, with its output in files for the failure messages."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self._tmp_path = tmp_path
        self.env = env
        self._runs = 0
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> asyncio.subprocess.Process:
        self._runs += 1
        stdout = (self._tmp_path / f"bot-{self._runs}.out").open("wb")
        stderr = (self._tmp_path / f"bot-{self._runs}.err").open("wb")
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=self._tmp_path,  # away from the project's .env
                env=self.env,
                stdout=stdout,
                stderr=stderr,
                stdin=asyncio.subprocess.DEVNULL,
            )
        except (OSError, NotImplementedError) as error:
            pytest.skip(f"cannot start a subprocess here: {error}")
        finally:
            stdout.close()
            stderr.close()
        return self.process

    def output(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self._tmp_path.glob("bot-*.*"))
        )

    async def terminate(self) -> None:
        """SIGTERM, as a service manager stops the bot; it must exit 0 within STOP_TIMEOUT."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), timeout=STOP_TIMEOUT)
        except TimeoutError:
            pytest.fail(f"the bot did not stop within {STOP_TIMEOUT} s of SIGTERM\n{self.output()}")
        assert self.process.returncode == 0, self.output()

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


@pytest.fixture
async def bot_process(tmp_path: Path) -> AsyncIterator[BotProcess]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PYTHONPATH": str(PROJECT_ROOT),
        "BOT_TOKEN": TOKEN,
        "SUPERADMIN_IDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    bot = BotProcess(tmp_path, env)
    try:
        yield bot
    finally:
        await bot.kill()  # whatever happened, no bot outlives the test


async def statuses(url: str) -> dict[NotificationStatus, int]:
    database = Database(create_engine(url))
    try:
        async with database.read() as session:
            rows = await session.execute(
                select(Notification.status, func.count()).group_by(Notification.status)
            )
            return {status: count for status, count in rows.all()}
    finally:
        await database.dispose()


async def let_leases_run_out(url: str) -> int:
    """Stand-in for waiting DEFAULT_LEASE (2 min) after the crash: the dead process's claims
    end now instead. Returns how many rows it had claimed."""
    database = Database(create_engine(url))
    try:
        async with database.write() as session:
            result = await session.execute(
                update(Notification)
                .where(Notification.status == NotificationStatus.SENDING)
                .values(lease_expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )
            return int(result.rowcount)  # type: ignore[attr-defined]
    finally:
        await database.dispose()


async def test_sigkill_in_the_middle_of_sending_then_restart_delivers_everything_once(
    tmp_path: Path, bot_process: BotProcess
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nastavnik.db'}"
    await upgrade(url)
    names = await seed(url, datetime.now(UTC))
    everyone = set(names)
    in_flight: list[SentMessage] = []

    def kill_while_in_flight(message: SentMessage) -> None:
        """SIGKILL the bot the moment Telegram has message KILL_AFTER, before it is answered:
        the worst moment, with a message delivered but not yet recorded as sent."""
        process = bot_process.process
        if len(api.messages) == KILL_AFTER and process is not None and not in_flight:
            in_flight.append(message)
            process.send_signal(signal.SIGKILL)

    async with FakeBotApi(on_message=kill_while_in_flight) as api:
        bot_process.env.update(DATABASE_URL=url, TELEGRAM_API_URL=api.url)

        # First run: killed without warning in the middle of its second batch.
        started = time.monotonic()
        process = await bot_process.start()
        died = await wait_until(lambda: process.returncode is not None, started + DEADLINE, process)
        assert died, f"only {len(api.messages)} messages arrived\n{bot_process.output()}"
        await process.wait()
        killed_at = time.monotonic()
        assert in_flight, f"the bot exited by itself\n{bot_process.output()}"
        assert process.returncode == -signal.SIGKILL
        delivered_before_kill = len(api.messages)
        before = await statuses(url)
        assert before.get(NotificationStatus.SENT, 0) == KILL_AFTER - 1, before
        claimed_by_dead_process = await let_leases_run_out(url)
        assert claimed_by_dead_process >= 1  # at least the message in flight

        # Second run: picks up the dead process's claimed rows and everything still pending.
        process = await bot_process.start()
        restarted = time.monotonic()

        async def all_delivered() -> bool:
            return everyone <= set(api.per_chat()) and await statuses(url) == {
                NotificationStatus.SENT: PEOPLE
            }

        done = False
        while time.monotonic() < restarted + DEADLINE and process.returncode is None:
            if done := await all_delivered():
                break
            await asyncio.sleep(0.1)
        finished = time.monotonic()
        assert done, f"{len(everyone - set(api.per_chat()))} missing\n{bot_process.output()}"

        # A clean stop: SIGTERM, and the process exits 0 within a few seconds.
        await bot_process.terminate()
        stopped = time.monotonic()

    per_chat = api.per_chat()
    assert set(per_chat) == everyone, "a message went to someone who was not due one"
    duplicates = sum(count - 1 for count in per_chat.values())
    # Only the message in flight at the kill went out twice: Telegram had it, the row did not.
    assert duplicates <= 1, f"{duplicates} duplicates: {per_chat.most_common(5)}"
    assert per_chat[in_flight[0].chat_id] == 2
    for message in api.messages:
        assert names[message.chat_id] in message.text
    assert await statuses(url) == {NotificationStatus.SENT: PEOPLE}

    print(  # shown with `pytest -s`
        f"\nSIGKILL test: {delivered_before_kill} delivered before the kill "
        f"({before.get(NotificationStatus.SENT, 0)} marked sent, {claimed_by_dead_process} left "
        f"claimed) {killed_at - started:.1f} s after start; the restart sent "
        f"{len(api.messages) - delivered_before_kill} more in {finished - restarted:.1f} s; "
        f"{len(api.messages)} messages to {PEOPLE} people, {duplicates} duplicate(s); "
        f"SIGTERM to exit {stopped - finished:.2f} s"
    )


async def test_sigterm_in_the_middle_of_sending_hands_the_batch_back(
    tmp_path: Path, bot_process: BotProcess
) -> None:
    """A deploy stops the bot with SIGTERM: it must not leave rows claimed for a lease (2 min of
    silence for those people after the restart) nor resend what it already delivered."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'nastavnik.db'}"
    await upgrade(url)
    names = await seed(url, datetime.now(UTC))

    async with FakeBotApi() as api:
        bot_process.env.update(DATABASE_URL=url, TELEGRAM_API_URL=api.url)
        started = time.monotonic()
        process = await bot_process.start()
        reached = await wait_until(
            lambda: len(api.messages) >= KILL_AFTER, started + DEADLINE, process
        )
        assert reached, f"only {len(api.messages)} messages arrived\n{bot_process.output()}"

        await bot_process.terminate()
        delivered_before_stop = len(api.messages)
        assert delivered_before_stop < PEOPLE, "the stop came too late to test anything"

        # Every message that went out is recorded as sent; the rest of the batch was given back.
        stopped = await statuses(url)
        assert stopped.get(NotificationStatus.SENDING, 0) == 0, stopped
        assert stopped.get(NotificationStatus.SENT, 0) == delivered_before_stop, stopped
        assert "Traceback" not in bot_process.output(), bot_process.output()

        # The next start goes on at once: no lease to wait out, nothing sent twice.
        process = await bot_process.start()
        restarted = time.monotonic()
        everyone = set(names)
        done = await wait_until(
            lambda: everyone <= set(api.per_chat()), restarted + DEADLINE, process
        )
        assert done, f"{len(everyone - set(api.per_chat()))} never arrived\n{bot_process.output()}"
        await bot_process.terminate()

    per_chat = api.per_chat()
    assert set(per_chat) == everyone
    assert max(per_chat.values()) == 1, per_chat.most_common(3)
    assert await statuses(url) == {NotificationStatus.SENT: PEOPLE}
