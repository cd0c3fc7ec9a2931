"""The token never reaches the logs, not even inside a traceback."""

from __future__ import annotations

import io
import json
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.logging_setup import RedactingFilter, configure_logging, redact, token_secrets
from tests.fakes import TEST_TOKEN


def test_redact_replaces_any_token_shape() -> None:
    text = f"POST https://api.telegram.org/bot{TEST_TOKEN}/sendMessage"
    assert TEST_TOKEN not in redact(text)
    assert "[REDACTED]" in redact(text)
    assert redact("secret-value here", ("secret-value",)) == "[REDACTED] here"


def test_filter_redacts_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter((TEST_TOKEN,)))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("token %s in args", TEST_TOKEN)
        try:
            raise RuntimeError(f"request to /bot{TEST_TOKEN}/getMe failed")
        except RuntimeError:
            logger.exception("failure")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert TEST_TOKEN not in output
    assert output.count("[REDACTED]") == 2
    assert "RuntimeError" in output  # the traceback itself is kept


async def test_database_errors_do_not_carry_personal_data(tmp_path: Path) -> None:
    import sqlalchemy as sa
    from sqlalchemy.exc import IntegrityError

    from bot.db import create_engine

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.text("CREATE TABLE t (name TEXT UNIQUE)"))
            await connection.execute(sa.text("INSERT INTO t VALUES (:n)"), {"n": "Иванова Анна"})
            with pytest.raises(IntegrityError) as error:
                await connection.execute(
                    sa.text("INSERT INTO t VALUES (:n)"), {"n": "Иванова Анна"}
                )
            assert "Иванова" not in str(error.value)
    finally:
        await engine.dispose()


@pytest.fixture
def configured() -> Iterator[Callable[..., io.StringIO]]:
    """configure_logging as `python -m bot` calls it, writing into a buffer; the test's logging
    (pytest's handlers, library levels, exception hooks) is restored afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    libraries = ["apscheduler", "aiogram.event", "aiogram.dispatcher", "aiohttp", "alembic"]
    saved = {
        name: (logging.getLogger(name).level, logging.getLogger(name).filters[:])
        for name in libraries
    }
    saved_hooks = (sys.excepthook, threading.excepthook)

    def configure(level: str = "INFO", log_format: str = "text") -> io.StringIO:
        configure_logging(level, secrets=token_secrets(TEST_TOKEN), log_format=log_format)
        stream = io.StringIO()
        handler = root.handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(stream)
        return stream

    yield configure
    root.handlers[:], root.level = saved_handlers, saved_level
    for name, (level, filters) in saved.items():
        logging.getLogger(name).setLevel(level)
        logging.getLogger(name).filters[:] = filters
    sys.excepthook, threading.excepthook = saved_hooks


SECRET = TEST_TOKEN.partition(":")[2]


@pytest.mark.parametrize(
    "text",
    [
        f"GET /bot{TEST_TOKEN}/getMe",
        f"GET /bot{quote(TEST_TOKEN, safe='')}/getMe",
        f"GET /bot{quote(TEST_TOKEN, safe='').lower()}/getMe",
        f"the secret alone: {SECRET}.",
    ],
    ids=["plain", "url-encoded", "url-encoded-lowercase", "secret-part"],
)
def test_every_form_of_the_token_is_redacted(text: str) -> None:
    cleaned = redact(text, token_secrets(TEST_TOKEN))
    assert SECRET not in cleaned
    assert "[REDACTED]" in cleaned


def test_json_lines_carry_time_level_logger_message_and_exception(
    configured: Callable[..., io.StringIO],
) -> None:
    stream = configured(log_format="json")
    logging.getLogger("bot").info("started as %s", "@test_bot")
    try:
        raise RuntimeError(f"GET /bot{TEST_TOKEN}/getMe answered 404")
    except RuntimeError:
        logging.getLogger("aiogram.dispatcher").exception("Failed to fetch updates %s", TEST_TOKEN)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # one object per line, the traceback inside it
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {"time", "level", "logger", "message"}
    assert (first["level"], first["logger"], first["message"]) == (
        "INFO",
        "bot",
        "started as @test_bot",
    )
    assert second["level"] == "ERROR"
    assert "RuntimeError" in second["exception"]
    assert SECRET not in stream.getvalue()


def test_library_chatter_is_off_at_info_and_back_at_debug(
    configured: Callable[..., io.StringIO],
) -> None:
    stream = configured("INFO")
    logging.getLogger("apscheduler.executors.default").info('Running job "outbox_sender"')
    logging.getLogger("aiogram.event").info("Update id=1 is handled. Duration 3 ms by bot id=1")
    logging.getLogger("aiogram.dispatcher").info("Start polling")
    logging.getLogger("alembic.runtime.migration").info("Context impl SQLiteImpl.")
    logging.getLogger("apscheduler.scheduler").warning("Run time of job was missed")
    logging.getLogger("alembic.runtime.migration").info("Running upgrade 0006 -> 0007")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert "missed" in lines[0]
    assert "Running upgrade" in lines[1]

    stream = configured("DEBUG")
    logging.getLogger("apscheduler.executors.default").info('Running job "outbox_sender"')
    logging.getLogger("aiogram.dispatcher").info("Start polling")
    assert len(stream.getvalue().splitlines()) == 2


def test_an_uncaught_exception_is_logged_redacted(
    configured: Callable[..., io.StringIO],
) -> None:
    stream = configured()
    try:
        raise ValueError(f"https://api.telegram.org/bot{TEST_TOKEN}/getMe")
    except ValueError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    assert "ValueError" in stream.getvalue()
    assert SECRET not in stream.getvalue()
