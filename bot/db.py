"""Engine and transactions: SQLite PRAGMAs, `BEGIN IMMEDIATE` for writes, PostgreSQL unchanged."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Executable, Row, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.dml import UpdateBase

from bot import sqlite_driver
from services.core.transactions import REMEMBERED_BY_WRITER, UNKNOWN_TABLE, CommittedWrites

# How long a connection waits for SQLite's write lock before failing. Write transactions are short
# (services commit before any network call), so this is only ever reached under extreme load.
SQLITE_BUSY_TIMEOUT_MS = 15_000
_WRITE_OPTION = "nastavnik_write_transaction"
# Keys in `Session.info` where a transaction's writes are gathered until it commits.
_WRITTEN_ROWS = "nastavnik_written_rows"
_WRITTEN_TABLES = "nastavnik_written_tables"


def create_engine(database_url: str, *, echo: bool = False) -> AsyncEngine:
    """Create the engine; for SQLite, make sure the file's folder exists and set up locking.

    `hide_parameters` keeps the values of a failed statement (names, answers) out of exception
    messages, and so out of the logs.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)

    ensure_sqlite_folder(database_url)

    async def connect() -> sqlite_driver.PrefetchingConnection:
        # The file and options SQLAlchemy would open, through one-trip-per-statement cursors.
        arguments, options = engine.sync_engine.dialect.create_connect_args(url)
        return await sqlite_driver.connect(*arguments, **options)

    engine = create_async_engine(
        url,
        echo=echo,
        pool_size=10,
        max_overflow=20,
        hide_parameters=True,
        async_creator=connect,
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
        begin = (
            "BEGIN IMMEDIATE" if connection.get_execution_options().get(_WRITE_OPTION) else "BEGIN"
        )
        driver = connection.connection.driver_connection
        if isinstance(driver, sqlite_driver.PrefetchingConnection):
            # Our driver sends it with the transaction's first statement anyway; handing it over
            # directly skips a pass through SQLAlchemy's statement machinery per transaction.
            driver.pending_begin = begin
        else:
            connection.exec_driver_sql(begin)


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
        self._commit_listeners: list[Callable[[CommittedWrites], None]] = []
        # A session class of this database's own, so its events concern this database only
        # (tests run many applications in one process).
        session_class = type("DatabaseSession", (Session,), {})
        _watch_writes(session_class, self._committed)
        self._read_sessions = async_sessionmaker(
            engine, expire_on_commit=False, sync_session_class=session_class
        )
        self._write_engine = engine.execution_options(**{_WRITE_OPTION: True})
        self._write_sessions = async_sessionmaker(
            self._write_engine, expire_on_commit=False, sync_session_class=session_class
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

    async def read_rows(
        self, statement: Executable, parameters: dict[str, Any]
    ) -> Sequence[Row[Any]]:
        async with self.engine.begin() as connection:
            return (await connection.execute(statement, parameters)).all()

    async def write_one(self, statement: Executable, parameters: dict[str, Any]) -> int:
        if self._sqlite_writer is None:
            return await self._run_one(statement, parameters)
        async with self._sqlite_writer:
            return await self._run_one(statement, parameters)

    async def _run_one(self, statement: Executable, parameters: dict[str, Any]) -> int:
        async with self._write_engine.begin() as connection:
            result = await connection.execute(statement, parameters)
            return int(getattr(result, "rowcount", 0) or 0)

    def on_commit(self, listener: Callable[[CommittedWrites], None]) -> None:
        self._commit_listeners.append(listener)

    def _committed(self, writes: CommittedWrites) -> None:
        for listener in self._commit_listeners:
            listener(writes)

    async def dispose(self) -> None:
        await self.engine.dispose()


def _watch_writes(
    session_class: type[Session], committed: Callable[[CommittedWrites], None]
) -> None:
    """Gather what each transaction writes — objects at each flush, target tables of bulk
    statements — and report it once the transaction has committed. A rollback forgets it."""

    @event.listens_for(session_class, "after_flush")
    def _on_flush(session: Session, _flush: UOWTransaction) -> None:
        # Still the flush's own lists here: what it inserted, updated and deleted.
        rows = session.info.setdefault(_WRITTEN_ROWS, [])
        rows.extend(session.new)
        rows.extend(session.dirty)
        rows.extend(session.deleted)

    @event.listens_for(session_class, "do_orm_execute")
    def _on_execute(state: ORMExecuteState) -> None:
        if state.is_select or state.execution_options.get(REMEMBERED_BY_WRITER):
            return
        statement = state.statement
        table = getattr(statement, "table", None) if isinstance(statement, UpdateBase) else None
        name = getattr(table, "name", None) or UNKNOWN_TABLE
        state.session.info.setdefault(_WRITTEN_TABLES, set()).add(name)

    @event.listens_for(session_class, "after_commit")
    def _on_commit(session: Session) -> None:
        rows = session.info.pop(_WRITTEN_ROWS, None)
        tables = session.info.pop(_WRITTEN_TABLES, None)
        if rows or tables:
            committed(CommittedWrites(tuple(rows or ()), frozenset(tables or ())))

    @event.listens_for(session_class, "after_rollback")
    def _on_rollback(session: Session) -> None:
        session.info.pop(_WRITTEN_ROWS, None)
        session.info.pop(_WRITTEN_TABLES, None)
