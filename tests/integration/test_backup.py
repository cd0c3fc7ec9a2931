"""`python -m bot backup` copies the live SQLite database consistently."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.app import Application
from bot.backup import BackupNotSupported, backup_sqlite
from tests.conftest import PersonFactory


async def test_backup_has_the_data(
    person: PersonFactory, app: Application, database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite"):
        with pytest.raises(BackupNotSupported):
            backup_sqlite(database_url, tmp_path / "copy.db")
        return
    await person(42).send("/start")
    target = backup_sqlite(database_url, tmp_path / "backups" / "copy.db")
    with sqlite3.connect(target) as copy:
        rows = copy.execute("SELECT external_user_id FROM messenger_account").fetchall()
        version = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    assert rows == [("42",)]
    assert version is not None
