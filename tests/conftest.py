"""Shared fixtures: a migrated database per test (SQLite always, PostgreSQL when configured),
the application with a fake clock, a recording bot, and people who talk to it."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import (
    Application,
    create_application,
    create_bot,
    create_dispatcher,
    create_sender,
    prepare_content,
)
from bot.config import Settings
from bot.migrate import upgrade
from bot.telegram.i18n import compile_catalogs
from models import Base
from services.outbox.sender import OutboxSender
from tests.fakes import TEST_TOKEN, FakeClock, RecordingSession, TelegramClient

SUPERADMIN_TELEGRAM_ID = 1000
POSTGRES_ENV = "TEST_DATABASE_URL"


def pytest_configure(config: pytest.Config) -> None:
    compile_catalogs()


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets its own copy."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    asyncio.run(upgrade(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, migrated once, dropped at the end."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    admin_url = make_url(base)
    name = f"nastavnik_test_{uuid.uuid4().hex[:10]}"

    async def admin(statement: str) -> None:
        engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(statement))
        finally:
            await engine.dispose()

    try:
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    except OSError as error:
        pytest.skip(f"PostgreSQL at {admin_url.host}:{admin_url.port} is unreachable: {error}")
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    asyncio.run(upgrade(url))
    yield url
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """An empty, migrated database for one test: a copied SQLite file, or truncated tables."""
    if request.param == "sqlite":
        path = tmp_path / "nastavnik.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")

    async def truncate() -> None:
        engine = create_async_engine(url)
        tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        try:
            async with engine.begin() as connection:
                await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        finally:
            await engine.dispose()

    asyncio.run(truncate())
    return url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        BOT_TOKEN=TEST_TOKEN,
        DATABASE_URL=database_url,
        SUPERADMIN_IDS=str(SUPERADMIN_TELEGRAM_ID),
    )


@pytest.fixture
async def app(settings: Settings, clock: FakeClock) -> AsyncIterator[Application]:
    application = create_application(settings, clock)
    await prepare_content(application)
    yield application
    await application.database.dispose()


@pytest.fixture
def session() -> RecordingSession:
    return RecordingSession()


@pytest.fixture
async def bot(settings: Settings, session: RecordingSession) -> AsyncIterator[Bot]:
    instance = create_bot(settings, session=session)
    yield instance
    await instance.session.close()


@pytest.fixture
def dispatcher(app: Application) -> Dispatcher:
    return create_dispatcher(app)


@pytest.fixture
def sender(app: Application, bot: Bot) -> OutboxSender:
    return create_sender(app, bot)


PersonFactory = Callable[..., TelegramClient]


@pytest.fixture
def person(
    dispatcher: Dispatcher, bot: Bot, session: RecordingSession, clock: FakeClock
) -> PersonFactory:
    """Make a person: `person(42)`, `person(43, language_code="en")`."""

    def make(user_id: int, **options: object) -> TelegramClient:
        options.setdefault("clock", clock)
        return TelegramClient(dispatcher, bot, session, user_id=user_id, **options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def superadmin(person: PersonFactory) -> TelegramClient:
    return person(SUPERADMIN_TELEGRAM_ID, first_name="Admin")


Step = Callable[[], Awaitable[object]]
