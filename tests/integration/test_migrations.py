"""Alembic migrations on an empty database, on SQLite and (when configured) PostgreSQL.

Upgrading creates exactly the models' tables, models and migrations agree (autogenerate finds
nothing), every revision can be applied, rolled back and applied again, a full downgrade leaves
only Alembic's own table, and upgrading an up-to-date database changes nothing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.migrate import alembic_config, downgrade, upgrade
from models import Base, Person, PersonStatus
from tests.conftest import POSTGRES_ENV

VERSION_TABLE = "alembic_version"


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


async def _admin(admin_url: str, statement: str) -> None:
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(sa.text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(params=_backends())
async def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database with no tables at all: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    admin_url = make_url(os.environ[POSTGRES_ENV]).render_as_string(hide_password=False)
    name = f"nastavnik_migrations_{uuid.uuid4().hex[:10]}"
    try:
        await _admin(admin_url, f'CREATE DATABASE "{name}"')
    except OSError as error:
        pytest.skip(f"PostgreSQL is unreachable: {error}")
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _revisions() -> list[str]:
    """Every revision id, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def _table_names(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names())
    finally:
        await engine.dispose()
    return set(names)


async def _version(url: str) -> str | None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()


def _differences(connection: Connection) -> list[Any]:
    # The same comparison options as migrations/env.py uses for `alembic revision --autogenerate`.
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    differences: list[Any] = compare_metadata(context, Base.metadata)
    return differences


def test_there_is_a_single_linear_history() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    revisions = _revisions()
    assert revisions[0] == "0001"
    assert revisions[-1] == _head()


async def test_upgrade_creates_every_model_table(empty_database_url: str) -> None:
    assert await _table_names(empty_database_url) == set()

    await upgrade(empty_database_url)

    assert await _table_names(empty_database_url) == set(Base.metadata.tables) | {VERSION_TABLE}
    assert await _version(empty_database_url) == _head()


async def test_models_and_migrations_agree(empty_database_url: str) -> None:
    await upgrade(empty_database_url)

    engine = create_async_engine(empty_database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()

    assert differences == []


async def test_the_comparison_notices_a_missing_migration(empty_database_url: str) -> None:
    """Guards the test above against comparing nothing: at 0001 the later tables are missing."""
    await upgrade(empty_database_url, "0001")

    engine = create_async_engine(empty_database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()

    added_tables = {diff[1].name for diff in differences if diff[0] == "add_table"}
    assert {"notification", "consent", "profile"} <= added_tables
    assert not added_tables & {"person", "organisation", "invite", "role_assignment"}


async def test_stairway_every_revision_goes_up_down_and_up_again(
    empty_database_url: str,
) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    previous = "base"
    for revision in _revisions():
        down_revision = script.get_revision(revision).down_revision
        assert down_revision == (None if previous == "base" else previous)

        await upgrade(empty_database_url, revision)
        assert await _version(empty_database_url) == revision
        tables_after_upgrade = await _table_names(empty_database_url)

        await downgrade(empty_database_url, previous)
        assert await _version(empty_database_url) == (None if previous == "base" else previous)

        await upgrade(empty_database_url, revision)
        assert await _version(empty_database_url) == revision
        assert await _table_names(empty_database_url) == tables_after_upgrade
        previous = revision


async def test_downgrade_to_base_leaves_only_the_version_table(empty_database_url: str) -> None:
    await upgrade(empty_database_url)

    await downgrade(empty_database_url, "base")

    assert await _table_names(empty_database_url) == {VERSION_TABLE}
    assert await _version(empty_database_url) is None


async def test_second_upgrade_is_a_no_op_that_keeps_data(empty_database_url: str) -> None:
    await upgrade(empty_database_url)
    now = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
    engine = create_async_engine(empty_database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                sa.insert(Person).values(
                    full_name="Иванова Анна Петровна",
                    locale="ru",
                    status=PersonStatus.ACTIVE,
                    created_at=now,
                    last_seen_at=now,
                )
            )

        await upgrade(empty_database_url)

        async with engine.connect() as connection:
            rows = (await connection.execute(sa.select(Person.full_name, Person.created_at))).all()
    finally:
        await engine.dispose()

    assert [(row.full_name, row.created_at) for row in rows] == [("Иванова Анна Петровна", now)]
    assert await _version(empty_database_url) == _head()
    assert await _table_names(empty_database_url) == set(Base.metadata.tables) | {VERSION_TABLE}


SEEDED_AT = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
# People as revision 0006 stored them: two with a Telegram id, one erased after withdrawal.
PEOPLE_AT_0006 = [(1, 4242, "ru"), (2, 5_000_000_000, "en"), (3, None, "ru")]


async def _execute(url: str, statement: str, **values: Any) -> list[Any]:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(sa.text(statement), values)
            return list(result.all()) if result.returns_rows else []
    finally:
        await engine.dispose()


async def _columns(url: str, table: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            columns = await connection.run_sync(lambda sync: sa.inspect(sync).get_columns(table))
    finally:
        await engine.dispose()
    return {column["name"] for column in columns}


async def _accounts(url: str) -> list[Any]:
    return await _execute(
        url,
        "SELECT person_id, messenger, external_user_id, chat_id FROM messenger_account"
        " ORDER BY person_id",
    )


EXPECTED_ACCOUNTS = [
    (1, "telegram", "4242", "4242"),
    (2, "telegram", "5000000000", "5000000000"),
]


async def test_messenger_accounts_migrate_up_down_and_up_with_data(
    empty_database_url: str,
) -> None:
    """0007 moves every Telegram id from `person` into `messenger_account` and back again."""
    url = empty_database_url
    await upgrade(url, "0006")
    for person_id, telegram_id, locale in PEOPLE_AT_0006:
        await _execute(
            url,
            "INSERT INTO person (id, telegram_id, locale, status, created_at, last_seen_at)"
            " VALUES (:id, :telegram_id, :locale, 'active', :now, :now)",
            id=person_id,
            telegram_id=telegram_id,
            locale=locale,
            now=SEEDED_AT,
        )
    await _execute(
        url,
        "INSERT INTO notification (recipient_id, kind, payload, dedupe_key, due_at, status,"
        " attempts, telegram_message_id, created_at)"
        " VALUES (1, 'staff_joined', '{}', 'k', :now, 'sent', 1, 77, :now)",
        now=SEEDED_AT,
    )

    await upgrade(url, "0007")
    assert await _accounts(url) == EXPECTED_ACCOUNTS
    assert "telegram_id" not in await _columns(url, "person")
    assert await _execute(url, "SELECT sent_message_id FROM notification") == [(77,)]
    # Nothing else about the people changed, and the CHECK constraints survived the rebuild.
    assert await _execute(url, "SELECT id, locale FROM person ORDER BY id") == [
        (1, "ru"),
        (2, "en"),
        (3, "ru"),
    ]
    with pytest.raises(sa.exc.IntegrityError):
        await _execute(url, "UPDATE person SET locale = 'xx' WHERE id = 1")
    # One account per messenger user, and one per person and messenger.
    with pytest.raises(sa.exc.IntegrityError):
        await _execute(
            url,
            "INSERT INTO messenger_account (person_id, messenger, external_user_id, created_at)"
            " VALUES (3, 'telegram', '4242', :now)",
            now=SEEDED_AT,
        )
    with pytest.raises(sa.exc.IntegrityError):
        await _execute(
            url,
            "INSERT INTO messenger_account (person_id, messenger, external_user_id, created_at)"
            " VALUES (1, 'telegram', '999', :now)",
            now=SEEDED_AT,
        )

    await downgrade(url, "0006")
    assert await _execute(url, "SELECT id, telegram_id FROM person ORDER BY id") == [
        (person_id, telegram_id) for person_id, telegram_id, _locale in PEOPLE_AT_0006
    ]
    assert "messenger_account" not in await _table_names(url)
    assert await _execute(url, "SELECT telegram_message_id FROM notification") == [(77,)]
    with pytest.raises(sa.exc.IntegrityError):
        await _execute(url, "UPDATE person SET telegram_id = 4242 WHERE id = 3")

    await upgrade(url, "0007")
    assert await _accounts(url) == EXPECTED_ACCOUNTS
    assert "telegram_id" not in await _columns(url, "person")
