"""APScheduler wiring: a few in-memory interval jobs that call services. No state lives here."""

from __future__ import annotations

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.container import Services
from services.outbox.sender import OutboxSender

logger = logging.getLogger(__name__)

SENDER_TICK_SECONDS = 1
# Offers expire after days and pauses end on a date: a minute's precision is plenty.
PROGRAMME_TICK_SECONDS = 60


async def run_programme_jobs(services: Services) -> None:
    """Half-time reminders and expiry of offers to mentors; paused pairs whose date came; the
    pairs' cycles (open the next, close the unanswered)."""
    reminded, expired = await services.offer_expiry.process_due()
    resumed = await services.pairs.resume_due()
    opened, closed = await services.rhythm.process_due()
    if reminded or expired or resumed or opened or closed:
        logger.info(
            "Programme jobs: %s offer reminders, %s offers expired, %s pairs resumed, "
            "%s cycles opened, %s closed",
            reminded,
            expired,
            resumed,
            opened,
            closed,
        )


def create_scheduler(sender: OutboxSender, services: Services) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        sender.run_once,
        "interval",
        seconds=SENDER_TICK_SECONDS,
        id="outbox_sender",
        # A long batch outlasts the tick; the extra instance returns at once (the sender has its
        # own lock), where max_instances=1 would log a "skipped" warning every second.
        max_instances=2,
        coalesce=True,
        misfire_grace_time=30,
    )
    scheduler.add_job(
        run_programme_jobs,
        "interval",
        seconds=PROGRAMME_TICK_SECONDS,
        args=[services],
        id="programme_jobs",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=300,
    )
    return scheduler
