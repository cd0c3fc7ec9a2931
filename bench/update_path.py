"""The path of one update: milliseconds, SQL statements and transactions per update.

In-process (the default): the real application and dispatcher, built as the tests build them
(`bot.app.create_application`, `create_dispatcher`, `create_bot`) over an in-memory fake Bot API
session that answers at once, and a fresh migrated database. Each scenario's people are made
first through the dispatcher (untimed); then every measured update comes from a different person
(so the flood throttle never applies) and is timed through `dispatcher.feed_update`. SQL
statements and transactions are counted with SQLAlchemy events on the application's engine.
Beside them, a bare aiogram `Dispatcher` with one echo handler is fed the same way.

    python -m bench.update_path                                  # SQLite, 200 updates a scenario
    python -m bench.update_path --updates 500 --repeats 5
    python -m bench.update_path --database-url postgresql+asyncpg://postgres@localhost/postgres

`--database-url` names a PostgreSQL server and a database to connect to for administration; a
uniquely named database is created on it for the run and dropped at the end.

Black-box (`--black-box`): the real bot (`python -m bot`) and a bare aiogram echo bot
(`bench/echo_bot.py`) as processes, each fed the same `/help` updates through the fake Bot API's
getUpdates; see `bench/update_path_black_box.py`. `--returning` times each person's second
`/help` (a person the process remembers), `--strangers` people the bot has never seen.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bench.update_path_black_box import run_black_box
from bench.update_path_report import black_box_table, in_process_table
from bench.update_path_scenarios import run_in_process


@contextlib.asynccontextmanager
async def database(admin_url: str | None, folder: Path) -> AsyncIterator[str]:
    """A fresh SQLite file, or a uniquely named PostgreSQL database dropped afterwards."""
    if admin_url is None:
        yield f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        return
    url = make_url(admin_url)
    if url.get_backend_name() != "postgresql":
        raise SystemExit("--database-url must be a postgresql+asyncpg:// URL")
    name = f"nastavnik_bench_{uuid.uuid4().hex[:10]}"

    async def admin(statement: str) -> None:
        engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(statement))
        finally:
            await engine.dispose()

    await admin(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def main_async(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="nastavnik-bench-") as folder:
        async with database(arguments.database_url, Path(folder)) as url:
            kind = make_url(url).get_backend_name()
            if arguments.black_box:
                results = await run_black_box(
                    url,
                    Path(folder),
                    updates=arguments.updates,
                    repeats=arguments.repeats,
                    log_level=arguments.log_level,
                    strangers=arguments.strangers,
                    returning=arguments.returning,
                )
                print(black_box_table(results, kind))
                return
            runs = await run_in_process(
                url,
                updates=arguments.updates,
                warmup=arguments.warmup,
                repeats=arguments.repeats,
                show_replies=arguments.show_replies,
            )
            print(in_process_table(runs, kind, arguments.updates))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        help="PostgreSQL admin URL (a database is created and dropped); default: SQLite in a temp",
    )
    parser.add_argument(
        "--updates",
        type=int,
        help="timed updates per scenario and run (default 200; black-box: 2000)",
    )
    parser.add_argument("--warmup", type=int, default=20, help="untimed updates before each run")
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="runs of each scenario, interleaved; the table shows the best (lowest mean) run",
    )
    parser.add_argument(
        "--show-replies", action="store_true", help="print what the first measured update got"
    )
    parser.add_argument("--black-box", action="store_true", help="real processes, see above")
    parser.add_argument(
        "--log-level", default="INFO", help="black-box: LOG_LEVEL of both bots (default INFO)"
    )
    parser.add_argument(
        "--strangers",
        action="store_true",
        help="black-box: /help from people the bot has never seen (default: known people)",
    )
    parser.add_argument(
        "--returning",
        action="store_true",
        help="black-box: time each person's second /help, which the bot process remembers",
    )
    arguments = parser.parse_args()
    if arguments.updates is None:
        arguments.updates = 2000 if arguments.black_box else 200
    if arguments.updates < 1 or arguments.repeats < 1 or arguments.warmup < 0:
        parser.error("--updates and --repeats must be positive, --warmup not negative")
    asyncio.run(main_async(arguments))


if __name__ == "__main__":
    main()
