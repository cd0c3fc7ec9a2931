"""The transaction boundary services depend on (implemented by `bot.db.Database`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Executable, Row
from sqlalchemy.ext.asyncio import AsyncSession

# In `CommittedWrites.tables`: a statement whose target the database layer could not name.
UNKNOWN_TABLE = "*"
# An execution option for a bulk statement whose writer keeps its own memory of what it wrote
# up to date: the statement is left out of `CommittedWrites.tables`, so that memory is not
# forgotten by its own writes.
REMEMBERED_BY_WRITER = "nastavnik_remembered_by_writer"


@dataclass(frozen=True, slots=True)
class CommittedWrites:
    """What one committed transaction changed, for in-process caches to forget what it touched.

    `rows` are the mapped objects it added, changed or deleted through the session; `tables`
    name the tables that bulk statements (`insert`, `update`, `delete` executed directly) wrote,
    whose rows cannot be named.
    """

    rows: tuple[object, ...]
    tables: frozenset[str]


class Transactions(Protocol):
    """Opens one transaction per use case; it commits when the block ends without an error."""

    @property
    def dialect(self) -> str: ...

    def read(self) -> AbstractAsyncContextManager[AsyncSession]: ...

    def write(self) -> AbstractAsyncContextManager[AsyncSession]: ...

    async def read_rows(
        self, statement: Executable, parameters: dict[str, Any]
    ) -> Sequence[Row[Any]]:
        """One prebuilt SELECT of columns in a read transaction of its own, without an ORM
        session: for the lookup made on nearly every update."""
        ...

    async def write_one(self, statement: Executable, parameters: dict[str, Any]) -> int:
        """One prebuilt INSERT, UPDATE or DELETE in a write transaction of its own, without an
        ORM session; returns the rows it matched. For the hottest single-row writes (a form's
        step), where the session's machinery costs more than the statement. No commit listener
        hears of it, so only a writer that remembers its own effect may use it."""
        ...

    def on_commit(self, listener: Callable[[CommittedWrites], None]) -> None:
        """Call `listener` right after each transaction that wrote something commits."""
        ...
