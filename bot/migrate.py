"""Run Alembic migrations from code (start-up, `python -m bot migrate`, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import migrations
from bot.db import ensure_sqlite_folder

MIGRATIONS_DIR = Path(migrations.__file__).resolve().parent


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


async def _run(database_url: str, operation: str, revision: str) -> None:
    # A plain engine, without the bot's PRAGMAs: SQLite batch migrations recreate tables and must
    # not have foreign keys enforced halfway through.
    engine = create_async_engine(database_url)

    def _apply(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        getattr(command, operation)(config, revision)

    try:
        async with engine.connect() as connection:
            await connection.run_sync(_apply)
            await connection.commit()
    finally:
        await engine.dispose()


async def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database to `revision` (creating the SQLite file's folder if needed)."""
    ensure_sqlite_folder(database_url)
    await _run(database_url, "upgrade", revision)


async def downgrade(database_url: str, revision: str) -> None:
    await _run(database_url, "downgrade", revision)
