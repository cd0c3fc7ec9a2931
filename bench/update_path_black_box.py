"""The black-box half of `bench.update_path`: the real bot process beside a bare echo bot.

Each bot runs as its own process against `bench.fake_bot_api` with no flood limits, and is fed
the same number of `/help` updates, each from a different person, queued before it starts and
handed out through getUpdates. Answers per second run from the first update handed out to the
last answer received. By default the people are known to the real bot: made just before through
`PeopleService.touch`, as if each had written once a moment ago (no organisation). With
`--strangers` they are people it has never seen. With `--returning` each person writes twice
and only the second wave is timed: the path of a person's every later message, whom the process
remembers (the first wave runs untimed before it). The bots take turns (the echo bot, then the
real bot, in each round), so they never share the CPU.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from bench.fake_bot_api import FakeBotApi, text_message
from bench.update_path_report import BlackBoxResult
from bot.app import create_application
from bot.config import Settings
from bot.migrate import upgrade
from bot.telegram.identity import telegram_key
from services.core.clock import SystemClock

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ECHO_BOT = Path(__file__).resolve().with_name("echo_bot.py")
TOKEN = "123456:AAEbenchmarkbenchmarkbenchmark_xyz"  # noqa: S105 - a fake server's token
SUPERADMIN_ID = 1000
FIRST_USER_ID = 5_000_000
ANSWER_DEADLINE_SECONDS = 600.0
STOP_TIMEOUT_SECONDS = 20.0


async def _seed_people(database_url: str, user_ids: list[int]) -> None:
    """Make the bot know these people, seen just now, the way it learns anyone: through
    `PeopleService.touch`, as for a first message. Their /help then needs no write."""
    settings = Settings(_env_file=None, BOT_TOKEN=TOKEN, DATABASE_URL=database_url)
    app = create_application(settings, SystemClock())
    try:
        for user_id in user_ids:
            await app.services.people.touch(telegram_key(user_id), "ru", chat_id=str(user_id))
    finally:
        await app.database.dispose()


def _help_wave(first_update_id: int, user_ids: list[int]) -> list[dict[str, object]]:
    return [
        text_message(first_update_id + index, user_id=user_id, text="/help")
        for index, user_id in enumerate(user_ids)
    ]


async def _answered(
    process: asyncio.subprocess.Process, api: FakeBotApi, wanted: set[int], since: int
) -> None:
    """Wait until every wanted chat got a message after the first `since` messages."""
    deadline = time.monotonic() + ANSWER_DEADLINE_SECONDS
    while process.returncode is None and time.monotonic() < deadline:
        if wanted <= {message.chat_id for message in api.messages[since:]}:
            return
        await asyncio.sleep(0.05)


async def _feed_one(
    name: str,
    command: list[str],
    env: dict[str, str],
    user_ids: list[int],
    folder: Path,
    *,
    returning: bool = False,
) -> BlackBoxResult:
    """One bot process, fed one /help from each person; with `returning`, a second one from
    each once all are answered, and only that second wave is measured."""
    async with FakeBotApi() as api:
        api.add_updates(_help_wave(1, user_ids))
        wanted = set(user_ids)
        log = folder / f"{name}-{user_ids[0]}.log"
        since, started = 0, None
        with log.open("wb") as output:
            process = await asyncio.create_subprocess_exec(
                *command,
                cwd=folder,  # away from the project's .env
                env={**env, "TELEGRAM_API_URL": api.url},
                stdin=asyncio.subprocess.DEVNULL,
                stdout=output,
                stderr=asyncio.subprocess.STDOUT,
            )
            try:
                await _answered(process, api, wanted, since)
                if returning:
                    since, started = len(api.messages), time.monotonic()
                    api.add_updates(_help_wave(len(user_ids) + 1, user_ids))
                    await _answered(process, api, wanted, since)
            finally:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        await asyncio.wait_for(process.wait(), STOP_TIMEOUT_SECONDS)
                    except TimeoutError:
                        process.kill()
                        await process.wait()
    answers = [message for message in api.messages[since:] if message.chat_id in wanted]
    answered = len({message.chat_id for message in answers})
    if answered < len(user_ids):
        tail = log.read_text(errors="replace")[-2000:]
        print(f"{name}: only {answered} of {len(user_ids)} answered; its log ends:\n{tail}")
    if started is None:
        started = api.first_update_at
    seconds = max(m.at for m in answers) - started if answers and started is not None else 0.0
    return BlackBoxResult(name, len(user_ids), answered, seconds)


async def run_black_box(
    database_url: str,
    folder: Path,
    *,
    updates: int,
    repeats: int,
    log_level: str,
    strangers: bool,
    returning: bool = False,
) -> list[BlackBoxResult]:
    """`repeats` rounds of: the echo bot, then the real bot; new people in every round."""
    await upgrade(database_url)
    rounds = [
        list(range(FIRST_USER_ID + r * updates, FIRST_USER_ID + (r + 1) * updates))
        for r in range(repeats)
    ]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(folder)),
        "PYTHONPATH": str(PROJECT_ROOT),
        "BOT_TOKEN": TOKEN,
        "DATABASE_URL": database_url,
        "SUPERADMIN_IDS": str(SUPERADMIN_ID),
        "LOG_LEVEL": log_level,
    }
    results = []
    for index, user_ids in enumerate(rounds):
        if not strangers:
            # Just before the round, so that they count as seen a moment ago.
            await _seed_people(database_url, user_ids)
        for name, command in (
            ("bare aiogram echo", [sys.executable, str(ECHO_BOT)]),
            ("nastavnik", [sys.executable, "-m", "bot"]),
        ):
            result = await _feed_one(name, command, env, user_ids, folder, returning=returning)
            results.append(result)
            print(
                f"round {index + 1}/{repeats}: {name}: {result.answered}/{result.updates} "
                f"in {result.seconds:.2f} s, {result.per_second:.0f}/s",
                flush=True,
            )
    return results
