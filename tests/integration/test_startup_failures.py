"""A Bot API that cannot be reached or answers garbage stops start-up with one line naming
TELEGRAM_API_URL and exit code 1 — and the token appears nowhere in what the operator sees."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from aiohttp import web

from tests.fakes import TEST_TOKEN

ROOT = Path(__file__).resolve().parents[2]
SECRET_PART = TEST_TOKEN.partition(":")[2]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def echo_html(request: web.Request) -> web.Response:
    """What a misconfigured reverse proxy answers: a page repeating the request path."""
    page = (
        "<html>\n<head><title>404 Not Found</title></head>\n<body>\n"
        f"<h1>Not Found</h1>\n<p>The URL {request.path} was not found on this server.</p>\n"
        f"<p>Raw: {request.raw_path}</p>\n</body>\n</html>\n"
    )
    return web.Response(text=page, status=404, content_type="text/html")


async def bad_gateway(request: web.Request) -> web.Response:
    return web.Response(text=f"502 Bad Gateway: upstream failed for {request.path}", status=502)


@asynccontextmanager
async def http_server(handler: Handler) -> AsyncIterator[int]:
    application = web.Application()
    application.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    finally:
        await runner.cleanup()


@asynccontextmanager
async def silent_server() -> AsyncIterator[int]:
    """Accepts the connection, reads the request, and never answers."""
    connections: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)
        await reader.read(65536)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in connections:
            writer.close()
        server.close()
        await server.wait_closed()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def run_bot(api_url: str, tmp_path: Path) -> tuple[int, str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "LOG_"))
    } | {
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TEST_TOKEN,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "TELEGRAM_API_URL": api_url,
        "TELEGRAM_STARTUP_TIMEOUT": "1",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,  # no .env there
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, stdout.decode() + stderr.decode()


def assert_one_line_without_token(returncode: int, output: str, api_url: str) -> str:
    assert returncode == 1, output
    naming = [line for line in output.splitlines() if api_url in line]
    assert len(naming) == 1, output
    assert naming[0].startswith(f"Cannot reach the Telegram Bot API at {api_url} ("), output
    assert "TELEGRAM_API_URL" in naming[0]
    assert "Traceback" not in output
    for secret in (TEST_TOKEN, SECRET_PART, quote(TEST_TOKEN, safe="")):
        assert secret not in output
    return naming[0]


@pytest.mark.parametrize(
    ("handler", "expected"),
    [(echo_html, "ClientDecodeError"), (bad_gateway, "ClientDecodeError")],
    ids=["html-echoing-the-path", "non-json-502"],
)
async def test_garbage_answer_is_one_line_without_the_token(
    handler: Handler, expected: str, tmp_path: Path
) -> None:
    async with http_server(handler) as port:
        api_url = f"http://127.0.0.1:{port}"
        returncode, output = await run_bot(api_url, tmp_path)
    line = assert_one_line_without_token(returncode, output, api_url)
    assert expected in line


async def test_tls_to_a_plain_http_server_is_one_line(tmp_path: Path) -> None:
    async with http_server(echo_html) as port:
        api_url = f"https://127.0.0.1:{port}"
        returncode, output = await run_bot(api_url, tmp_path)
    assert_one_line_without_token(returncode, output, api_url)


async def test_server_that_never_answers_fails_within_the_startup_timeout(
    tmp_path: Path,
) -> None:
    async with silent_server() as port:
        api_url = f"http://127.0.0.1:{port}"
        loop = asyncio.get_running_loop()
        started = loop.time()
        returncode, output = await run_bot(api_url, tmp_path)
        elapsed = loop.time() - started
    line = assert_one_line_without_token(returncode, output, api_url)
    assert "Request timeout error" in line
    # One second of TELEGRAM_STARTUP_TIMEOUT plus Python's start-up and the migrations.
    assert elapsed < 30


async def test_closed_port_is_one_line(tmp_path: Path) -> None:
    api_url = f"http://127.0.0.1:{closed_port()}"
    returncode, output = await run_bot(api_url, tmp_path)
    line = assert_one_line_without_token(returncode, output, api_url)
    assert "TelegramNetworkError" in line
