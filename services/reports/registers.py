"""The registers of one organisation a curator files (DOMAIN §7): the mentor registry (реестр
наставников), the mentee base with requests (база наставляемых), the pairs with their orders,
the meeting log. Personal data: only for the organisation's curator, never in a roll-up.

Values stay typed (dates, numbers, codes); the documents put them into words."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import (
    Meeting,
    MentoringPair,
    MentoringRequest,
    PairOrder,
    PairStatus,
    Person,
    PersonStatus,
    Profile,
    ProfileRole,
    RoleAssignment,
    RoleKind,
)
from services.reports.periods import Period


@dataclass(frozen=True, slots=True)
class Named:
    """How a person appears in a register: the ФИО, or "participant № N" after withdrawal."""

    full_name: str | None
    withdrawn_number: int | None = None


@dataclass(frozen=True, slots=True)
class MentorRow:
    person: Named
    position: str
    subjects: tuple[str, ...]
    experience_years: int
    organisation_years: int
    domains: tuple[str, ...]  # CompetenceDomain values
    capacity: int  # the mentor's own, else the organisation's default
    mentees_now: int  # live pairs
    pairs_in_period: int
    unreachable: bool


@dataclass(frozen=True, slots=True)
class MenteeRow:
    person: Named
    position: str
    category: str | None  # MenteeCategory value
    experience_years: int
    request_filed: date | None
    topics: tuple[str, ...]  # RequestTopic values
    difficulty: str
    mentoring_type: str | None
    urgency: str | None
    request_status: str | None
    mentor: Named | None  # the mentor of the latest pair in the period


@dataclass(frozen=True, slots=True)
class PairRow:
    pair_id: int
    mentor: Named
    mentee: Named
    mentoring_type: str
    status: str
    created: date
    started: date | None
    order_number: str | None
    order_date: date | None
    ended: date | None
    end_reason: str | None
    meetings_in_period: int
    last_meeting: date | None


@dataclass(frozen=True, slots=True)
class MeetingRow:
    held_on: date
    pair_id: int
    mentor: Named
    mentee: Named
    kind: str
    meeting_format: str | None
    duration_minutes: int | None
    topic: str
    usefulness: int | None
    next_step: str


@dataclass(frozen=True, slots=True)
class Registers:
    mentors: tuple[MentorRow, ...]
    mentees: tuple[MenteeRow, ...]
    pairs: tuple[PairRow, ...]
    meetings: tuple[MeetingRow, ...]


def _local(moment: datetime | None, timezone: str) -> date | None:
    return moment.astimezone(ZoneInfo(timezone)).date() if moment else None


class RegisterReader:
    """Reads one organisation's registers for a period in a handful of statements."""

    def __init__(
        self,
        session: AsyncSession,
        organisation_id: int,
        timezone: str,
        period: Period,
        default_capacity: int,
    ) -> None:
        self._session = session
        self._organisation_id = organisation_id
        self._timezone = timezone
        self._period = period
        self._start, self._end = period.bounds(timezone)
        self._default_capacity = default_capacity
        self._names: dict[int, Named] = {}
        # pair id -> (mentor, mentee), in creation order, of the pairs that worked in the period
        self._pair_people: dict[int, tuple[int, int]] = {}

    async def read(self) -> Registers:
        await self._load_names()
        pairs = await self._pairs()
        return Registers(
            await self._mentors(),
            await self._mentees(),
            pairs,
            await self._meetings(),
        )

    def _name(self, person_id: int) -> Named:
        return self._names.get(person_id, Named(None))

    async def _load_names(self) -> None:
        """Everyone who ever took part here (a pair of last year may name a withdrawn person)."""
        rows = await self._session.execute(
            select(Person.id, Person.full_name, Person.withdrawn_number)
            .join(RoleAssignment, RoleAssignment.person_id == Person.id)
            .where(
                RoleAssignment.organisation_id == self._organisation_id,
                RoleAssignment.role == RoleKind.PARTICIPANT,
            )
        )
        self._names = {person_id: Named(name, number) for person_id, name, number in rows}

    def _overlapping(self) -> ColumnElement[bool]:
        return and_(
            MentoringPair.organisation_id == self._organisation_id,
            MentoringPair.created_at < self._end,
            or_(MentoringPair.ended_at.is_(None), MentoringPair.ended_at >= self._start),
        )

    async def _pairs(self) -> tuple[PairRow, ...]:
        in_period = and_(
            Meeting.held_on >= self._period.first, Meeting.held_on <= self._period.last
        )
        # The meetings of this organisation's pairs only: without the condition the database
        # groups every meeting of every organisation (a municipality has a million).
        own_pairs = select(MentoringPair.id).where(self._overlapping()).correlate(None)
        meetings = (
            select(
                Meeting.pair_id,
                func.count().filter(in_period).label("in_period"),
                func.max(Meeting.held_on)
                .filter(Meeting.held_on <= self._period.last)
                .label("last"),
            )
            .where(Meeting.pair_id.in_(own_pairs))
            .group_by(Meeting.pair_id)
            .subquery()
        )
        rows = await self._session.execute(
            select(
                MentoringPair,
                PairOrder.number,
                PairOrder.order_date,
                meetings.c.in_period,
                meetings.c.last,
            )
            .outerjoin(PairOrder, PairOrder.id == MentoringPair.order_id)
            .outerjoin(meetings, meetings.c.pair_id == MentoringPair.id)
            .where(self._overlapping())
            .order_by(MentoringPair.created_at, MentoringPair.id)
        )
        found = []
        for pair, number, order_date, in_period_count, last in rows:
            self._pair_people[pair.id] = (pair.mentor_id, pair.mentee_id)
            found.append(
                PairRow(
                    pair.id,
                    self._name(pair.mentor_id),
                    self._name(pair.mentee_id),
                    pair.mentoring_type.value,
                    pair.status.value,
                    _local(pair.created_at, self._timezone) or self._period.first,
                    _local(pair.started_at, self._timezone),
                    number,
                    order_date,
                    _local(pair.ended_at, self._timezone),
                    pair.end_reason.value if pair.end_reason else None,
                    int(in_period_count or 0),
                    _as_date(last),
                )
            )
        return tuple(found)

    async def _mentors(self) -> tuple[MentorRow, ...]:
        in_period: dict[int, int] = defaultdict(int)
        for mentor_id, _mentee_id in self._pair_people.values():
            in_period[mentor_id] += 1
        live = dict(
            (
                await self._session.execute(
                    select(MentoringPair.mentor_id, func.count())
                    .where(
                        MentoringPair.organisation_id == self._organisation_id,
                        MentoringPair.status.in_(
                            (PairStatus.PENDING_ORDER, PairStatus.ACTIVE, PairStatus.PAUSED)
                        ),
                    )
                    .group_by(MentoringPair.mentor_id)
                )
            ).all()
        )
        rows = await self._session.execute(
            select(Profile, Person.status)
            .join(Person, Person.id == Profile.person_id)
            .where(
                Profile.organisation_id == self._organisation_id,
                Profile.role.in_((ProfileRole.MENTOR, ProfileRole.BOTH)),
            )
            .order_by(Person.full_name, Person.id)
        )
        return tuple(
            MentorRow(
                self._name(profile.person_id),
                profile.position,
                tuple(profile.subjects or ()),
                profile.experience_years,
                profile.organisation_years,
                tuple(profile.offered_domains or ()),
                profile.capacity if profile.capacity is not None else self._default_capacity,
                int(live.get(profile.person_id, 0)),
                in_period.get(profile.person_id, 0),
                status == PersonStatus.UNREACHABLE,
            )
            for profile, status in rows
        )

    async def _mentees(self) -> tuple[MenteeRow, ...]:
        # The latest request of each mentee (the one the base shows).
        latest = (
            select(MentoringRequest.mentee_id, func.max(MentoringRequest.id).label("id"))
            .where(
                MentoringRequest.organisation_id == self._organisation_id,
                MentoringRequest.created_at < self._end,
            )
            .group_by(MentoringRequest.mentee_id)
            .subquery()
        )
        request = aliased(MentoringRequest)
        rows = await self._session.execute(
            select(Profile, request)
            .join(Person, Person.id == Profile.person_id)
            .outerjoin(latest, latest.c.mentee_id == Profile.person_id)
            .outerjoin(request, request.id == latest.c.id)
            .where(
                Profile.organisation_id == self._organisation_id,
                Profile.role.in_((ProfileRole.MENTEE, ProfileRole.BOTH)),
            )
            .order_by(Person.full_name, Person.id)
        )
        mentor_of: dict[int, int] = {}
        for mentor_id, mentee_id in self._pair_people.values():
            mentor_of[mentee_id] = mentor_id  # pairs are in creation order: the latest wins
        return tuple(
            MenteeRow(
                self._name(profile.person_id),
                profile.position,
                profile.mentee_category.value if profile.mentee_category else None,
                profile.experience_years,
                _local(found.created_at, self._timezone) if found else None,
                tuple(found.topics or ()) if found else (),
                (found.difficulty or "") if found else "",
                found.mentoring_type.value if found else None,
                found.urgency.value if found else None,
                found.status.value if found else None,
                self._name(mentor_of[profile.person_id])
                if profile.person_id in mentor_of
                else None,
            )
            for profile, found in rows
        )

    async def _meetings(self) -> tuple[MeetingRow, ...]:
        # Columns rather than Meeting objects: a school's year is tens of thousands of meetings,
        # and the objects (with their answers) cost ten times the reading.
        rows = await self._session.execute(
            select(
                Meeting.held_on,
                Meeting.pair_id,
                MentoringPair.mentor_id,
                MentoringPair.mentee_id,
                Meeting.kind,
                Meeting.meeting_format,
                Meeting.duration_minutes,
                Meeting.topic,
                Meeting.usefulness,
                Meeting.next_step,
            )
            .join(MentoringPair, MentoringPair.id == Meeting.pair_id)
            .where(
                MentoringPair.organisation_id == self._organisation_id,
                Meeting.held_on >= self._period.first,
                Meeting.held_on <= self._period.last,
            )
            .order_by(Meeting.held_on, Meeting.id)
        )
        return tuple(
            MeetingRow(
                held_on,
                pair_id,
                self._name(mentor_id),
                self._name(mentee_id),
                kind.value,
                meeting_format.value if meeting_format else None,
                duration_minutes,
                topic or "",
                usefulness,
                next_step or "",
            )
            for (
                held_on,
                pair_id,
                mentor_id,
                mentee_id,
                kind,
                meeting_format,
                duration_minutes,
                topic,
                usefulness,
                next_step,
            ) in rows
        )


def _as_date(value: object) -> date | None:
    """MAX over a date comes back as text on SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
