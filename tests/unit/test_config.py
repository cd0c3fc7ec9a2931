"""Settings: every public name is read; a bad one stops start-up with one clear line, exit 2."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from pydantic import ValidationError

from bot.config import Settings, describe_error
from tests.fakes import TEST_TOKEN

ROOT = Path(__file__).resolve().parents[2]


def load(**environment: str) -> Settings:
    return Settings(_env_file=None, **environment)  # type: ignore[arg-type]


def test_defaults() -> None:
    settings = load(BOT_TOKEN=TEST_TOKEN)
    assert settings.database_url == "sqlite+aiosqlite:///data/nastavnik.db"
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.superadmin_ids == frozenset()
    assert (settings.default_locale, settings.default_timezone) == ("ru", "Europe/Moscow")
    assert settings.log_level == "INFO"
    assert settings.log_format == "text"
    assert settings.telegram_startup_timeout == 15


def test_public_names_are_read() -> None:
    settings = load(
        BOT_TOKEN=TEST_TOKEN,
        DATABASE_URL="postgresql+asyncpg://bot@db.example/nastavnik",
        TELEGRAM_API_URL="http://localhost:8081/",
        SUPERADMIN_IDS="1, 22,333",
        DEFAULT_LOCALE="en",
        DEFAULT_TIMEZONE="Asia/Irkutsk",
        LOG_LEVEL="debug",
        LOG_FORMAT="JSON",
        TELEGRAM_STARTUP_TIMEOUT="3",
    )
    assert (settings.log_format, settings.telegram_startup_timeout) == ("json", 3)
    assert settings.database_kind == "postgresql"
    assert settings.superadmin_ids == frozenset({1, 22, 333})
    assert settings.telegram_api_url == "http://localhost:8081"
    assert settings.log_level == "DEBUG"
    assert not settings.is_sqlite


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"BOT_TOKEN": "not-a-token"}, "Configuration error: BOT_TOKEN does not look like"),
        ({"DATABASE_URL": "mysql://x"}, "Configuration error: DATABASE_URL must start with"),
        ({"DATABASE_URL": "::::"}, "Configuration error: DATABASE_URL is not a database URL"),
        ({"SUPERADMIN_IDS": "12,abc"}, "Configuration error: SUPERADMIN_IDS must be"),
        ({"DEFAULT_LOCALE": "de"}, "Configuration error: DEFAULT_LOCALE must be one of"),
        ({"DEFAULT_TIMEZONE": "Moscow"}, "Configuration error: DEFAULT_TIMEZONE is not an IANA"),
        ({"LOG_LEVEL": "LOUD"}, "Configuration error: LOG_LEVEL must be"),
        ({"TELEGRAM_API_URL": "ftp://x"}, "Configuration error: TELEGRAM_API_URL must be"),
        ({"LOG_FORMAT": "xml"}, "Configuration error: LOG_FORMAT must be text or json"),
        ({"TELEGRAM_STARTUP_TIMEOUT": "0"}, "Configuration error: TELEGRAM_STARTUP_TIMEOUT"),
    ],
)
def test_bad_settings_are_named(environment: dict[str, str], expected: str) -> None:
    with pytest.raises(ValidationError) as error:
        load(**({"BOT_TOKEN": TEST_TOKEN} | environment))
    line = describe_error(error.value)
    assert line.startswith(expected)
    assert "\n" not in line


@pytest.mark.parametrize("environment", [{}, {"BOT_TOKEN": ""}, {"BOT_TOKEN": "  "}])
def test_the_token_is_optional_for_settings(environment: dict[str, str]) -> None:
    """migrate and backup read the settings without a token; only running the bot needs it."""
    settings = load(**environment)
    assert not settings.has_token
    assert settings.database_kind == "sqlite"


def test_token_value_never_appears_in_the_error() -> None:
    secret = "1234567:short"
    with pytest.raises(ValidationError) as error:
        load(BOT_TOKEN=secret)
    assert secret not in describe_error(error.value)


def _run_bot(environment: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        env=clean | environment,
        cwd=tmp_path,  # no .env there
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("token", [{}, {"BOT_TOKEN": ""}], ids=["unset", "empty"])
def test_missing_token_exits_2_with_one_line(token: dict[str, str], tmp_path: Path) -> None:
    result = _run_bot({"PYTHONPATH": str(ROOT)} | token, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: BOT_TOKEN is required (set it in the environment or in .env)"
    ]
    assert "Traceback" not in result.stderr


@pytest.fixture
async def unauthorized_api() -> AsyncIterator[str]:
    """A Bot API that rejects every token, as Telegram does for a revoked one."""

    async def reject(request: web.Request) -> web.Response:
        return web.json_response(
            {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
        )

    application = web.Application()
    application.router.add_route("*", "/{tail:.*}", reject)
    runner = web.AppRunner(application)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_rejected_token_exits_2_without_traceback(
    unauthorized_api: str, tmp_path: Path
) -> None:
    import asyncio

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
        | {
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": TEST_TOKEN,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            "TELEGRAM_API_URL": unauthorized_api,
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    lines = stderr.decode().strip().splitlines()
    assert process.returncode == 2
    assert lines[-1].startswith("Configuration error: BOT_TOKEN was rejected by Telegram (401")
    assert "Traceback" not in stderr.decode()
    assert TEST_TOKEN not in stderr.decode()
    # The database was created and migrated before the token was checked.
    assert (tmp_path / "bot.db").exists()


def test_migrate_command_creates_and_keeps_the_database(tmp_path: Path) -> None:
    """`python -m bot migrate` needs no BOT_TOKEN: a database is prepared before the bot exists."""
    database = tmp_path / "data" / "nastavnik.db"
    environment = {
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
    }
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}

    def migrate() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "migrate"],
            env=clean | environment,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    first = migrate()
    assert first.returncode == 0, first.stderr
    assert "BOT_TOKEN" not in first.stderr
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO person (full_name, locale, status, created_at, last_seen_at) "
            "VALUES ('Анна', 'ru', 'active', '2026-09-01 00:00:00', '2026-09-01 00:00:00')"
        )
    connection.close()
    second = migrate()
    assert second.returncode == 0, second.stderr
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT full_name FROM person").fetchall() == [("Анна",)]
    connection.close()
