"""APScheduler wiring: a few in-memory interval jobs that call services. No state lives here."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from services.outbox_sender import OutboxSender

SENDER_TICK_SECONDS = 1


def create_scheduler(sender: OutboxSender) -> AsyncIOScheduler:
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
    return scheduler
