"""aiosqlite with one hand-off to its thread per statement instead of four.

aiosqlite runs SQLite in a thread of its own and every call on a connection or a cursor is one
trip to that thread and back: a queue put, the thread's wake-up and an event-loop wake-up through
its self-pipe. SQLAlchemy's adapter makes four such trips for each statement (make a cursor,
execute, fetch the rows, close), and each costs far more than SQLite's own work on a small
indexed query (`python -m bench.sqlite_hops` measures both) — on the bot's busiest paths they were
most of an update's time.

`connect` returns an `aiosqlite.Connection` that makes fewer trips, with the same effect:

- a statement is one trip: the thread makes the SQLite cursor, executes, fetches the first rows
  and closes the cursor when it has no more. A result larger than `PREFETCH_ROWS` is fetched in
  further trips of that many rows, so a large streamed result never sits in memory whole;
- `BEGIN` travels with the transaction's first statement (nothing can happen in between), and a
  transaction that ran no statement ends without a trip;
- a rollback with no transaction open (SQLAlchemy's pool resets every connection it gets back,
  nearly always after a commit) is not sent;
- the commit of a read (a deferred `BEGIN`) that changed nothing is queued to the thread without
  waiting for it: it only ends the read snapshot, cannot fail in a way anyone could act on, and
  whatever uses the connection next queues behind it. A write's commit is always waited for.

Everything else (commit, close, the thread itself) is aiosqlite's own.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

import aiosqlite

# Rows fetched in the trip that executes; most results of the bot fit in one.
PREFETCH_ROWS = 512

_T = TypeVar("_T")
_Description = tuple[tuple[str, None, None, None, None, None, None], ...] | None


class _Outcome:
    """What one trip to the thread brought back."""

    __slots__ = (
        "changes",
        "changes_before",
        "cursor",
        "description",
        "lastrowid",
        "rowcount",
        "rows",
    )

    def __init__(
        self,
        rows: list[Any],
        description: _Description,
        rowcount: int,
        lastrowid: int | None,
        cursor: sqlite3.Cursor | None,
        changes: int | None = None,
    ) -> None:
        self.rows = rows
        self.description = description
        self.rowcount = rowcount
        self.lastrowid = lastrowid
        # Still open when more rows may follow; None once every row has been fetched.
        self.cursor = cursor
        # The connection's count of changed rows (sqlite3's total_changes) after the statement,
        # and before it when the statement began a transaction.
        self.changes = changes
        self.changes_before: int | None = None


def _run(
    connection: sqlite3.Connection,
    begin: str | None,
    operation: str,
    parameters: Any,
    many: bool,
    prefetch: int,
) -> _Outcome:
    """In aiosqlite's thread: begin the transaction if one is waiting, make a cursor, execute,
    fetch the first rows, and close the cursor when there are no more."""
    changes_before = None
    if begin is not None:
        connection.execute(begin).close()
        changes_before = connection.total_changes
    cursor = connection.cursor()
    if many:
        cursor.executemany(operation, parameters)
    elif parameters is None:
        cursor.execute(operation)
    else:
        cursor.execute(operation, parameters)
    outcome = _fetch(cursor, prefetch)
    outcome.changes = connection.total_changes
    outcome.changes_before = changes_before
    return outcome


def _fetch(cursor: sqlite3.Cursor, count: int) -> _Outcome:
    rows = cursor.fetchmany(count) if cursor.description is not None else []
    done = len(rows) < count
    outcome = _Outcome(
        rows, cursor.description, cursor.rowcount, cursor.lastrowid, None if done else cursor
    )
    if done:
        cursor.close()
    return outcome


class PrefetchingCursor:
    """The part of aiosqlite's `Cursor` that SQLAlchemy's adapter uses, one trip per statement."""

    def __init__(self, connection: PrefetchingConnection) -> None:
        self._connection = connection
        self._cursor: sqlite3.Cursor | None = None
        self._rows: deque[Any] = deque()
        self.description: _Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1

    async def __aenter__(self) -> PrefetchingCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def execute(self, operation: str, parameters: Any = None) -> PrefetchingCursor:
        return await self._start(operation, parameters, many=False)

    async def executemany(
        self, operation: str, seq_of_parameters: Iterable[Any]
    ) -> PrefetchingCursor:
        return await self._start(operation, seq_of_parameters, many=True)

    async def _start(self, operation: str, parameters: Any, *, many: bool) -> PrefetchingCursor:
        await self.close()
        connection = self._connection
        if not many and not parameters and _is_begin(operation):
            connection.pending_begin = operation
            self._take(_Outcome([], None, -1, None, None))
            return self
        begin, connection.pending_begin = connection.pending_begin, None
        if begin is not None:
            # Even if the statement fails, the transaction may be open: let rollback end it.
            connection.began(begin)
        outcome = await connection.in_thread(
            _run, connection._conn, begin, operation, parameters, many, PREFETCH_ROWS
        )
        connection.note_changes(outcome)
        self._take(outcome)
        return self

    def _take(self, outcome: _Outcome) -> None:
        self._rows.extend(outcome.rows)
        self.description = outcome.description
        self.rowcount = outcome.rowcount
        self.lastrowid = outcome.lastrowid
        self._cursor = outcome.cursor

    async def _more(self) -> bool:
        if self._cursor is None:
            return False
        self._take(await self._connection.in_thread(_fetch, self._cursor, PREFETCH_ROWS))
        return True

    async def fetchone(self) -> Any:
        if not self._rows:
            await self._more()
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        wanted = self.arraysize if size is None else size
        while len(self._rows) < wanted and await self._more():
            pass
        return [self._rows.popleft() for _ in range(min(wanted, len(self._rows)))]

    async def fetchall(self) -> Sequence[Any]:
        while await self._more():
            pass
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def close(self) -> None:
        self._rows.clear()
        cursor, self._cursor = self._cursor, None
        if cursor is not None:
            await self._connection.in_thread(cursor.close)


def _is_begin(operation: str) -> bool:
    words = operation.split()
    return bool(words) and words[0].upper() == "BEGIN"


class PrefetchingConnection(aiosqlite.Connection):
    """An aiosqlite connection whose cursors are `PrefetchingCursor`s."""

    # A `BEGIN …` not sent yet: it goes with the next statement.
    pending_begin: str | None = None
    # sqlite3's total_changes when the transaction began and after its latest statement.
    _changes_at_begin: int | None = None
    _changes_now: int | None = None

    # Whether a transaction is open: every BEGIN goes through `pending_begin`, and with the
    # driver's own transaction handling off (isolation_level None) SQLite opens no other.
    _in_transaction = False
    # Whether it began as a plain (deferred) BEGIN, as `Database.read()` does; a write begins
    # IMMEDIATE and its commit is always waited for, whatever it changed.
    _deferred = False

    async def in_thread(self, function: Callable[..., _T], *args: Any) -> _T:
        """`function(*args)` in the connection's thread: one trip."""
        result: _T = await self._execute(function, *args)  # type: ignore[no-untyped-call]
        return result

    def began(self, begin: str) -> None:
        self._in_transaction = True
        self._deferred = begin.upper().split() == ["BEGIN"]

    def note_changes(self, outcome: _Outcome) -> None:
        if outcome.changes_before is not None:
            self._changes_at_begin = outcome.changes_before
        self._changes_now = outcome.changes

    def _changed_nothing(self) -> bool:
        begun, now = self._changes_at_begin, self._changes_now
        self._changes_at_begin = self._changes_now = None
        return self._deferred and begun is not None and begun == now

    def cursor(self) -> PrefetchingCursor:  # type: ignore[override]
        return PrefetchingCursor(self)

    async def commit(self) -> None:
        if self.pending_begin is not None:
            self.pending_begin = None  # a transaction that ran nothing has nothing to commit
            return
        was_open, self._in_transaction = self._in_transaction, False
        if self._changed_nothing() and self._connection is not None:
            self._tx.put_nowait((None, self._connection.commit))
            return
        if was_open:
            await super().commit()

    async def rollback(self) -> None:
        self._changes_at_begin = self._changes_now = None
        self.pending_begin = None
        was_open, self._in_transaction = self._in_transaction, False
        if was_open:
            await super().rollback()


async def connect(database: str, **kwargs: Any) -> PrefetchingConnection:
    """Open `database` (a path, or a `file:` URI with `uri=True`) in a daemon thread, as
    SQLAlchemy's own aiosqlite dialect does."""

    def connector() -> sqlite3.Connection:
        opened: sqlite3.Connection = sqlite3.connect(database, **kwargs)
        return opened

    connection = PrefetchingConnection(connector, iter_chunk_size=64)
    # A forgotten connection must not keep the process alive at exit.
    connection._thread.daemon = True
    return cast(PrefetchingConnection, await connection)
