"""SQLite as the bot uses it: PRAGMAs on every connection, enforced foreign keys, UTC datetimes."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.db import SQLITE_BUSY_TIMEOUT_MS, Database, create_engine
from models import Organisation, Person, PersonStatus, RoleAssignment, RoleKind

MOSCOW = timezone(timedelta(hours=3))
NOW = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
CONNECTIONS = 5


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite database of this test's own."""
    path = tmp_path / "settings.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def database(sqlite_url: str) -> AsyncIterator[Database]:
    database = Database(create_engine(sqlite_url))
    yield database
    await database.dispose()


async def _pragma(connection: AsyncConnection, name: str) -> object:
    return (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar_one()


async def test_pragmas_are_set_on_every_connection(database: Database) -> None:
    async with AsyncExitStack() as stack:
        # Held at once, so each is a separate DB-API connection from the pool.
        connections = [
            await stack.enter_async_context(database.engine.connect()) for _ in range(CONNECTIONS)
        ]
        raw_ids = {id(await connection.get_raw_connection()) for connection in connections}
        assert len(raw_ids) == CONNECTIONS
        for connection in connections:
            assert await _pragma(connection, "journal_mode") == "wal"
            assert await _pragma(connection, "synchronous") == 1  # NORMAL
            busy_timeout = await _pragma(connection, "busy_timeout")
            assert isinstance(busy_timeout, int)
            assert busy_timeout >= 5000
            assert busy_timeout == SQLITE_BUSY_TIMEOUT_MS
            assert await _pragma(connection, "foreign_keys") == 1


async def test_pragmas_hold_inside_read_and_write_transactions(database: Database) -> None:
    async with database.read() as session:
        assert (await session.execute(sa.text("PRAGMA foreign_keys"))).scalar_one() == 1
        assert (await session.execute(sa.text("PRAGMA journal_mode"))).scalar_one() == "wal"
    async with database.write() as session:
        assert (await session.execute(sa.text("PRAGMA foreign_keys"))).scalar_one() == 1
        assert (await session.execute(sa.text("PRAGMA busy_timeout"))).scalar_one() >= 5000


async def test_a_foreign_key_violation_is_refused(database: Database) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY constraint failed"):
        async with database.write() as session:
            session.add(RoleAssignment(person_id=999_999, role=RoleKind.SUPERADMIN, granted_at=NOW))

    async with database.read() as session:
        assert await session.scalar(sa.select(sa.func.count(RoleAssignment.id))) == 0


async def test_a_plain_engine_would_not_enforce_foreign_keys(sqlite_url: str) -> None:
    """The control for the test above: enforcement comes from our PRAGMA, not from SQLite."""
    engine: AsyncEngine = create_async_engine(sqlite_url)
    try:
        async with engine.connect() as connection:
            assert await _pragma(connection, "foreign_keys") == 0
    finally:
        await engine.dispose()


async def test_deleting_a_referenced_row_cascades(database: Database) -> None:
    """ON DELETE actions run only with foreign keys on: CASCADE and SET NULL both apply."""
    async with database.write() as session:
        person = Person(
            locale="ru",
            status=PersonStatus.ACTIVE,
            created_at=NOW,
            last_seen_at=NOW,
        )
        session.add(person)
        await session.flush()
        organisation = Organisation(
            name="Школа № 1",
            address="Москва, ул. Ленина, 1",
            timezone="Europe/Moscow",
            settings={},
            created_at=NOW,
            created_by_id=person.id,
        )
        session.add(organisation)
        session.add(RoleAssignment(person_id=person.id, role=RoleKind.SUPERADMIN, granted_at=NOW))
        await session.flush()
        organisation_id = organisation.id

    async with database.write() as session:
        await session.execute(sa.delete(Person))

    async with database.read() as session:
        assert await session.scalar(sa.select(sa.func.count(RoleAssignment.id))) == 0
        kept = await session.get(Organisation, organisation_id)
        assert kept is not None
        assert kept.created_by_id is None


async def test_utc_datetime_comes_back_aware_and_in_utc(database: Database) -> None:
    moscow_morning = datetime(2026, 9, 1, 9, 0, tzinfo=MOSCOW)
    async with database.write() as session:
        person = Person(
            locale="ru",
            status=PersonStatus.ACTIVE,
            created_at=moscow_morning,
            last_seen_at=NOW,
        )
        session.add(person)
        await session.flush()
        person_id = person.id

    async with database.read() as session:
        loaded = await session.get(Person, person_id)
        assert loaded is not None
        assert loaded.created_at == moscow_morning
        assert loaded.created_at.tzinfo is UTC
        assert loaded.created_at == datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
        # Stored as UTC wall time, so ordering and comparisons in SQL are by instant.
        raw = await session.scalar(
            sa.text("SELECT created_at FROM person WHERE id = :id"), {"id": person_id}
        )
        assert str(raw).startswith("2026-09-01 06:00:00")
        for moscow_hour, minute, expected in ((8, 30, 1), (9, 30, 0)):
            bound = datetime(2026, 9, 1, moscow_hour, minute, tzinfo=MOSCOW)
            count = await session.scalar(
                sa.select(sa.func.count(Person.id)).where(Person.created_at > bound)
            )
            assert count == expected, bound


async def test_utc_datetime_refuses_naive_values(database: Database) -> None:
    naive = datetime(2026, 9, 1, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError, match="naive datetime") as caught:
        async with database.write() as session:
            session.add(
                Person(
                    locale="ru",
                    status=PersonStatus.ACTIVE,
                    created_at=naive,
                    last_seen_at=NOW,
                )
            )
    assert isinstance(caught.value.orig, ValueError)

    async with database.read() as session:
        assert await session.scalar(sa.select(sa.func.count(Person.id))) == 0
