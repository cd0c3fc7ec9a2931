"""The scheduler's jobs: they run right after start, an idle bot logs nothing at INFO, and a job
that did something says so in one line."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent

from bot.app import Application
from bot.logging_setup import quiet_libraries
from bot.scheduler import create_scheduler, run_outbox, run_programme_jobs
from models import Person
from services.outbox import queue as outbox
from services.outbox.sender import OutboxSender
from tests.fakes import FakeClock
from tests.identity import telegram_account

LIBRARIES = ("apscheduler", "aiogram.event", "aiogram.dispatcher", "aiohttp", "alembic")


@pytest.fixture
def quiet_at_info() -> Iterator[None]:
    """The library levels `python -m bot` sets at LOG_LEVEL=INFO, restored afterwards."""
    saved = {
        name: (logging.getLogger(name).level, logging.getLogger(name).filters[:])
        for name in LIBRARIES
    }
    quiet_libraries("INFO")
    yield
    for name, (level, filters) in saved.items():
        logging.getLogger(name).setLevel(level)
        logging.getLogger(name).filters[:] = filters


async def start_and_wait_for_first_runs(
    app: Application, sender: OutboxSender
) -> dict[str, JobExecutionEvent]:
    """Start the real scheduler and wait (without sleeping) until each job has run once."""
    scheduler = create_scheduler(sender, app.services)
    runs: dict[str, JobExecutionEvent] = {}
    all_ran = asyncio.Event()
    expected = {job.id for job in scheduler.get_jobs()}

    def record(event: JobExecutionEvent) -> None:
        runs.setdefault(event.job_id, event)
        if set(runs) == expected:
            all_ran.set()

    scheduler.add_listener(record, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler.start()
    try:
        # Generous bound for a loaded machine; the jobs are due at once, so it returns at once.
        await asyncio.wait_for(all_ran.wait(), timeout=30)
    finally:
        scheduler.shutdown(wait=False)
    return runs


def test_every_job_is_due_at_start(app: Application, sender: OutboxSender) -> None:
    before = datetime.now(UTC)
    scheduler = create_scheduler(sender, app.services)
    jobs = scheduler.get_jobs()
    assert {job.id for job in jobs} == {"outbox_sender", "programme_jobs"}
    for job in jobs:
        # Due now, not one interval after start: what fell due during downtime goes at once.
        assert before - timedelta(seconds=1) <= job.next_run_time <= datetime.now(UTC)


async def test_jobs_run_once_right_after_start(app: Application, sender: OutboxSender) -> None:
    runs = await start_and_wait_for_first_runs(app, sender)
    assert set(runs) == {"outbox_sender", "programme_jobs"}
    assert all(event.exception is None for event in runs.values())


async def test_an_idle_minute_logs_nothing_at_info(
    app: Application,
    sender: OutboxSender,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    quiet_at_info: None,
) -> None:
    caplog.set_level(logging.INFO)
    # The real scheduler's first runs (APScheduler's "Running job …" would show here) ...
    await start_and_wait_for_first_runs(app, sender)
    # ... then a minute of ticks on the fake clock: sixty of the sender, one of the programme.
    for _ in range(60):
        clock.advance(seconds=1)
        await run_outbox(sender)
    await run_programme_jobs(app.services)
    assert [record.getMessage() for record in caplog.records] == []


async def test_a_job_that_did_something_logs_one_line(
    app: Application, sender: OutboxSender, caplog: pytest.LogCaptureFixture
) -> None:
    now = app.clock.now()
    async with app.database.write() as db:
        recipient = Person(locale="ru", created_at=now, last_seen_at=now)
        db.add(recipient)
        await db.flush()
        db.add(telegram_account(recipient.id, 42, now))
        await outbox.enqueue(
            db,
            recipient_id=recipient.id,
            kind="staff_joined",
            dedupe_key="event:1",
            due_at=now,
            now=now,
            payload={"organisation_name": "Школа № 7", "role": "curator"},
        )
    caplog.set_level(logging.INFO)
    await run_outbox(sender)
    await run_outbox(sender)  # nothing left: silent
    assert [record.getMessage() for record in caplog.records] == ["outbox: sent 1"]
