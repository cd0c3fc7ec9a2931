"""APScheduler wiring: a few in-memory interval jobs that call services. No state lives here.

Each job logs one line when it did something and nothing when it did not, so an idle bot at
LOG_LEVEL=INFO is silent (APScheduler's own per-run lines are off, see `bot.logging_setup`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.container import Services
from services.outbox.sender import OutboxSender

logger = logging.getLogger(__name__)

SENDER_TICK_SECONDS = 1
# Offers expire after days and pauses end on a date: a minute's precision is plenty.
PROGRAMME_TICK_SECONDS = 60


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{what} {count}" for what, count in counts.items() if count)


async def run_outbox(sender: OutboxSender) -> None:
    tally = await sender.run_tick()
    if tally.handled:
        logger.info(
            "outbox: %s",
            _summary(
                {
                    "sent": tally.sent,
                    "to retry": tally.retried,
                    "failed": tally.failed,
                    "recipient blocked the bot": tally.blocked,
                    "expired": tally.expired,
                    "deferred": tally.deferred,
                }
            ),
        )


async def run_programme_jobs(services: Services) -> None:
    """Half-time reminders and expiry of offers to mentors; paused pairs whose date came; the
    pairs' cycles (open the next, close the unanswered); forms abandoned for a week; reminders
    of survey campaigns near their deadline; questionnaires at pairs' moments."""
    reminded, expired = await services.offer_expiry.process_due()
    resumed = await services.pairs.resume_due()
    opened, closed = await services.rhythm.process_due()
    forgotten = await services.forms.purge_expired()
    survey_reminders = await services.campaigns.remind()
    automatic = await services.automatic_surveys.process_due()
    summary = _summary(
        {
            "offers reminded": reminded,
            "offers expired": expired,
            "pairs resumed": resumed,
            "cycles opened": opened,
            "unanswered cycles closed": closed,
            "abandoned forms forgotten": forgotten,
            "survey reminders queued": survey_reminders,
            "questionnaires sent at pairs' moments": automatic,
        }
    )
    if summary:
        logger.info("programme: %s", summary)


def create_scheduler(sender: OutboxSender, services: Services) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    # Both jobs also run right after start, so what fell due while the bot was down is not
    # delayed by a tick. The scheduler's own time is wall-clock time, whatever clock the
    # services are given.
    now = datetime.now(UTC)
    scheduler.add_job(
        run_outbox,
        "interval",
        seconds=SENDER_TICK_SECONDS,
        args=[sender],
        id="outbox_sender",
        next_run_time=now,
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
        next_run_time=now,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=300,
    )
    return scheduler
