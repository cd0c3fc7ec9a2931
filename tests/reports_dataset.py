"""A small school whose every number is known, for the tests of /stats and /report.

Programme year 2026/27 (the fake clock starts on 1 September 2026, Krasnoyarsk, UTC+7); the tests
look at it on 3 December 2026. What the numbers must be is written beside each row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import Application
from models import (
    ChangeReason,
    CycleStatus,
    MeetingFormat,
    MeetingKind,
    MenteeCategory,
    MentoringPair,
    MentoringRequest,
    MentoringType,
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
from models.meeting import Meeting

# When the tests look: 3 December 2026, 10:00 in Krasnoyarsk.
LOOK_AT = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)


def at(day: date, hour: int = 5) -> datetime:
    """A moment on `day` in the school's working hours (05:00 UTC is 12:00 in Krasnoyarsk)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class School:
    organisation_id: int
    mentors: dict[str, int]
    mentees: dict[str, int]
    pairs: dict[str, int]


class _Seeder:
    def __init__(self, db: AsyncSession, organisation_id: int) -> None:
        self.db = db
        self.organisation_id = organisation_id

    async def person(
        self,
        name: str | None,
        *,
        role: ProfileRole | None,
        experience: int = 10,
        category: MenteeCategory | None = None,
        status: PersonStatus = PersonStatus.ACTIVE,
        domains: list[str] | None = None,
    ) -> int:
        person = Person(
            full_name=name,
            locale="ru",
            status=status,
            created_at=at(date(2026, 9, 2)),
            last_seen_at=at(date(2026, 9, 2)),
            withdrawn_number=900 if status == PersonStatus.WITHDRAWN else None,
        )
        self.db.add(person)
        await self.db.flush()
        programme_role = {
            ProfileRole.MENTOR: ProgrammeRole.MENTOR,
            ProfileRole.BOTH: ProgrammeRole.EITHER,
        }.get(role or ProfileRole.MENTEE, ProgrammeRole.MENTEE)
        self.db.add(
            RoleAssignment(
                person_id=person.id,
                role=RoleKind.PARTICIPANT,
                organisation_id=self.organisation_id,
                programme_role=programme_role,
                granted_at=at(date(2026, 9, 2)),
            )
        )
        if role is not None:
            self.db.add(
                Profile(
                    person_id=person.id,
                    organisation_id=self.organisation_id,
                    position="учитель",
                    subjects=["Математика"],
                    experience_years=experience,
                    organisation_years=min(experience, 2),
                    role=role,
                    mentee_category=category,
                    offered_domains=domains or [],
                    needed_domains=[],
                    meeting_format=MeetingFormat.ANY,
                    completed_at=at(date(2026, 9, 2)),
                    updated_at=at(date(2026, 9, 2)),
                )
            )
        return person.id

    async def request(
        self, mentee_id: int, created: date, status: RequestStatus, difficulty: str
    ) -> int:
        row = MentoringRequest(
            organisation_id=self.organisation_id,
            mentee_id=mentee_id,
            topics=["teaching_methods"],
            difficulty=difficulty,
            meeting_format=MeetingFormat.ANY,
            mentoring_type=MentoringType.TRADITIONAL,
            urgency=Urgency.MONTH,
            status=status,
            created_at=at(created),
            updated_at=at(created),
        )
        self.db.add(row)
        await self.db.flush()
        return row.id

    async def pair(
        self,
        mentor_id: int,
        mentee_id: int,
        created: date,
        status: PairStatus,
        *,
        ended: date | None = None,
        order_id: int | None = None,
        request_id: int | None = None,
    ) -> int:
        row = MentoringPair(
            organisation_id=self.organisation_id,
            mentor_id=mentor_id,
            mentee_id=mentee_id,
            request_id=request_id,
            order_id=order_id,
            status=status,
            origin=PairOrigin.MENTOR_ACCEPTED,
            mentoring_type=MentoringType.TRADITIONAL,
            created_at=at(created),
            started_at=at(created) if status != PairStatus.PENDING_ORDER else None,
            ended_at=at(ended) if ended else None,
            end_reason=ChangeReason.NO_CONTACT if status == PairStatus.ENDED_EARLY else None,
        )
        self.db.add(row)
        await self.db.flush()
        return row.id

    def cycles(self, pair_id: int, outcomes: list[tuple[date, CycleStatus]]) -> None:
        for number, (ends, status) in enumerate(outcomes, start=1):
            self.db.add(
                PairCycle(
                    pair_id=pair_id,
                    number=number,
                    starts_at=at(ends - timedelta(days=14)),
                    ends_at=at(ends),
                    status=status,
                )
            )

    def meetings(self, pair_id: int, held: list[tuple[date, MeetingKind]]) -> None:
        for day, kind in held:
            self.db.add(
                Meeting(
                    pair_id=pair_id,
                    kind=kind,
                    held_on=day,
                    meeting_format=MeetingFormat.IN_PERSON,
                    duration_minutes=45,
                    topic="Урок <открытый> & разбор",
                    answers={},
                    created_at=at(day),
                    updated_at=at(day),
                )
            )

    async def answers(self, code: str, person_id: int, side: str, scores: dict[str, Any]) -> None:
        questionnaire_id = await self.db.scalar(
            select(Questionnaire.id).where(
                Questionnaire.code == code, Questionnaire.organisation_id.is_(None)
            )
        )
        assert questionnaire_id is not None
        self.db.add(
            QuestionnaireResponse(
                questionnaire_id=questionnaire_id,
                organisation_id=self.organisation_id,
                person_id=person_id,
                subject=f"test:{code}:{person_id}",
                respondent_role=side,
                answers=scores,
                created_at=at(date(2026, 11, 1)),
                updated_at=at(date(2026, 11, 2)),
                submitted_at=at(date(2026, 11, 2)) if scores else None,
            )
        )


async def seed_school(app: Application, organisation_id: int) -> School:
    """Participants: 3 mentors (one mentor-and-mentee), 6 mentees, 1 withdrawn, 1 without a
    profile, 1 who blocked the bot (among the mentees)."""
    async with app.database.write() as db:
        s = _Seeder(db, organisation_id)
        mentors = {
            "Орлова Мария Ивановна": await s.person(
                "Орлова Мария Ивановна", role=ProfileRole.MENTOR, experience=20, domains=["ict"]
            ),
            "Петров Олег Сергеевич": await s.person(
                "Петров Олег Сергеевич", role=ProfileRole.MENTOR, experience=15
            ),
            "Сидорова Нина Павловна": await s.person(
                "Сидорова Нина Павловна", role=ProfileRole.BOTH, experience=4
            ),
        }
        mentees = {
            # young: up to 3 years of experience (A, B, D) or the category (E)
            "Анина Анна Андреевна": await s.person(
                "Анина Анна Андреевна", role=ProfileRole.MENTEE, experience=1
            ),
            "Борисов Борис Борисович": await s.person(
                "Борисов Борис Борисович", role=ProfileRole.MENTEE, experience=2
            ),
            "Волкова Вера Викторовна": await s.person(
                "Волкова Вера Викторовна",
                role=ProfileRole.MENTEE,
                experience=8,
                category=MenteeCategory.NEW_TO_STAFF,
            ),
            "Дёмина Дарья Денисовна": await s.person(
                "Дёмина Дарья Денисовна", role=ProfileRole.MENTEE, experience=0
            ),
            "Егоров Егор Евгеньевич": await s.person(
                "Егоров Егор Евгеньевич",
                role=ProfileRole.MENTEE,
                experience=5,
                category=MenteeCategory.YOUNG_SPECIALIST,
                status=PersonStatus.UNREACHABLE,
            ),
            "withdrawn": await s.person(None, role=None, status=PersonStatus.WITHDRAWN),
            "no profile": await s.person("Жукова Жанна", role=None),
        }
        a, b, c, d, e = (mentees[name] for name in list(mentees)[:5])
        m1, m2, m3 = mentors.values()
        order = PairOrder(
            organisation_id=organisation_id,
            number="12-од",
            order_date=date(2026, 9, 10),
            recorded_at=at(date(2026, 9, 10)),
        )
        db.add(order)
        await db.flush()
        request_a = await s.request(a, date(2026, 9, 3), RequestStatus.MATCHED, "Дисциплина")
        await s.request(b, date(2026, 9, 3), RequestStatus.MATCHED, "Родители")
        # live: 32 and 8 days old on 3 December
        await s.request(d, date(2026, 11, 1), RequestStatus.OPEN, "Всё <сразу> & вдруг")
        await s.request(e, date(2026, 11, 25), RequestStatus.OPEN, "Журнал")
        pairs = {
            "P1": await s.pair(
                m1, a, date(2026, 9, 5), PairStatus.ACTIVE, order_id=order.id, request_id=request_a
            ),
            "P2": await s.pair(
                m2, b, date(2026, 9, 5), PairStatus.COMPLETED, ended=date(2026, 11, 20)
            ),
            "P3": await s.pair(m1, c, date(2026, 11, 1), PairStatus.PENDING_ORDER),
            # last programme year: outside every 2026/27 number
            "P4": await s.pair(
                m3, c, date(2025, 10, 1), PairStatus.ENDED_EARLY, ended=date(2026, 3, 1)
            ),
        }
        s.cycles(
            pairs["P1"],
            [
                (date(2026, 9, 19), CycleStatus.MET),
                (date(2026, 10, 3), CycleStatus.MET),
                (date(2026, 10, 17), CycleStatus.MISSED),
                (date(2026, 10, 31), CycleStatus.MET),
            ],
        )
        s.cycles(
            pairs["P2"],
            [(date(2026, 9, 19), CycleStatus.MET), (date(2026, 10, 3), CycleStatus.MISSED)],
        )
        s.cycles(pairs["P4"], [(date(2026, 2, 1), CycleStatus.MET)])
        s.meetings(
            pairs["P1"],
            [
                (date(2026, 9, 10), MeetingKind.INTRODUCTION),
                (date(2026, 9, 18), MeetingKind.PLANNING),
                (date(2026, 10, 2), MeetingKind.REGULAR),
                (date(2026, 10, 30), MeetingKind.REGULAR),
            ],
        )
        s.meetings(
            pairs["P2"],
            [
                (date(2026, 9, 15), MeetingKind.INTRODUCTION),
                (date(2026, 11, 19), MeetingKind.FINAL),
            ],
        )
        s.meetings(pairs["P4"], [(date(2026, 2, 1), MeetingKind.REGULAR)])
        # satisfaction (threshold 7): mentees 9, 6, 8 -> 2 of 3; the mentor 10 -> 1 of 1
        await s.answers("satisfaction_mentee", a, "mentee", {"overall": 9})
        await s.answers("satisfaction_mentee", b, "mentee", {"overall": 6})
        await s.answers("satisfaction_mentee", c, "mentee", {"overall": 8})
        await s.answers("satisfaction_mentor", m2, "mentor", {"overall": 10})
        await s.answers("satisfaction_mentor", m1, "mentor", {})  # opened, not finished
    return School(organisation_id, mentors, mentees, pairs)
