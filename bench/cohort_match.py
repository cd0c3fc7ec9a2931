"""/match on a large school: how long the draft and the approval take, and what optimal buys.

Builds a fresh database with one organisation, N mentees with open requests and M mentors with
random (seeded) profiles, then times the curator's draft (`CohortMatchService.draft`, both
objectives), the approval that creates every pair through the locked `create_pair`, and compares
the optimal total fit with first-come-first-served.

    python -m bench.cohort_match                      # 200 mentees, 100 mentors, SQLite
    python -m bench.cohort_match --mentees 400 --mentors 150
    python -m bench.cohort_match --database-url postgresql+asyncpg://postgres@localhost/bench

The PostgreSQL database must exist and be empty; the script migrates it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.app import create_application
from bot.config import Settings
from bot.migrate import upgrade
from bot.telegram.identity import TELEGRAM
from models import (
    CompetenceDomain,
    Consent,
    ConsentDecision,
    MeetingFormat,
    MentoringPair,
    MentoringRequest,
    MentoringType,
    MessengerAccount,
    Organisation,
    Person,
    Profile,
    ProfileRole,
    RequestStatus,
    RequestTopic,
    RoleAssignment,
    RoleKind,
    Urgency,
)
from services.core.clock import SystemClock
from services.matching.cohort import Candidate, Objective, greedy, total

TOKEN = "123456:AAEbenchmarkbenchmarkbenchmark_xyz"  # noqa: S105 - never sent anywhere
SUBJECTS = ("Математика", "Физика", "Русский язык", "История", "Биология", "Начальные классы")
DAYS = ("mon", "tue", "wed", "thu", "fri")
TIMES = ("morning", "midday", "afternoon", "evening")


def _sample(rng: random.Random, values: tuple[str, ...], low: int, high: int) -> list[str]:
    return sorted(rng.sample(values, rng.randint(low, high)))


def _telegram_account(person_id: int, user_id: int, now: datetime) -> MessengerAccount:
    """The account the bot makes on a person's first contact."""
    return MessengerAccount(
        person_id=person_id,
        messenger=TELEGRAM,
        external_user_id=str(user_id),
        chat_id=str(user_id),
        created_at=now,
    )


async def _fill(settings: Settings, mentees: int, mentors: int, seed: int) -> tuple[int, int]:
    app = create_application(settings, SystemClock())
    rng = random.Random(seed)
    now = app.clock.now()
    domains = tuple(domain.value for domain in CompetenceDomain)
    topics = tuple(topic.value for topic in RequestTopic)
    formats = tuple(MeetingFormat)
    async with app.database.write() as session:
        organisation = Organisation(
            name="Школа", address="Адрес", timezone="Europe/Moscow", settings={}, created_at=now
        )
        session.add(organisation)
        await session.flush()
        curator = Person(locale="ru", created_at=now, last_seen_at=now)
        session.add(curator)
        await session.flush()
        session.add(_telegram_account(curator.id, 1, now))
        session.add(
            RoleAssignment(
                person_id=curator.id,
                role=RoleKind.CURATOR,
                organisation_id=organisation.id,
                granted_at=now,
            )
        )
        for index in range(mentees + mentors):
            mentor = index >= mentees
            person = Person(
                full_name=f"Фамилия{index} Имя{index} Отчество",
                locale="ru",
                created_at=now,
                last_seen_at=now,
            )
            session.add(person)
            await session.flush()
            session.add(_telegram_account(person.id, 10_000 + index, now))
            session.add(
                Consent(
                    person_id=person.id,
                    organisation_id=organisation.id,
                    decision=ConsentDecision.AGREED,
                    version=1,
                    decided_at=now,
                )
            )
            experience = rng.randint(5, 30) if mentor else rng.randint(0, 4)
            session.add(
                Profile(
                    person_id=person.id,
                    organisation_id=organisation.id,
                    position="учитель",
                    subjects=[rng.choice(SUBJECTS)],
                    experience_years=experience,
                    organisation_years=min(experience, rng.randint(0, 5)),
                    role=ProfileRole.MENTOR if mentor else ProfileRole.MENTEE,
                    offered_domains=_sample(rng, domains, 2, 5) if mentor else [],
                    needed_domains=[] if mentor else _sample(rng, domains, 1, 3),
                    meeting_format=rng.choice(formats),
                    days=_sample(rng, DAYS, 1, 3),
                    times=_sample(rng, TIMES, 1, 2),
                    capacity=rng.randint(1, 3) if mentor else None,
                    completed_at=now,
                    updated_at=now,
                )
            )
            if not mentor:
                session.add(
                    MentoringRequest(
                        organisation_id=organisation.id,
                        mentee_id=person.id,
                        filed_by_id=person.id,
                        topics=_sample(rng, topics, 1, 3),
                        difficulty="Трудно удержать внимание класса.",
                        hopes="Научиться строить урок.",
                        meeting_format=rng.choice(formats),
                        mentoring_type=MentoringType.TRADITIONAL,
                        group_ok=False,
                        urgency=Urgency.TWO_WEEKS,
                        status=RequestStatus.OPEN,
                        created_at=now,
                        updated_at=now,
                    )
                )
        ids = (curator.id, organisation.id)
    await app.database.dispose()
    return ids


async def _run(settings: Settings, curator_id: int, organisation_id: int) -> dict[str, object]:
    app = create_application(settings, SystemClock())
    services = app.services
    results: dict[str, object] = {}
    started = time.perf_counter()
    draft = await services.cohort.draft(curator_id, organisation_id, Objective.BEST_FIT)
    results["draft_seconds"] = round(time.perf_counter() - started, 2)
    everyone = await services.cohort.draft(curator_id, organisation_id, Objective.EVERYONE)
    results.update(
        requests=len(draft.lines),
        best_fit_matched=draft.matched,
        best_fit_total=draft.total_score,
        everyone_matched=everyone.matched,
        everyone_total=everyone.total_score,
    )
    async with app.database.read() as session:
        request_ids = (
            await session.scalars(select(MentoringRequest.id).order_by(MentoringRequest.id))
        ).all()
    started = time.perf_counter()
    candidates: list[Candidate] = []
    capacities: dict[int, int] = {}
    for request_id in request_ids:
        for option in await services.requests.suggestions(curator_id, request_id, limit=1000):
            candidates.append(Candidate(request_id, option.mentor_id, option.score))
            capacities[option.mentor_id] = option.free_places
    results["suggestions_per_request_ms"] = round(
        (time.perf_counter() - started) / max(len(request_ids), 1) * 1000, 1
    )
    first_come = greedy(candidates, capacities)
    results.update(
        first_come_matched=len(first_come), first_come_total=total(first_come, candidates)
    )
    started = time.perf_counter()
    approval = await services.cohort.approve(curator_id, organisation_id, draft.assignment)
    results["approve_seconds"] = round(time.perf_counter() - started, 2)
    results["pairs_created"] = len(approval.created)
    results["skipped"] = len(approval.skipped)
    async with app.database.read() as session:
        results["pairs_in_database"] = await session.scalar(
            select(func.count()).select_from(MentoringPair)
        )
    await app.database.dispose()
    return results


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentees", type=int, default=200)
    parser.add_argument("--mentors", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        await upgrade(url)
        settings = Settings(_env_file=None, BOT_TOKEN=TOKEN, DATABASE_URL=url)
        curator_id, organisation_id = await _fill(
            settings, arguments.mentees, arguments.mentors, arguments.seed
        )
        results = await _run(settings, curator_id, organisation_id)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
