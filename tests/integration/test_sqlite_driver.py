"""The SQLite driver's fewer trips (bot/sqlite_driver.py) change nothing a caller can see: every
row arrives, writes and rollbacks do what they did, a failed first statement leaves no
transaction behind, read snapshots end — and a read costs one trip to SQLite's thread."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from bot import sqlite_driver
from bot.db import Database, create_engine
from models import Person, PersonStatus

NOW = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
async def database(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[Database]:
    path = tmp_path / "driver.db"
    shutil.copy(sqlite_template, path)
    database = Database(create_engine(f"sqlite+aiosqlite:///{path}"))
    yield database
    await database.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every function sent to SQLite's thread and waited for."""
    sent: list[str] = []
    original = sqlite_driver.PrefetchingConnection._execute

    async def counted(
        self: sqlite_driver.PrefetchingConnection,
        function: Callable[..., Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        sent.append(getattr(function, "__name__", repr(function)))
        return await original(self, function, *args, **kwargs)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(sqlite_driver.PrefetchingConnection, "_execute", counted)
    return sent


def _person(number: int) -> Person:
    return Person(
        full_name=f"Учитель {number}",
        locale="ru",
        status=PersonStatus.ACTIVE,
        created_at=NOW,
        last_seen_at=NOW,
    )


async def test_every_row_of_a_large_result_arrives(database: Database) -> None:
    count = sqlite_driver.PREFETCH_ROWS * 3 + 7
    async with database.write() as session:
        session.add_all(_person(number) for number in range(count))
    async with database.read() as session:
        names = (await session.scalars(sa.select(Person.full_name).order_by(Person.id))).all()
    assert len(names) == count
    assert names[0] == "Учитель 0"
    assert names[-1] == f"Учитель {count - 1}"


async def test_a_streamed_result_arrives_in_order_and_whole(database: Database) -> None:
    count = sqlite_driver.PREFETCH_ROWS * 2 + 3
    async with database.write() as session:
        session.add_all(_person(number) for number in range(count))
    async with database.read() as session:
        result = await session.stream_scalars(
            sa.select(Person.id).order_by(Person.id).execution_options(yield_per=100)
        )
        ids = [person_id async for person_id in result]
    assert ids == sorted(ids)
    assert len(ids) == count


async def test_returning_rowcount_and_ids(database: Database) -> None:
    async with database.write() as session:
        people = [_person(1), _person(2)]
        session.add_all(people)
        await session.flush()
        assert all(person.id for person in people)
        changed = await session.execute(
            sa.update(Person).where(Person.full_name == "Учитель 1").values(locale="en")
        )
        assert getattr(changed, "rowcount", None) == 1
    async with database.read() as session:
        assert await session.scalar(sa.select(Person.locale).where(Person.id == people[0].id)) == (
            "en"
        )


async def test_a_failed_write_leaves_nothing_and_the_connection_works(database: Database) -> None:
    async with database.write() as session:
        session.add(_person(1))

    async def second_person_then_a_broken_constraint() -> None:
        async with database.write() as session:
            session.add(_person(2))
            await session.flush()
            # The same withdrawn number twice breaks a unique constraint.
            await session.execute(sa.update(Person).values(withdrawn_number=7))

    with pytest.raises(IntegrityError):
        await second_person_then_a_broken_constraint()
    async with database.read() as session:
        assert await session.scalar(sa.select(sa.func.count(Person.id))) == 1
        assert await session.scalar(sa.select(sa.func.count(Person.withdrawn_number))) == 0


async def test_a_failing_first_statement_leaves_no_transaction_open(database: Database) -> None:
    """The first statement travels with BEGIN; when it fails, the transaction it opened must
    still be rolled back, or the pooled connection would hold SQLite's write lock."""

    async def a_write_whose_first_statement_fails() -> None:
        async with database.write() as session:
            await session.execute(sa.text("SELECT * FROM no_such_table"))

    for _ in range(3):
        with pytest.raises(OperationalError):
            await a_write_whose_first_statement_fails()
    async with database.write() as session:
        session.add(_person(1))
    async with database.read() as session:
        assert await session.scalar(sa.select(sa.func.count(Person.id))) == 1


async def test_read_snapshots_end_so_the_log_can_be_checkpointed(database: Database) -> None:
    """A read's commit is not waited for; it must still run, or WAL checkpoints would stall."""
    async with database.write() as session:
        session.add(_person(1))
    for _ in range(20):
        async with database.read() as session:
            await session.scalar(sa.select(Person.id))
    async with database.engine.connect() as connection:
        checkpoint = (await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
    assert checkpoint[0] == 0, "0: not blocked by a reader"


async def test_one_trip_for_a_read_and_two_for_a_write(
    database: Database, trips: list[str]
) -> None:
    async with database.read() as session:
        await session.scalar(sa.select(Person.id))
    trips.clear()
    async with database.read() as session:
        await session.scalar(sa.select(Person.id))
    assert trips == ["_run"], "BEGIN goes with the query and the commit is not waited for"

    trips.clear()
    async with database.write() as session:
        session.add(_person(1))
    assert trips == ["_run", "commit"]

    trips.clear()
    async with database.write() as session:
        await session.scalar(sa.select(Person.id))
    assert trips == ["_run", "commit"], "a write's commit is waited for even if it changed nothing"

    trips.clear()
    async with database.write() as session:
        pass
    assert trips == [], "a transaction that ran nothing costs nothing"
