"""The token never reaches the logs, not even inside a traceback."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from bot.logging_setup import RedactingFilter, redact
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
