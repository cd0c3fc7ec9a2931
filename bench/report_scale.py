"""The curator's desk at municipal scale: how long `/stats` and `/report` take for one school of a
large municipality and for the whole municipality.

Builds a fresh database with N organisations (the first a school of 2 000 teachers, the others
sharing the rest), every teacher with a person, a participant role and (nearly all) a profile,
pairs of this programme year and the last with their orders, requests, cadence cycles, meetings
and questionnaire answers to the built-in questionnaires, a curator for the school and the
superadmin for the roll-up. The clock stands at 15 March 2027, well into the programme year
2026/27. Then it times, each `--repeats` times, what the bot does for:

  (a) a school's `/stats`          StatsService.for_organisation(curator, school)
  (b) a school's `/report`         ReportService.for_organisation(curator, school, year), then
                                   DocumentMaker.school(report) (workbook, Word, charts)
  (c) the municipality's `/stats`  StatsService.for_coordinator(superadmin)
  (d) the municipality's `/report` ReportService.for_coordinator(superadmin, year), then
                                   DocumentMaker.municipal(report)

Each step runs in a process of its own. Time is wall-clock without tracing; one more run of
each under tracemalloc gives Python's peak memory for that call, and the process's peak resident
size (VmHWM, else ru_maxrss) is printed after each, beside its size at rest before the first.

    python -m bench.report_scale                         # 100 000 teachers, SQLite
    python -m bench.report_scale --teachers 10000 --organisations 20 --pairs 5000 \\
        --meetings 100000 --answers 20000                # a tenth, for a quick look
    python -m bench.report_scale --database-url postgresql+asyncpg://postgres@localhost/bench

The PostgreSQL database must exist and be empty; the script migrates it and runs ANALYZE after
the build (what autovacuum does within a minute of a load like this; `--no-analyze` skips it).
`--reuse` times a database an earlier run built and left (a file given with `--database-url`).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, text

from bench.memory import peak_rss_mb
from bot.app import Application, create_application, prepare_content
from bot.config import Settings
from bot.migrate import upgrade
from bot.telegram.identity import TELEGRAM
from models import (
    ChangeReason,
    CycleStatus,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MenteeCategory,
    MentoringPair,
    MentoringRequest,
    MentoringType,
    MessengerAccount,
    Organisation,
    PairCycle,
    PairOrder,
    PairOrigin,
    PairStatus,
    Person,
    PersonStatus,
    Profile,
    ProfileRole,
    ProgrammeRole,
    Questionnaire,
    QuestionnaireResponse,
    RequestStatus,
    RoleAssignment,
    RoleKind,
    Urgency,
)
from services.reports.periods import Period, programme_year
from tests.fakes import TEST_TOKEN, FakeClock

CHUNK = 10_000
TIMEZONE = "Europe/Moscow"
# 15 March 2027, 12:00 in Moscow: the programme year 2026/27 is well under way.
NOW = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)
YEAR_START = date(2026, 9, 1)
LAST_YEAR_START = date(2025, 9, 1)
CADENCE_DAYS = 14
CURATOR_TELEGRAM_ID = 1
SUPERADMIN_TELEGRAM_ID = 1000
DOMAINS = (
    "scientific",
    "regulatory",
    "subject",
    "psychological",
    "methodological",
    "ict",
    "digital",
    "upbringing",
    "health",
)
SUBJECTS = ("Математика", "Русский язык", "История", "Физика", "Биология", "Английский язык")
SURNAMES = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Морозов")
NAMES = ("Анна", "Мария", "Ольга", "Елена", "Сергей", "Андрей", "Дмитрий", "Наталья", "Ирина")
PATRONYMICS = ("Ивановна", "Петровна", "Сергеевна", "Андреевич", "Олегович", "Николаевна")
TOPICS = (
    "Урок по ФГОС",
    "Работа с родителями",
    "Дисциплина в классе",
    "Электронный журнал",
    "Открытый урок: разбор",
    "Подготовка к ОГЭ",
)
NEXT_STEPS = ("Посетить урок наставника", "Составить план урока", "Разобрать ошибки", "")

T = TypeVar("T")


def at(day: date, hour: int = 9) -> datetime:
    """A moment of `day` in working hours (09:00 UTC is 12:00 in Moscow)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def chunks(rows: Iterator[T] | Sequence[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(slots=True)
class Teacher:
    person_id: int
    role: ProfileRole | None  # None: no profile (withdrawn, or never finished it)


@dataclass(slots=True)
class Pair:
    id: int
    organisation_id: int
    mentor_id: int
    mentee_id: int
    status: PairStatus
    created: date
    started: date | None
    ended: date | None


@dataclass(slots=True)
class Municipality:
    school_id: int
    curator_id: int
    superadmin_id: int
    rows: dict[str, int] = field(default_factory=dict)


def _split(total: int, parts: int, first: int) -> list[int]:
    """`total` shared by `parts`: `first` to the first, the rest as evenly as can be."""
    first = min(first, total)
    rest = parts - 1
    if rest <= 0:
        return [total]
    base, extra = divmod(total - first, rest)
    return [first] + [base + (1 if index < extra else 0) for index in range(rest)]


class Builder:
    def __init__(self, app: Application, arguments: argparse.Namespace) -> None:
        self.app = app
        self.database = app.database
        self.arguments = arguments
        self.random = random.Random(2027)
        self.rows: dict[str, int] = {}
        self.withdrawn_number = 0

    async def _insert(self, model: Any, rows: Iterator[dict[str, Any]]) -> None:
        for batch in chunks(rows):
            async with self.database.write() as session:
                await session.execute(insert(model), batch)
            self.rows[model.__tablename__] = self.rows.get(model.__tablename__, 0) + len(batch)

    async def _insert_returning(self, model: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
        ids: list[int] = []
        for batch in chunks(rows):
            async with self.database.write() as session:
                ids.extend(
                    (
                        await session.scalars(
                            insert(model).returning(model.id, sort_by_parameter_order=True),
                            batch,
                        )
                    ).all()
                )
        self.rows[model.__tablename__] = self.rows.get(model.__tablename__, 0) + len(rows)
        return ids

    async def build(self) -> Municipality:
        a = self.arguments
        organisation_ids = await self._organisations(a.organisations)
        sizes = _split(a.teachers, len(organisation_ids), a.school_teachers)
        curator_id, superadmin_id = await self._staff(organisation_ids[0])
        teachers: dict[int, list[Teacher]] = {}
        for organisation_id, size in zip(organisation_ids, sizes, strict=True):
            teachers[organisation_id] = await self._teachers(organisation_id, size)
        orders = await self._orders(organisation_ids)
        # Pairs in proportion to teachers (the school of 2 000 in 100 000 has 2 % of them).
        ends = [
            round(a.pairs * sum(sizes[: index + 1]) / a.teachers) for index in range(len(sizes))
        ]
        pair_counts = [end - start for start, end in zip([0, *ends], ends, strict=False)]
        pairs: list[Pair] = []
        for organisation_id, count in zip(organisation_ids, pair_counts, strict=True):
            pairs += await self._pairs(organisation_id, teachers[organisation_id], count, orders)
        await self._cycles(pairs)
        await self._meetings(pairs, a.meetings)
        await self._responses(pairs, a.answers)
        return Municipality(organisation_ids[0], curator_id, superadmin_id, self.rows)

    async def _organisations(self, count: int) -> list[int]:
        rows = []
        for index in range(count):
            name = "Школа № 1 (2 000 учителей)" if index == 0 else f"Школа № {index + 1}"
            settings: dict[str, Any] = {}
            if index % 2 == 0:  # half the curators entered their figures for the year
                settings = {
                    "figures": {
                        "2026": {
                            "teachers": None,
                            "young_specialists": 40 if index else 160,
                            "young_teachers": 60 if index else 240,
                            "young_left": 2 if index else 8,
                        }
                    }
                }
            rows.append(
                {
                    "name": name,
                    "address": f"ул. Школьная, {index + 1}",
                    "timezone": TIMEZONE,
                    "settings": settings,
                    "created_at": at(date(2025, 8, 20)),
                }
            )
        return await self._insert_returning(Organisation, rows)

    async def _staff(self, school_id: int) -> tuple[int, int]:
        created = at(date(2025, 8, 20))
        ids = await self._insert_returning(
            Person,
            [
                {
                    "full_name": name,
                    "locale": "ru",
                    "status": PersonStatus.ACTIVE,
                    "created_at": created,
                    "last_seen_at": NOW,
                }
                for name in ("Куратор Школы Первой", "Администратор Муниципалитета")
            ],
        )
        curator_id, superadmin_id = ids
        await self._insert(
            MessengerAccount,
            iter(
                [
                    {
                        "person_id": person_id,
                        "messenger": TELEGRAM,
                        "external_user_id": str(telegram_id),
                        "chat_id": str(telegram_id),
                        "created_at": created,
                    }
                    for person_id, telegram_id in (
                        (curator_id, CURATOR_TELEGRAM_ID),
                        (superadmin_id, SUPERADMIN_TELEGRAM_ID),
                    )
                ]
            ),
        )
        await self._insert(
            RoleAssignment,
            iter(
                [
                    {
                        "person_id": curator_id,
                        "role": RoleKind.CURATOR,
                        "organisation_id": school_id,
                        "granted_at": created,
                    }
                ]
            ),
        )
        return curator_id, superadmin_id

    def _person_row(self, index: int, status: PersonStatus) -> dict[str, Any]:
        r = self.random
        withdrawn = status == PersonStatus.WITHDRAWN
        if withdrawn:
            self.withdrawn_number += 1
        joined = at(date(2025, 8, 25) + timedelta(days=r.randrange(300)))
        return {
            "full_name": None
            if withdrawn
            else f"{r.choice(SURNAMES)} {r.choice(NAMES)} {r.choice(PATRONYMICS)} {index}",
            "locale": "en" if index % 50 == 0 else "ru",
            "status": status,
            "withdrawn_number": self.withdrawn_number if withdrawn else None,
            "created_at": joined,
            "last_seen_at": joined,
        }

    async def _teachers(self, organisation_id: int, count: int) -> list[Teacher]:
        """Of every 100 teachers: 1 withdrew, 1 has no profile yet, 2 blocked the bot; of those
        with a profile 3 in 10 are mentors, 1 in 10 both, 6 in 10 mentees."""
        r = self.random
        plan: list[tuple[PersonStatus, ProfileRole | None]] = []
        for index in range(count):
            if index % 100 == 99:
                plan.append((PersonStatus.WITHDRAWN, None))
            elif index % 100 == 98:
                plan.append((PersonStatus.ACTIVE, None))
            else:
                status = PersonStatus.UNREACHABLE if index % 50 == 7 else PersonStatus.ACTIVE
                role = (
                    ProfileRole.MENTOR
                    if index % 10 < 3
                    else ProfileRole.BOTH
                    if index % 10 == 3
                    else ProfileRole.MENTEE
                )
                plan.append((status, role))
        ids = await self._insert_returning(
            Person, [self._person_row(index, status) for index, (status, _role) in enumerate(plan)]
        )
        joined = at(date(2025, 8, 25))
        programme = {
            ProfileRole.MENTOR: ProgrammeRole.MENTOR,
            ProfileRole.BOTH: ProgrammeRole.EITHER,
            ProfileRole.MENTEE: ProgrammeRole.MENTEE,
            None: ProgrammeRole.MENTEE,
        }
        await self._insert(
            RoleAssignment,
            (
                {
                    "person_id": person_id,
                    "role": RoleKind.PARTICIPANT,
                    "organisation_id": organisation_id,
                    "programme_role": programme[role],
                    "granted_at": joined,
                }
                for person_id, (_status, role) in zip(ids, plan, strict=True)
            ),
        )

        def profile(person_id: int, role: ProfileRole) -> dict[str, Any]:
            mentor = role in (ProfileRole.MENTOR, ProfileRole.BOTH)
            experience = r.randint(8, 30) if mentor else min(r.randint(0, 12), r.randint(0, 30))
            category = None
            if not mentor:
                category = (
                    MenteeCategory.YOUNG_SPECIALIST
                    if experience <= 3
                    else r.choice((MenteeCategory.NEW_TO_STAFF, MenteeCategory.OTHER))
                )
            return {
                "person_id": person_id,
                "organisation_id": organisation_id,
                "position": "учитель",
                "subjects": [r.choice(SUBJECTS)],
                "experience_years": experience,
                "organisation_years": r.randint(0, experience),
                "role": role,
                "mentee_category": category,
                "offered_domains": r.sample(DOMAINS, 3) if mentor else [],
                "needed_domains": [] if role == ProfileRole.MENTOR else r.sample(DOMAINS, 2),
                "meeting_format": r.choice(tuple(MeetingFormat)),
                "days": ["mon", "wed"],
                "times": ["afternoon"],
                "capacity": r.choice((None, None, 1, 2, 3)) if mentor else None,
                "completed_at": joined,
                "updated_at": joined,
            }

        await self._insert(
            Profile,
            (
                profile(person_id, role)
                for person_id, (_status, role) in zip(ids, plan, strict=True)
                if role is not None
            ),
        )
        return [
            Teacher(person_id, role) for person_id, (_status, role) in zip(ids, plan, strict=True)
        ]

    async def _orders(self, organisation_ids: list[int]) -> dict[tuple[int, int], int]:
        """Three orders per organisation: last year's, September's and December's."""
        dates = (date(2025, 9, 20), date(2026, 9, 20), date(2026, 12, 1))
        keys = [(o, index) for o in organisation_ids for index in range(len(dates))]
        ids = await self._insert_returning(
            PairOrder,
            [
                {
                    "organisation_id": o,
                    "number": f"{10 + index}-од",
                    "order_date": dates[index],
                    "recorded_at": at(dates[index]),
                }
                for o, index in keys
            ],
        )
        return dict(zip(keys, ids, strict=True))

    def _pair_plan(self, index: int, count: int) -> tuple[PairStatus, date, date | None]:
        """Status, creation and end of the `index`th of `count` pairs: a tenth from last year
        (ended before this one began), the rest made from September to December, mostly
        active."""
        r = self.random
        if index < count // 10:
            created = LAST_YEAR_START + timedelta(days=r.randrange(90))
            if r.random() < 0.7:
                return PairStatus.COMPLETED, created, date(2026, 5, 15) + timedelta(r.randrange(30))
            return PairStatus.ENDED_EARLY, created, date(2026, 1, 10) + timedelta(r.randrange(60))
        created = YEAR_START + timedelta(days=r.randrange(100))
        roll = r.random()
        if roll < 0.75:
            return PairStatus.ACTIVE, created, None
        if roll < 0.84:
            return PairStatus.COMPLETED, created, date(2027, 1, 10) + timedelta(r.randrange(60))
        if roll < 0.91:  # new pairs waiting for the head's order
            return PairStatus.PENDING_ORDER, date(2027, 2, 20) + timedelta(r.randrange(22)), None
        if roll < 0.97:
            return PairStatus.ENDED_EARLY, created, date(2026, 11, 1) + timedelta(r.randrange(100))
        return PairStatus.PAUSED, created, None

    async def _pairs(
        self,
        organisation_id: int,
        teachers: list[Teacher],
        count: int,
        orders: dict[tuple[int, int], int],
    ) -> list[Pair]:
        r = self.random
        mentors = [
            t.person_id for t in teachers if t.role in (ProfileRole.MENTOR, ProfileRole.BOTH)
        ]
        mentees = [t.person_id for t in teachers if t.role == ProfileRole.MENTEE]
        if count > len(mentees):
            raise SystemExit(f"{count} pairs need more than {len(mentees)} mentees per school")
        plans = [self._pair_plan(index, count) for index in range(count)]
        # A matched request behind each pair of this year; an open one for a third of the
        # mentees without a pair.
        requests: list[dict[str, Any]] = []
        for index, (status, created, _ended) in enumerate(plans):
            if created >= YEAR_START:
                filed = created - timedelta(days=r.randint(1, 10))
                requests.append(self._request(organisation_id, mentees[index], filed, status))
        request_ids = iter(await self._insert_returning(MentoringRequest, requests))
        await self._insert(
            MentoringRequest,
            (
                self._request(
                    organisation_id,
                    mentee_id,
                    NOW.date() - timedelta(days=r.randrange(60)),
                    None,
                )
                for mentee_id in mentees[count::3]
            ),
        )
        rows = []
        people: list[tuple[int, int]] = []
        for index, (status, created, ended) in enumerate(plans):
            people.append((mentors[index % len(mentors)], mentees[index]))
            started = None if status == PairStatus.PENDING_ORDER else created + timedelta(days=2)
            if created < YEAR_START:
                order = orders[(organisation_id, 0)]
            elif created < date(2026, 11, 15):
                order = orders[(organisation_id, 1)]
            else:
                order = orders[(organisation_id, 2)]
            rows.append(
                {
                    "organisation_id": organisation_id,
                    "mentor_id": people[index][0],
                    "mentee_id": people[index][1],
                    "request_id": next(request_ids) if created >= YEAR_START else None,
                    "order_id": None if status == PairStatus.PENDING_ORDER else order,
                    "status": status,
                    "origin": PairOrigin.MENTOR_ACCEPTED,
                    "mentoring_type": MentoringType.TRADITIONAL
                    if index % 8
                    else MentoringType.SHORT_TERM,
                    "score": r.randint(40, 100),
                    "created_at": at(created),
                    "started_at": at(started) if started else None,
                    "silent_cycles": (0 if r.random() < 0.85 else r.randint(1, 4))
                    if status == PairStatus.ACTIVE
                    else 0,
                    "ended_at": at(ended) if ended else None,
                    "end_reason": ChangeReason.NO_CONTACT
                    if status == PairStatus.ENDED_EARLY
                    else None,
                }
            )
        ids = await self._insert_returning(MentoringPair, rows)
        return [
            Pair(
                pair_id,
                organisation_id,
                mentor_id,
                mentee_id,
                status,
                created,
                None if status == PairStatus.PENDING_ORDER else created + timedelta(days=2),
                ended,
            )
            for pair_id, (mentor_id, mentee_id), (status, created, ended) in zip(
                ids, people, plans, strict=True
            )
        ]

    def _request(
        self, organisation_id: int, mentee_id: int, filed: date, paired: PairStatus | None
    ) -> dict[str, Any]:
        r = self.random
        if paired is None:
            status = RequestStatus.OPEN if r.random() < 0.7 else RequestStatus.AWAITING_MENTOR
        else:
            status = RequestStatus.MATCHED
        return {
            "organisation_id": organisation_id,
            "mentee_id": mentee_id,
            "topics": ["teaching_methods", "parents"],
            "difficulty": "Дисциплина на уроках и работа с родителями",
            "hopes": "",
            "meeting_format": MeetingFormat.ANY,
            "mentoring_type": MentoringType.TRADITIONAL,
            "urgency": r.choice(tuple(Urgency)),
            "status": status,
            "created_at": at(filed),
            "updated_at": at(filed),
            "closed_at": None if paired is None else at(filed + timedelta(days=1)),
        }

    def _span(self, pair: Pair) -> tuple[date, date] | None:
        if pair.started is None:
            return None
        return pair.started, min(pair.ended or NOW.date(), NOW.date())

    async def _cycles(self, pairs: list[Pair]) -> None:
        """Fortnightly cycles from the start to the end (or today): met 7 times in 10, else
        missed; a live pair's current cycle is open."""
        r = self.random

        def rows() -> Iterator[dict[str, Any]]:
            for pair in pairs:
                span = self._span(pair)
                if span is None:
                    continue
                start, end = span
                number = 0
                while start < end:
                    number += 1
                    ends = start + timedelta(days=CADENCE_DAYS)
                    if ends > end and pair.status in (PairStatus.ACTIVE, PairStatus.PAUSED):
                        status = CycleStatus.OPEN
                    else:
                        status = CycleStatus.MET if r.random() < 0.7 else CycleStatus.MISSED
                    yield {
                        "pair_id": pair.id,
                        "number": number,
                        "starts_at": at(start),
                        "ends_at": at(ends, 12),
                        "status": status,
                        "asked_at": None if status == CycleStatus.OPEN else at(ends, 12),
                        "answered_at": None if status == CycleStatus.OPEN else at(ends, 14),
                    }
                    start = ends

        await self._insert(PairCycle, rows())

    async def _meetings(self, pairs: list[Pair], total: int) -> None:
        """`total` meetings shared by the pairs that started, spread evenly over each pair's
        time: an introduction, a planning meeting, regular ones, a final one if it completed."""
        r = self.random
        started = [pair for pair in pairs if pair.started is not None]
        base, extra = divmod(total, len(started))

        def rows() -> Iterator[dict[str, Any]]:
            for index, pair in enumerate(started):
                span = self._span(pair)
                assert span is not None
                first, last = span
                count = base + (1 if index < extra else 0)
                days = max((last - first).days, 1)
                for number in range(count):
                    held = first + timedelta(days=days * number // max(count - 1, 1))
                    if number == 0:
                        kind = MeetingKind.INTRODUCTION
                    elif number == 1:
                        kind = MeetingKind.PLANNING
                    elif number == count - 1 and pair.status == PairStatus.COMPLETED:
                        kind = MeetingKind.FINAL
                    else:
                        kind = MeetingKind.REGULAR
                    usefulness = r.randint(3, 5) if r.random() < 0.8 else None
                    yield {
                        "pair_id": pair.id,
                        "kind": kind,
                        "held_on": held,
                        "meeting_format": MeetingFormat.IN_PERSON
                        if number % 3
                        else MeetingFormat.ONLINE,
                        "duration_minutes": r.choice((30, 45, 60, 90)),
                        "topic": r.choice(TOPICS),
                        "usefulness": usefulness,
                        "next_step": r.choice(NEXT_STEPS),
                        "answers": {} if usefulness is None else {"usefulness": usefulness},
                        "recorded_by_id": pair.mentee_id,
                        "created_at": at(held, 14),
                        "updated_at": at(held, 14),
                    }

        await self._insert(Meeting, rows())

    async def _responses(self, pairs: list[Pair], total: int) -> None:
        """`total` answers, round by round over the pairs: the mentee's entry diagnosis; the
        mentee's satisfaction (a fifth: the fit check); the mentor's satisfaction (two fifths:
        feedback on a meeting); the exit diagnosis for three in ten (else feedback); then
        feedback on meetings until there are enough. Nearly nine in ten are finished."""
        r = self.random
        async with self.database.read() as session:
            builtin = dict(
                (
                    await session.execute(
                        select(Questionnaire.code, func.min(Questionnaire.id))
                        .where(Questionnaire.organisation_id.is_(None))
                        .group_by(Questionnaire.code)
                    )
                ).all()
            )

        def moment(pair: Pair, share: float) -> date:
            """A day `share` of the way through the pair's time (its start to its end)."""
            first = pair.created
            last = min(pair.ended or NOW.date(), NOW.date())
            return first + timedelta(days=int((last - first).days * share))

        def answers(code: str) -> dict[str, Any]:
            if code in ("entry_diagnosis", "exit_diagnosis"):
                scores: dict[str, Any] = {domain: r.randint(1, 5) for domain in DOMAINS}
                scores["confidence"] = r.randint(1, 5)
                return scores
            if code in ("satisfaction_mentee", "satisfaction_mentor"):
                overall = min(10, max(1, round(r.gauss(7.8, 1.8))))
                return {"overall": overall, "comfort": overall, "usefulness": r.randint(5, 10)}
            if code == "fit_check":
                return {"fit": r.choice(("good_fit", "good_fit", "not_sure", "not_good_fit"))}
            return {"usefulness": r.randint(2, 5), "obstacles": ["nothing"]}

        def row(pair: Pair, code: str, side: str, subject: str, share: float) -> dict[str, Any]:
            opened = at(moment(pair, share), 10)
            submitted = r.random() < 0.88
            return {
                "questionnaire_id": builtin[code],
                "organisation_id": pair.organisation_id,
                "person_id": pair.mentee_id if side == "mentee" else pair.mentor_id,
                "pair_id": pair.id,
                "subject": subject,
                "respondent_role": side,
                "answers": answers(code) if submitted else {},
                "created_at": opened,
                "updated_at": opened,
                "submitted_at": opened + timedelta(hours=5) if submitted else None,
            }

        def rows() -> Iterator[dict[str, Any]]:
            made = 0
            round_ = 0
            while True:
                for index, pair in enumerate(pairs):
                    if made == total:
                        return
                    if round_ == 0:
                        yield row(pair, "entry_diagnosis", "mentee", f"entry:{pair.id}", 0.02)
                    elif round_ == 1 and index % 5:
                        yield row(pair, "satisfaction_mentee", "mentee", f"sat:{pair.id}", 0.8)
                    elif round_ == 1:
                        yield row(pair, "fit_check", "mentee", f"fit:{pair.id}", 0.15)
                    elif round_ == 2 and index % 5 < 3:
                        yield row(pair, "satisfaction_mentor", "mentor", f"sat:{pair.id}", 0.8)
                    elif round_ == 3 and index % 10 < 3:
                        yield row(pair, "exit_diagnosis", "mentee", f"exit:{pair.id}", 0.97)
                    else:
                        share = r.random()
                        subject = f"meeting:{pair.id}-{round_}"
                        yield row(pair, "meeting_feedback", "mentee", subject, share)
                    made += 1
                round_ += 1

        await self._insert(QuestionnaireResponse, rows())


async def _find(app: Application) -> Municipality:
    """The school, its curator and the superadmin of a database built before (`--reuse`)."""
    async with app.database.read() as session:
        school_id = await session.scalar(select(func.min(Organisation.id)))
        accounts = dict(
            (
                await session.execute(
                    select(MessengerAccount.external_user_id, MessengerAccount.person_id).where(
                        MessengerAccount.messenger == TELEGRAM
                    )
                )
            ).all()
        )
    if school_id is None:
        raise SystemExit("the database is empty: run without --reuse first")
    return Municipality(
        school_id, accounts[str(CURATOR_TELEGRAM_ID)], accounts[str(SUPERADMIN_TELEGRAM_ID)]
    )


async def _row_counts(app: Application) -> dict[str, int]:
    tables = (
        Organisation,
        Person,
        RoleAssignment,
        Profile,
        MentoringRequest,
        MentoringPair,
        PairCycle,
        Meeting,
        QuestionnaireResponse,
    )
    async with app.database.read() as session:
        return {
            model.__tablename__: int(
                await session.scalar(select(func.count()).select_from(model)) or 0
            )
            for model in tables
        }


@dataclass(slots=True)
class Timing:
    name: str
    seconds: list[float] = field(default_factory=list)
    peak_mb: float = 0.0  # tracemalloc's peak during one more call
    rss_mb: float = 0.0  # the process's peak resident size after it
    note: str = ""


async def _measure(
    name: str, call: Callable[[], Awaitable[T]], repeats: int, describe: Callable[[T], str]
) -> tuple[Timing, T]:
    """`repeats` timed calls, then one under tracemalloc (which slows Python down, so it is
    not timed) for the peak of memory Python allocated during the call."""
    timing = Timing(name)
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        await call()
        timing.seconds.append(time.perf_counter() - started)
    gc.collect()
    tracemalloc.start()
    result = await call()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    timing.peak_mb = peak / 2**20
    timing.rss_mb = peak_rss_mb()
    timing.note = describe(result)
    print(
        f"  {name}: best {min(timing.seconds):.2f} s, worst {max(timing.seconds):.2f} s, "
        f"peak {timing.peak_mb:.0f} MB (tracemalloc), process peak {timing.rss_mb:.0f} MB"
        f" — {timing.note}",
        flush=True,
    )
    return timing, result


def _files(files: Sequence[Any]) -> str:
    sizes = ", ".join(f"{file.filename} {len(file.content) / 1024:.0f} kB" for file in files)
    return f"{len(files)} files: {sizes}"


def _stats_note(stats: Any) -> str:
    c = stats.counts
    return (
        f"{c.participants} participants, {c.pairs_total} pairs, {c.meetings} meetings, "
        f"{c.cycles_met + c.cycles_missed} cycles, {c.responses_opened} responses"
    )


def _rollup_note(roll_up: Any) -> str:
    c = roll_up.totals
    return (
        f"{len(roll_up.rows)} organisations, {c.participants} participants, "
        f"{c.pairs_total} pairs, {c.meetings} meetings, {c.responses_opened} responses"
    )


def _school_note(report: Any) -> str:
    r = report.registers
    return (
        f"{len(r.mentors)} mentors, {len(r.mentees)} mentees, {len(r.pairs)} pairs, "
        f"{len(r.meetings)} meetings in the registers, "
        f"{len(report.questionnaires)} questionnaires"
    )


async def _time_step(
    app: Application, town: Municipality, step: str, repeats: int, documents: bool
) -> list[Timing]:
    """One of the four things a curator or the superadmin waits for."""
    year: Period = programme_year(NOW.date())
    services = app.services
    if step == "a":
        timing, _ = await _measure(
            "(a) school /stats",
            lambda: services.stats.for_organisation(town.curator_id, town.school_id),
            repeats,
            _stats_note,
        )
        return [timing]
    if step == "c":
        timing, _ = await _measure(
            "(c) municipal /stats",
            lambda: services.stats.for_coordinator(town.superadmin_id),
            repeats,
            _rollup_note,
        )
        return [timing]
    from bot.documents.maker import DocumentMaker  # the documents need matplotlib & co

    if step == "b":
        return await _time_report(
            app,
            "(b) school",
            lambda: services.reports.for_organisation(town.curator_id, town.school_id, year),
            lambda school: DocumentMaker().school(school),
            _school_note,
            repeats,
            documents,
        )
    return await _time_report(
        app,
        "(d) municipal",
        lambda: services.reports.for_coordinator(town.superadmin_id, year),
        lambda municipal: DocumentMaker().municipal(municipal),
        lambda report: _rollup_note(report.roll_up),
        repeats,
        documents,
    )


async def _time_report(
    app: Application,
    label: str,
    read: Callable[[], Awaitable[Any]],
    draw: Callable[[Any], Awaitable[Any]],
    note: Callable[[Any], str],
    repeats: int,
    documents: bool,
) -> list[Timing]:
    """A /report: reading its data, then (with `documents`) drawing its files in Russian."""
    data, report = await _measure(f"{label} /report data", read, repeats, note)
    if not documents:
        return [data]
    with app.i18n.context(), app.i18n.use_locale("ru"):
        files, _ = await _measure(f"{label} /report files", lambda: draw(report), repeats, _files)
    return [data, files]


def _application(database_url: str) -> Application:
    settings = Settings(
        _env_file=None,
        BOT_TOKEN=TEST_TOKEN,
        DATABASE_URL=database_url,
        SUPERADMIN_IDS=str(SUPERADMIN_TELEGRAM_ID),
    )
    return create_application(settings, FakeClock(NOW))


async def build(arguments: argparse.Namespace, database_url: str) -> None:
    await upgrade(database_url)
    app = _application(database_url)
    try:
        await prepare_content(app)
        if not arguments.reuse:
            started = time.perf_counter()
            await Builder(app, arguments).build()
            print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
            if app.database.dialect == "postgresql" and arguments.analyze:
                started = time.perf_counter()
                async with app.database.engine.connect() as connection:
                    await connection.execute(text("ANALYZE"))
                    await connection.commit()
                print(f"ANALYZE in {time.perf_counter() - started:.1f} s", flush=True)
        counts = await _row_counts(app)
        print("rows: " + ", ".join(f"{table} {number:,}" for table, number in counts.items()))
    finally:
        await app.database.dispose()


async def time_step(arguments: argparse.Namespace, database_url: str) -> None:
    """In a process of its own, so that its peak resident size is that of this step alone."""
    app = _application(database_url)
    try:
        await prepare_content(app)
        town = await _find(app)
        if arguments.step in "bd" and arguments.documents:
            import bot.documents.maker  # noqa: F401  (loaded before the resting size is taken)
        rest = peak_rss_mb()
        timings = await _time_step(
            app, town, arguments.step, arguments.repeats, arguments.documents
        )
        print(RESULT + json.dumps({"rest": rest, "timings": [asdict(t) for t in timings]}))
    finally:
        await app.database.dispose()


RESULT = "RESULT "


def _run_steps(arguments: argparse.Namespace, database_url: str) -> list[tuple[float, Timing]]:
    found = []
    for step in arguments.steps:
        command = [sys.executable, "-m", "bench.report_scale", "--database-url", database_url]
        command += ["--step", step, "--repeats", str(arguments.repeats)]
        if not arguments.documents:
            command.append("--no-documents")
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
            assert child.stdout is not None
            for line in child.stdout:
                if line.startswith(RESULT):
                    result = json.loads(line[len(RESULT) :])
                    found += [(result["rest"], Timing(**t)) for t in result["timings"]]
                else:
                    print(line, end="", flush=True)
        if child.returncode:
            raise SystemExit(f"step {step} failed")
    return found


def _table(found: list[tuple[float, Timing]], database: str) -> None:
    print()
    print(
        f"| {database} | best | worst | Python peak (tracemalloc) | process peak (at rest before) |"
    )
    print("|---|---|---|---|---|")
    for rest, t in found:
        print(
            f"| {t.name} | {min(t.seconds):.2f} s | {max(t.seconds):.2f} s "
            f"| {t.peak_mb:.0f} MB | {t.rss_mb:.0f} MB ({rest:.0f} MB) |"
        )
    for name, prefix in (("school /report", "(b)"), ("municipal /report", "(d)")):
        parts = [t for _rest, t in found if t.name.startswith(prefix)]
        if len(parts) > 1:
            best = sum(min(t.seconds) for t in parts)
            worst = sum(max(t.seconds) for t in parts)
            print(f"| {name}, data + files | {best:.2f} s | {worst:.2f} s | | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--teachers", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--school-teachers", type=int, default=2_000, help="the timed school")
    parser.add_argument("--pairs", type=int, default=50_000)
    parser.add_argument("--meetings", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", default="abcd", help="which of (a)-(d) to time")
    parser.add_argument("--reuse", action="store_true", help="time a database built before")
    parser.add_argument("--no-analyze", dest="analyze", action="store_false")
    parser.add_argument("--no-documents", dest="documents", action="store_false")
    parser.add_argument("--step", choices=("a", "b", "c", "d"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.step:
        asyncio.run(time_step(arguments, arguments.database_url))
        return
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        asyncio.run(build(arguments, url))
        print("timing, each step in a process of its own:", flush=True)
        found = _run_steps(arguments, url)
        _table(found, "SQLite" if url.startswith("sqlite") else "PostgreSQL")


if __name__ == "__main__":
    main()
