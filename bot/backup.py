"""Consistent copies of the SQLite database while the bot keeps running (SQLite's backup API)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

# Where `python -m bot backup` writes when given no file; listed in .gitignore.
BACKUP_DIR = Path("backups")


def default_target(now: datetime) -> Path:
    """backups/nastavnik-20260901-031500.db: sorts by time, never overwrites an earlier copy."""
    return BACKUP_DIR / f"nastavnik-{now:%Y%m%d-%H%M%S}.db"


class BackupNotSupported(Exception):
    """The configured database is not a SQLite file (PostgreSQL has pg_dump)."""


def backup_sqlite(database_url: str, target: Path) -> Path:
    """Copy the live database page by page into `target`; safe while the bot writes."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupNotSupported(database_url.split("://")[0])
    source_path = Path(url.database)
    if not source_path.exists():
        raise FileNotFoundError(source_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination, pages=1024)
    finally:
        destination.close()
        source.close()
    return target
