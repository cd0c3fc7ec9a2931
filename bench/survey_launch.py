"""A survey to a region's teachers: how long `/survey` takes to queue 100 000 invitations.

Builds a fresh database with one organisation, a curator and N mentees with complete profiles,
installs the built-in questionnaires, then times the real `CampaignService.launch` (one response
row and one outbox invitation per person, spread over the sending window) and, while it runs,
how long a small write of someone else waits (another person's form step). Reports the launch
time, rows written, the longest wait of the concurrent writer and peak memory (tracemalloc).

    python -m bench.survey_launch                       # 100 000 mentees, SQLite
    python -m bench.survey_launch --people 10000
    python -m bench.survey_launch --database-url postgresql+asyncpg://postgres@localhost/bench

The PostgreSQL database must exist and be empty; the script migrates it.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, update

from bot.app import create_application, prepare_content
from bot.config import Settings
from bot.migrate import upgrade
from bot.telegram.identity import TELEGRAM
from models import (
    MeetingFormat,
    MenteeCategory,
    MessengerAccount,
    Notification,
    Organisation,
    Person,
    PersonStatus,
    Profile,
    ProfileRole,
    QuestionnaireResponse,
    RoleAssignment,
    RoleKind,
)
from services.questionnaires.audiences import CampaignAudience
from tests.fakes import TEST_TOKEN, FakeClock

CHUNK = 5000


async def _build(app: object, people: int, now: datetime) -> tuple[int, int]:
    database = app.database  # type: ignore[attr-defined]
    async with database.write() as session:
        organisation = Organisation(
            name="Школа", address="—", timezone="Europe/Moscow", settings={}, created_at=now
        )
        session.add(organisation)
        curator = Person(
            full_name="Куратор",
            locale="ru",
            status=PersonStatus.ACTIVE,
            created_at=now,
            last_seen_at=now,
        )
        session.add(curator)
        await session.flush()
        session.add(
            MessengerAccount(
                person_id=curator.id,
                messenger=TELEGRAM,
                external_user_id="1",
                chat_id="1",
                created_at=now,
            )
        )
        session.add(
            RoleAssignment(
                person_id=curator.id,
                role=RoleKind.CURATOR,
                organisation_id=organisation.id,
                granted_at=now,
            )
        )
        organisation_id, curator_id = organisation.id, curator.id
    for start in range(0, people, CHUNK):
        count = min(CHUNK, people - start)
        async with database.write() as session:
            ids = (
                await session.scalars(
                    insert(Person).returning(Person.id, sort_by_parameter_order=True),
                    [
                        {
                            "full_name": f"Учитель {start + index}",
                            "locale": "en" if index % 5 == 0 else "ru",
                            "status": PersonStatus.ACTIVE,
                            "created_at": now,
                            "last_seen_at": now,
                        }
                        for index in range(count)
                    ],
                )
            ).all()
            await session.execute(
                insert(Profile),
                [
                    {
                        "person_id": person_id,
                        "organisation_id": organisation_id,
                        "position": "учитель",
                        "subjects": ["Математика"],
                        "experience_years": 1,
                        "organisation_years": 1,
                        "role": ProfileRole.MENTEE,
                        "mentee_category": MenteeCategory.YOUNG_SPECIALIST,
                        "offered_domains": [],
                        "needed_domains": ["ict"],
                        "meeting_format": MeetingFormat.IN_PERSON,
                        "days": ["mon"],
                        "times": ["morning"],
                        "completed_at": now,
                        "updated_at": now,
                    }
                    for person_id in ids
                ],
            )
    return organisation_id, curator_id


async def _other_writer(app: object, person_id: int, stop: asyncio.Event) -> list[float]:
    """Someone else's small write every 50 ms while the launch runs: how long each waited."""
    waits = []
    database = app.database  # type: ignore[attr-defined]
    while not stop.is_set():
        started = time.perf_counter()
        async with database.write() as session:
            await session.execute(update(Person).where(Person.id == person_id).values(username="x"))
        waits.append(time.perf_counter() - started)
        await asyncio.sleep(0.05)
    return waits


async def run(database_url: str, people: int) -> None:
    await upgrade(database_url)
    clock = FakeClock()
    settings = Settings(_env_file=None, BOT_TOKEN=TEST_TOKEN, DATABASE_URL=database_url)
    app = create_application(settings, clock)
    try:
        await prepare_content(app)
        now = clock.now()
        built = time.perf_counter()
        organisation_id, curator_id = await _build(app, people, now)
        print(f"built {people} mentees in {time.perf_counter() - built:.1f} s", flush=True)
        deadline = (now + timedelta(days=14)).astimezone(UTC).date()
        stop = asyncio.Event()
        other = asyncio.create_task(_other_writer(app, curator_id, stop))
        tracemalloc.start()
        started = time.perf_counter()
        campaign = await app.services.campaigns.launch(
            curator_id, organisation_id, "satisfaction_mentee", CampaignAudience.MENTEES, deadline
        )
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        stop.set()
        waits = await other
        async with app.database.read() as session:
            responses = await session.scalar(
                select(func.count()).select_from(QuestionnaireResponse)
            )
            invitations = await session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.kind == "survey_invite")
            )
        assert campaign.invited == people == responses == invitations
        print(
            f"launch: {people} invited in {elapsed:.2f} s "
            f"({people / elapsed:,.0f} people/s); {responses} responses and {invitations} "
            f"invitations written; peak Python memory {peak / 2**20:.0f} MB; "
            f"another person's write waited at most {max(waits) * 1000:.0f} ms "
            f"({len(waits)} writes during the launch)"
        )
    finally:
        await app.database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        asyncio.run(run(url, arguments.people))


if __name__ == "__main__":
    main()
