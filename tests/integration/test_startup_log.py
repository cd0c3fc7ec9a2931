"""A healthy start writes exactly one line (version, database kind, mode, @username), and the
running bot stays quiet at INFO: no per-tick or per-update chatter."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import pytest
from aiohttp import web

from bot.migrate import upgrade
from tests.fakes import BOT_ID, TEST_TOKEN
from tests.integration.test_startup_failures import http_server

ROOT = Path(__file__).resolve().parents[2]
# Long polls the bot makes before the test stops it: each is a full round of the polling loop,
# and the scheduler's jobs have run right after start, before the first one.
POLLS = 5


@pytest.mark.parametrize("log_format", ["text", "json"])
async def test_start_up_is_one_line_and_then_silence(log_format: str, tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade(database)  # a bot that was started before: no migration lines this time
    calls: Counter[str] = Counter()
    polled = asyncio.Event()

    async def bot_api(request: web.Request) -> web.Response:
        method = request.path.rsplit("/", 1)[-1]
        calls[method] += 1
        if method == "getMe":
            user = {"id": BOT_ID, "is_bot": True, "first_name": "N", "username": "sosh7_bot"}
            return web.json_response({"ok": True, "result": user})
        if method == "getUpdates":
            if calls[method] >= POLLS:
                polled.set()
            return web.json_response({"ok": True, "result": []})
        return web.json_response({"ok": True, "result": True})

    async with http_server(bot_api) as port:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=tmp_path,
            env={k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "LOG_"))}
            | {
                "PYTHONPATH": str(ROOT),
                "BOT_TOKEN": TEST_TOKEN,
                "DATABASE_URL": database,
                "TELEGRAM_API_URL": f"http://127.0.0.1:{port}",
                "LOG_FORMAT": log_format,
            },
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await asyncio.wait_for(polled.wait(), timeout=60)
        finally:
            process.send_signal(signal.SIGTERM)
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    output = (stdout + stderr).decode()
    lines = output.splitlines()
    assert process.returncode == 0, output
    # Everything before the shutdown: the one start-up line.
    before_stop = lines[: next(i for i, line in enumerate(lines) if "SIGTERM" in line)]
    assert len(before_stop) == 1, output
    message = before_stop[0]
    if log_format == "json":
        entry = json.loads(message)
        assert (entry["level"], entry["logger"]) == ("INFO", "bot")
        message = entry["message"]
    assert message.endswith(
        f"Nastavnik {version('nastavnik')} started: database sqlite, long polling, bot @sosh7_bot"
    )
    assert TEST_TOKEN.partition(":")[2] not in output
