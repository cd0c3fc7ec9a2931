"""`python -m bot` runs the bot with long polling.

`python -m bot migrate` only brings the database up to date; `python -m bot backup [FILE]` writes a
consistent copy of the SQLite database while the bot keeps running (by default into backups/).
Neither needs BOT_TOKEN.

Exit codes: 0 stopped normally; 1 the Bot API at TELEGRAM_API_URL (or Redis) cannot be reached;
2 a setting is missing or wrong, or Telegram rejected the token.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import re
import sys
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from aiogram import Bot, Dispatcher
from aiogram.exceptions import ClientDecodeError, TelegramUnauthorizedError
from aiogram.fsm.storage.redis import RedisStorage
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from pydantic import ValidationError
from redis.exceptions import RedisError

from bot.app import (
    Application,
    create_application,
    create_bot,
    create_dispatcher,
    create_events_isolation,
    create_sender,
    create_storage,
    prepare_content,
)
from bot.backup import BackupNotSupported, backup_sqlite, default_target
from bot.config import Settings, describe_error, missing_setting
from bot.logging_setup import configure_logging, redact, token_secrets
from bot.migrate import upgrade
from bot.scheduler import create_scheduler
from bot.telegram.commands import CommandMenus
from bot.telegram.middlewares.in_flight import InFlightMiddleware
from services.core.clock import SystemClock
from services.outbox.sender import OutboxSender

logger = logging.getLogger("bot")

EXIT_UNREACHABLE = 1
EXIT_CONFIGURATION = 2
# How long shutdown waits for handlers and the current outbox batch.
SHUTDOWN_GRACE_SECONDS = 30
# Updates handled at once in long polling (each person's own updates still go one at a time).
POLLING_CONCURRENCY = 100


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument("command", nargs="?", default="run", choices=("run", "migrate", "backup"))
    parser.add_argument(
        "target", nargs="?", help="backup: the file to write (default: backups/nastavnik-<time>.db)"
    )
    arguments = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        print(describe_error(error), file=sys.stderr)
        return EXIT_CONFIGURATION
    configure_logging(
        settings.log_level,
        secrets=token_secrets(settings.bot_token.get_secret_value()),
        log_format=settings.log_format,
    )
    if arguments.command == "backup":
        # A default file name in the operator's local time, as `ls backups/` shows it.
        now = datetime.now().astimezone()
        return _backup(
            settings, Path(arguments.target) if arguments.target else default_target(now)
        )
    if arguments.command == "migrate":
        asyncio.run(upgrade(settings.database_url))
        logger.info("The database is up to date")
        return 0
    # Only running the bot needs the token; migrate and backup above work without it.
    if not settings.has_token:
        print(missing_setting("BOT_TOKEN"), file=sys.stderr)
        return EXIT_CONFIGURATION
    return asyncio.run(run(settings))


def _backup(settings: Settings, target: Path) -> int:
    try:
        backup_sqlite(settings.database_url, target)
    except BackupNotSupported:
        print("Backup works for the SQLite database; for PostgreSQL use pg_dump", file=sys.stderr)
        return EXIT_CONFIGURATION
    except FileNotFoundError:
        print(
            "There is no database file yet: run python -m bot migrate or start the bot first",
            file=sys.stderr,
        )
        return 1
    logger.info("Backup written to %s", target)
    return 0


async def run(settings: Settings) -> int:
    await upgrade(settings.database_url)
    app = create_application(settings, SystemClock())
    bot = create_bot(settings)
    try:
        return await _run_polling(app, bot)
    finally:
        await bot.session.close()
        await app.database.dispose()


def _shown_url(url: str) -> str:
    """The API URL as it may be printed: without user:password@ (the token is never in it)."""
    return re.sub(r"//[^/@]*@", "//", url)


def _failure(error: BaseException) -> str:
    """The error in a few words. A server's answer is never echoed whole: it may repeat the
    request path, which contains the token, and it may be a page of HTML."""
    if isinstance(error, ClientDecodeError):
        return f"{type(error).__name__}: the answer is not the Bot API's JSON"
    text = " ".join(str(error).split())
    if len(text) > 200:
        text = text[:200] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def unreachable_line(settings: Settings, error: BaseException) -> str:
    line = (
        f"Cannot reach the Telegram Bot API at {_shown_url(settings.telegram_api_url)} "
        f"({_failure(error)}); check the network and TELEGRAM_API_URL"
    )
    return redact(line, token_secrets(settings.bot_token.get_secret_value()))


def _package_version() -> str:
    try:
        return version("nastavnik")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


async def _run_polling(app: Application, bot: Bot) -> int:
    try:
        me = await bot.get_me(request_timeout=app.settings.telegram_startup_timeout)
    except TelegramUnauthorizedError:
        print(
            "Configuration error: BOT_TOKEN was rejected by Telegram (401 Unauthorized); "
            "get a new token from @BotFather",
            file=sys.stderr,
        )
        return EXIT_CONFIGURATION
    except Exception as error:  # any network or protocol failure: one line, no traceback
        print(unreachable_line(app.settings, error), file=sys.stderr)
        return EXIT_UNREACHABLE

    # A new consent template shipped with this version becomes a new version for every
    # organisation; participants are asked again at their next message.
    await app.services.consent.refresh_documents()
    await prepare_content(app)
    storage = create_storage(app.settings)
    if isinstance(storage, RedisStorage):
        try:
            await storage.redis.ping()
        except (RedisError, OSError) as error:
            print(
                f"Cannot reach Redis at REDIS_URL ({type(error).__name__}); "
                "check the server or unset REDIS_URL to keep forms in memory",
                file=sys.stderr,
            )
            await storage.close()
            return EXIT_UNREACHABLE
    dispatcher = create_dispatcher(app, storage, create_events_isolation(app.settings))
    menus: CommandMenus = dispatcher["menus"]
    await menus.set_defaults(bot)
    staff_menus = asyncio.create_task(menus.set_for_staff(bot))

    sender = create_sender(app, bot)
    scheduler = create_scheduler(sender, app.services)
    scheduler.start()
    gc.collect()
    gc.freeze()
    logger.info(
        "Nastavnik %s started: database %s, long polling, bot @%s",
        _package_version(),
        app.settings.database_kind,
        me.username,
    )
    try:
        await dispatcher.start_polling(
            bot,
            handle_signals=True,
            close_bot_session=False,
            allowed_updates=dispatcher.resolve_used_update_types(),
            # A bound on updates handled at once, so a flood queues instead of piling up tasks
            # that all wait for the database.
            tasks_concurrency_limit=POLLING_CONCURRENCY,
        )
    finally:
        await _shutdown(dispatcher, scheduler, sender, staff_menus)
    return 0


async def _shutdown(
    dispatcher: Dispatcher,
    scheduler: AsyncIOScheduler,
    sender: OutboxSender,
    background: asyncio.Task[None],
) -> None:
    """Stop taking work, then let handlers and the outbox batch in progress finish."""
    # pause(), not shutdown(), until the batch is done: APScheduler's asyncio executor cancels
    # running jobs on shutdown, which would cut the batch off and leave its rows leased.
    scheduler.pause()
    background.cancel()
    in_flight: InFlightMiddleware = dispatcher["in_flight"]
    if not await in_flight.wait_idle(SHUTDOWN_GRACE_SECONDS):
        logger.warning("%s handlers were still running at shutdown", in_flight.active)
    try:
        await asyncio.wait_for(sender.stop(), SHUTDOWN_GRACE_SECONDS)
    except TimeoutError:
        logger.warning("The outbox batch did not finish in time; its rows will be retried")
    scheduler.shutdown(wait=False)
    logger.info("Stopped")


if __name__ == "__main__":
    sys.exit(main())
