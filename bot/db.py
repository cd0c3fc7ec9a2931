"""Engine and transactions: SQLite PRAGMAs, `BEGIN IMMEDIATE` for writes, PostgreSQL unchanged."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

# How long a connection waits for SQLite's write lock before failing. Write transactions are short
# (services commit before any network call), so this is only ever reached under extreme load.
SQLITE_BUSY_TIMEOUT_MS = 15_000
_WRITE_OPTION = "nastavnik_write_transaction"


def create_engine(database_url: str, *, echo: bool = False) -> AsyncEngine:
    """Create the engine; for SQLite, make sure the file's folder exists and set up locking.

    `hide_parameters` keeps the values of a failed statement (names, answers) out of exception
    messages, and so out of the logs.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)

    ensure_sqlite_folder(database_url)
    engine = create_async_engine(
        url, echo=echo, pool_size=10, max_overflow=20, hide_parameters=True
    )
    _install_sqlite_transaction_control(engine)
    return engine


def ensure_sqlite_folder(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def _install_sqlite_transaction_control(engine: AsyncEngine) -> None:
    """Take SQLite's transaction control away from the driver so writes can begin IMMEDIATE.

    With the driver's default deferred BEGIN, two transactions that both read then write deadlock
    on the lock upgrade and one fails with "database is locked". Taking the write lock up front
    makes writers queue (for up to busy_timeout) instead.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(_WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


class Database:
    """Hands out transactions: `write()` for use cases that change data, `read()` for the rest.

    Each use case opens exactly one transaction and commits at its end, so no lock is held across
    a call to Telegram.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # SQLite has one writer at a time. Queueing writers of this process here is fair and
        # immediate, where SQLite's busy handler would make them poll with growing sleeps;
        # busy_timeout still covers other processes (a backup, `migrate`).
        self._sqlite_writer = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        self._read_sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = async_sessionmaker(
            engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._read_sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        if self._sqlite_writer is None:
            async with self._write_sessions() as session, session.begin():
                yield session
            return
        async with self._sqlite_writer, self._write_sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
