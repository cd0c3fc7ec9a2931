"""`python -m bot backup` copies the live SQLite database consistently."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import Application
from bot.backup import BackupNotSupported, backup_sqlite
from tests.conftest import PersonFactory

ROOT = Path(__file__).resolve().parents[2]


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


def _run(arguments: list[str], cwd: Path, database: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot …` as an operator runs it, with no BOT_TOKEN anywhere."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))
    } | {"PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *arguments],
        env=environment,
        cwd=cwd,  # no .env there
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_migrate_and_backup_work_without_a_token(tmp_path: Path) -> None:
    database = tmp_path / "data" / "nastavnik.db"
    migrated = _run(["migrate"], tmp_path, database)
    assert migrated.returncode == 0, migrated.stderr

    named = _run(["backup", "copies/today.db"], tmp_path, database)
    assert named.returncode == 0, named.stderr
    assert (tmp_path / "copies" / "today.db").exists()

    # Without a file name the copy goes into backups/, named by the time it was taken.
    default = _run(["backup"], tmp_path, database)
    assert default.returncode == 0, default.stderr
    [copy] = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"nastavnik-\d{8}-\d{6}\.db", copy.name)
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()
    connection.close()
    assert "BOT_TOKEN" not in migrated.stderr + named.stderr + default.stderr


def test_the_backups_directory_is_ignored_by_git() -> None:
    """Copies of personal data must not end up in a commit by accident."""
    patterns = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "backups/" in patterns
