"""The transaction boundary services depend on (implemented by `bot.db.Database`)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


class Transactions(Protocol):
    """Opens one transaction per use case; it commits when the block ends without an error."""

    @property
    def dialect(self) -> str: ...

    def read(self) -> AbstractAsyncContextManager[AsyncSession]: ...

    def write(self) -> AbstractAsyncContextManager[AsyncSession]: ...
