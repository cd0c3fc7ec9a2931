"""A tiny Bot API server for driving the real bot process (crash tests, benchmarks).

It answers `POST /bot<token>/<method>` the way Telegram does for the calls the bot makes on its
own: getMe, getUpdates (a long poll), the command-menu calls, and sendMessage, whose chat id and
text it records. Anything else is answered `true`.

getUpdates hands out the updates queued with `add_updates` (none unless asked), as Telegram does:
at most `limit` (100) at a time, oldest first, again and again until the bot confirms them by
asking with an `offset` past their `update_id`; with nothing queued it waits up to the poll's
`timeout` (capped) for updates to arrive.

With `global_limit` and `per_chat_interval` it enforces Telegram's flood limits the way Telegram
does: a sendMessage over the limit is refused with 429 and `retry_after`, and is not delivered.

    async with FakeBotApi() as api:
        ...  # start the bot with TELEGRAM_API_URL=api.url
        api.messages  # what the bot sent, in order
        api.add_updates([text_message(1, user_id=42, text="/help")])  # what people send

Run it on its own with `python -m bench.fake_bot_api --port 8081`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiohttp import web

FAKE_BOT_ID = 123456
FAKE_BOT_USERNAME = "fake_nastavnik_bot"
# Telegram's own cap on `limit` in getUpdates, and its default.
UPDATES_LIMIT = 100


@dataclass(frozen=True, slots=True)
class FloodWait:
    retry_after: int


@dataclass(frozen=True, slots=True)
class SentMessage:
    chat_id: int
    text: str
    message_id: int
    at: float  # time.monotonic() when the request arrived


class FakeBotApi:
    """The fake server; `url` is what the bot's TELEGRAM_API_URL must be set to."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        long_poll_cap: float = 1.0,
        send_latency: float = 0.0,
        on_message: Callable[[SentMessage], None] | None = None,
        global_limit: int | None = None,
        per_chat_interval: float | None = None,
    ) -> None:
        self._host = host
        self._port = port
        # getUpdates waits at most this long (the bot asks for more), so shutdowns are quick.
        self._long_poll_cap = long_poll_cap
        # Extra delay before answering sendMessage, to imitate the round trip to Telegram.
        self._send_latency = send_latency
        # Called with each message as soon as it is recorded, before the bot gets its answer
        # (a crash test kills the bot here, so the message is delivered but never acknowledged).
        self.on_message = on_message
        # Flood limits: at most `global_limit` messages in any second, and one per chat per
        # `per_chat_interval` seconds; None switches a limit off.
        self._global_limit = global_limit
        self._per_chat_interval = per_chat_interval
        self._recent: deque[float] = deque()
        self._last_per_chat: dict[int, float] = {}
        self.refused: list[tuple[int, float]] = []  # (chat id, time) of each 429
        self._message_ids = itertools.count(1)
        self._closing = asyncio.Event()
        # Set when updates are queued or the server stops: a waiting getUpdates answers at once.
        self._wake = asyncio.Event()
        self._updates: deque[dict[str, Any]] = deque()
        # time.monotonic() when the first update was handed out, and the newest id handed out.
        self.first_update_at: float | None = None
        self.last_update_id = 0
        self._runner: web.AppRunner | None = None
        self.messages: list[SentMessage] = []
        self.calls: Counter[str] = Counter()
        self.tokens: set[str] = set()

    @property
    def url(self) -> str:
        if self._runner is None:
            raise RuntimeError("the fake Bot API is not running")
        host, port = self._runner.addresses[0][:2]
        return f"http://{host}:{port}"

    def add_updates(self, updates: Iterable[dict[str, Any]]) -> None:
        """Queue updates (Bot API JSON, each with an `update_id`) for getUpdates to hand out."""
        self._updates.extend(updates)
        self._wake.set()

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    def per_chat(self) -> Counter[int]:
        return Counter(message.chat_id for message in self.messages)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        await web.TCPSite(runner, self._host, self._port).start()
        self._runner = runner

    async def stop(self) -> None:
        self._closing.set()
        self._wake.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.tokens.add(request.match_info["token"])
        self.calls[method] += 1
        fields = await request.post()
        params = {key: str(value) for key, value in fields.items()}
        result = await self._answer(method.lower(), params)
        if isinstance(result, FloodWait):
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {result.retry_after}",
                    "parameters": {"retry_after": result.retry_after},
                },
                status=429,
            )
        return web.json_response({"ok": True, "result": result})

    async def _answer(self, method: str, params: dict[str, str]) -> Any:
        if method == "getme":
            return {
                "id": FAKE_BOT_ID,
                "is_bot": True,
                "first_name": "Nastavnik",
                "username": FAKE_BOT_USERNAME,
                "can_join_groups": False,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method == "getupdates":
            return await self._get_updates(params)
        if method == "sendmessage":
            return await self._send_message(params)
        return True

    async def _get_updates(self, params: dict[str, str]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        # An offset confirms every update before it: Telegram forgets them.
        while self._updates and int(self._updates[0]["update_id"]) < offset:
            self._updates.popleft()
        if not self._updates and not self._closing.is_set():
            wait = min(float(params.get("timeout") or 0), self._long_poll_cap)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)
        limit = int(params.get("limit") or UPDATES_LIMIT)
        batch = list(itertools.islice(self._updates, max(1, min(limit, UPDATES_LIMIT))))
        if batch:
            if self.first_update_at is None:
                self.first_update_at = time.monotonic()
            self.last_update_id = max(self.last_update_id, int(batch[-1]["update_id"]))
        return batch

    def _flood_wait(self, chat_id: int, now: float) -> float:
        """Seconds the sender must wait, or 0 if this message is within the limits."""
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        wait = 0.0
        if self._global_limit is not None and len(self._recent) >= self._global_limit:
            wait = 1.0 - (now - self._recent[0])
        last = self._last_per_chat.get(chat_id)
        if self._per_chat_interval is not None and last is not None:
            wait = max(wait, self._per_chat_interval - (now - last))
        return wait

    async def _send_message(self, params: dict[str, str]) -> Any:
        arrived = time.monotonic()
        chat_id = int(params["chat_id"])
        wait = self._flood_wait(chat_id, arrived)
        if wait > 0:
            self.refused.append((chat_id, arrived))
            return FloodWait(max(1, math.ceil(wait)))
        self._recent.append(arrived)
        self._last_per_chat[chat_id] = arrived
        if self._send_latency:
            await asyncio.sleep(self._send_latency)
        text = params.get("text", "")
        message_id = next(self._message_ids)
        message = SentMessage(chat_id, text, message_id, arrived)
        self.messages.append(message)
        if self.on_message is not None:
            self.on_message(message)
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": text,
        }


def text_message(
    update_id: int, *, user_id: int, text: str, language_code: str = "ru"
) -> dict[str, Any]:
    """An update with a private text message from a person, as Telegram sends it."""
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": "Анна"},
        "from": {
            "id": user_id,
            "is_bot": False,
            "first_name": "Анна",
            "language_code": language_code,
        },
        "text": text,
    }
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"update_id": update_id, "message": message}


async def _serve(port: int, send_latency: float) -> None:
    async with FakeBotApi(port=port, send_latency=send_latency) as api:
        print(f"Fake Bot API at {api.url}; Ctrl+C stops it", flush=True)
        try:
            while True:
                await asyncio.sleep(5)
                print(json.dumps({"messages": len(api.messages), **api.calls}), flush=True)
        except asyncio.CancelledError:
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--send-latency", type=float, default=0.0)
    arguments = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(arguments.port, arguments.send_latency))


if __name__ == "__main__":
    main()
