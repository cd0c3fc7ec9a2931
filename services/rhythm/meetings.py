"""The meeting log (журнал встреч): meetings recorded with /meeting, the entry a check-in
created ("Met"), corrections within a week, and a pair's log.

The answers arrive as the form runner collected them (question id -> JSON value) and are checked
again here against the fields below, the single source of every bound the forms show."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MeetingFormat, MeetingKind, MentoringPair, PairStatus
from models.meeting import Meeting
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import (
    DomainError,
    NotAllowed,
    RequestProblem,
    RequestUnavailable,
    StaleAction,
)
from services.core.identity import AccountKey
from services.core.lookups import timezone_of
from services.core.transactions import Transactions
from services.forms.definitions import Answer, FormSpec, check_answers
from services.organisations.timezones import local_date
from services.outbox import notify
from services.pairs.views import MyPair, my_pairs, names
from services.rhythm.meeting_fields import FEEDBACK_FIELDS, RECORD_FIELDS
from services.rhythm.meeting_stages import next_kind

EDIT_DAYS = 7
LOG_PAGE_SIZE = 5


class MeetingProblem(enum.StrEnum):
    EDIT_CLOSED = "edit_closed"  # recorded more than EDIT_DAYS ago
    NOT_STARTED = "not_started"  # the pair waits for the head's order


class MeetingUnavailable(DomainError):
    """The meeting (or the pair) can no longer be written to, for a reason worth saying."""

    def __init__(self, problem: MeetingProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class MeetingView:
    id: int
    pair_id: int
    kind: MeetingKind
    held_on: date
    meeting_format: MeetingFormat | None
    duration_minutes: int | None
    topic: str | None
    usefulness: int | None
    note: str | None
    next_step: str | None
    recorded_by_name: str
    recorded_by_me: bool
    # The other person of the pair, as the viewer sees it ("" for a curator).
    partner_name: str
    # The viewer recorded it less than EDIT_DAYS ago.
    editable: bool
    # "meeting_feedback" for a meeting of a check-in, else "meeting_record": the form to edit it.
    form: str
    created_at: datetime

    def answers(self) -> dict[str, Answer]:
        """The current values by question id, to pre-fill the form that corrects it."""
        values: dict[str, Any] = {
            "held_on": self.held_on.isoformat(),
            "kind": self.kind.value,
            "topic": self.topic,
            "meeting_format": self.meeting_format.value if self.meeting_format else None,
            "duration_minutes": self.duration_minutes,
            "usefulness": self.usefulness,
            "note": self.note,
            "next_step": self.next_step,
        }
        spec = FEEDBACK_FIELDS if self.form == FEEDBACK_FIELDS.id else RECORD_FIELDS
        return {question.id: values[question.id] for question in spec.questions}


@dataclass(frozen=True, slots=True)
class RecordStart:
    """What /meeting needs before its form: the pair, its zone, the stage that comes next."""

    pair_id: int
    timezone: str
    next_kind: MeetingKind
    partner_name: str


@dataclass(frozen=True, slots=True)
class EditStart:
    meeting: MeetingView
    timezone: str


@dataclass(frozen=True, slots=True)
class MeetingLog:
    """One page of a pair's log, newest first."""

    pair_id: int
    role: str  # the viewer's side: "mentor", "mentee" or "curator"
    mentor_name: str
    mentee_name: str
    live: bool
    timezone: str
    entries: list[MeetingView]
    total: int
    page: int
    pages: int


def _apply(meeting: Meeting, answers: dict[str, Answer]) -> None:
    for key, value in answers.items():
        if key == "held_on":
            meeting.held_on = date.fromisoformat(str(value))
        elif key == "kind":
            meeting.kind = MeetingKind(str(value))
        elif key == "meeting_format":
            meeting.meeting_format = MeetingFormat(str(value)) if value is not None else None
        else:
            setattr(meeting, key, value)
    meeting.answers = dict(answers)


def _form_of(meeting: Meeting) -> FormSpec:
    return FEEDBACK_FIELDS if meeting.cycle_id is not None else RECORD_FIELDS


def _view(
    meeting: Meeting,
    pair: MentoringPair,
    viewer_id: int,
    people: dict[int, str],
    now: datetime,
) -> MeetingView:
    mine = meeting.recorded_by_id is not None and meeting.recorded_by_id == viewer_id
    partner = {pair.mentor_id: pair.mentee_id, pair.mentee_id: pair.mentor_id}.get(viewer_id)
    return MeetingView(
        id=meeting.id,
        pair_id=meeting.pair_id,
        kind=meeting.kind,
        held_on=meeting.held_on,
        meeting_format=meeting.meeting_format,
        duration_minutes=meeting.duration_minutes,
        topic=meeting.topic,
        usefulness=meeting.usefulness,
        note=meeting.note,
        next_step=meeting.next_step,
        recorded_by_name=people.get(meeting.recorded_by_id or 0, ""),
        recorded_by_me=mine,
        partner_name=people.get(partner, "") if partner is not None else "",
        editable=mine and now <= meeting.created_at + timedelta(days=EDIT_DAYS),
        form=_form_of(meeting).id,
        created_at=meeting.created_at,
    )


class MeetingService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    # --- recording -------------------------------------------------------------------------

    async def loggable_pairs(self, actor_id: int) -> list[MyPair]:
        """The pairs the person may log a meeting for: theirs, active or paused."""
        async with self._transactions.read() as session:
            pairs = await my_pairs(session, actor_id)
        return [pair for pair in pairs if pair.status in (PairStatus.ACTIVE, PairStatus.PAUSED)]

    async def start_record(self, actor_id: int, pair_id: int) -> RecordStart:
        """Checks the person may log a meeting of this pair before the form is asked."""
        async with self._transactions.read() as session:
            pair = await self._member_pair(session, actor_id, pair_id, lock=False)
            partner = pair.mentee_id if actor_id == pair.mentor_id else pair.mentor_id
            return RecordStart(
                pair_id=pair.id,
                partner_name=(await names(session, {partner})).get(partner, ""),
                timezone=await timezone_of(session, pair.organisation_id),
                next_kind=await next_kind(session, pair.id),
            )

    async def record(self, actor_id: int, pair_id: int, answers: dict[str, Any]) -> MeetingView:
        """A meeting logged by one side of the pair; the other side is told."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            pair = await self._member_pair(session, actor_id, pair_id, lock=True)
            timezone = await timezone_of(session, pair.organisation_id)
            cleaned = check_answers(RECORD_FIELDS, answers, today=local_date(now, timezone))
            meeting = Meeting(pair_id=pair.id, recorded_by_id=actor_id, created_at=now)
            _apply(meeting, cleaned)
            meeting.updated_at = now
            session.add(meeting)
            await session.flush()
            audit.record(
                session,
                at=now,
                action="meeting.recorded",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                target_person_id=pair.mentee_id,
                pair_id=pair.id,
                meeting_id=meeting.id,
            )
            other_id = pair.mentee_id if actor_id == pair.mentor_id else pair.mentor_id
            people = await names(session, {pair.mentor_id, pair.mentee_id})
            await notify.person(
                session,
                other_id,
                "meeting_logged",
                str(meeting.id),
                now,
                about=actor_id,
                pair=pair.id,
                name=people.get(actor_id, ""),
                held_on=meeting.held_on.isoformat(),
                stage=meeting.kind.value,
            )
            return _view(meeting, pair, actor_id, people, now)

    # --- correcting ------------------------------------------------------------------------

    async def start_edit(self, actor_id: int, meeting_id: int) -> EditStart:
        """Checks the entry may still be corrected by this person before the form is asked."""
        now = self._clock.now()
        async with self._transactions.read() as session:
            meeting = await self._meeting(session, meeting_id)
            pair = await self._editable(session, actor_id, meeting, now)
            people = await names(session, {pair.mentor_id, pair.mentee_id})
            return EditStart(
                meeting=_view(meeting, pair, actor_id, people, now),
                timezone=await timezone_of(session, pair.organisation_id),
            )

    async def update(self, actor_id: int, meeting_id: int, answers: dict[str, Any]) -> MeetingView:
        """The person who recorded an entry corrects it, within EDIT_DAYS of recording."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            meeting = await self._meeting(session, meeting_id, lock=True)
            pair = await self._editable(session, actor_id, meeting, now)
            spec = _form_of(meeting)
            today = local_date(now, await timezone_of(session, pair.organisation_id))
            _apply(meeting, check_answers(spec, answers, today=today))
            meeting.updated_at = now
            audit.record(
                session,
                at=now,
                action="meeting.updated",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                target_person_id=pair.mentee_id,
                pair_id=pair.id,
                meeting_id=meeting.id,
            )
            people = await names(session, {pair.mentor_id, pair.mentee_id})
            return _view(meeting, pair, actor_id, people, now)

    # --- reading ---------------------------------------------------------------------------

    async def log(self, actor_id: int, pair_id: int) -> list[MeetingView]:
        """A pair's meetings, newest first: for its two people and its curators."""
        return (await self.journal(actor_id, pair_id, page=0, page_size=None)).entries

    async def journal(
        self, actor_id: int, pair_id: int, page: int = 0, *, page_size: int | None = LOG_PAGE_SIZE
    ) -> MeetingLog:
        """One page of the log with the pair's names, for /meetings."""
        now = self._clock.now()
        async with self._transactions.read() as session:
            pair, side = await self._viewable_pair(session, actor_id, pair_id)
            meetings = (
                await session.scalars(
                    select(Meeting)
                    .where(Meeting.pair_id == pair.id)
                    .order_by(Meeting.held_on.desc(), Meeting.id.desc())
                )
            ).all()
            people = await names(
                session,
                {pair.mentor_id, pair.mentee_id}
                | {meeting.recorded_by_id for meeting in meetings if meeting.recorded_by_id},
            )
            size = page_size or max(len(meetings), 1)
            pages = max(1, -(-len(meetings) // size))
            page = min(max(page, 0), pages - 1)
            return MeetingLog(
                pair_id=pair.id,
                role=side,
                mentor_name=people.get(pair.mentor_id, ""),
                mentee_name=people.get(pair.mentee_id, ""),
                live=pair.status in (PairStatus.ACTIVE, PairStatus.PAUSED) and side != "curator",
                timezone=await timezone_of(session, pair.organisation_id),
                entries=[
                    _view(meeting, pair, actor_id, people, now)
                    for meeting in meetings[page * size : (page + 1) * size]
                ],
                total=len(meetings),
                page=page,
                pages=pages,
            )

    # --- rules -----------------------------------------------------------------------------

    async def _member_pair(
        self, session: AsyncSession, actor_id: int, pair_id: int, *, lock: bool
    ) -> MentoringPair:
        """The pair, if the actor is its mentor or mentee and it is working (active or paused)."""
        pair = await session.get(MentoringPair, pair_id, with_for_update=lock)
        if pair is None:
            raise StaleAction
        if actor_id not in (pair.mentor_id, pair.mentee_id):
            raise NotAllowed
        if pair.status == PairStatus.PENDING_ORDER:
            raise MeetingUnavailable(MeetingProblem.NOT_STARTED)
        if not pair.status.is_live:
            raise RequestUnavailable(RequestProblem.PAIR_ENDED)
        return pair

    async def _viewable_pair(
        self, session: AsyncSession, actor_id: int, pair_id: int
    ) -> tuple[MentoringPair, str]:
        """The pair and who the actor is in it; outsiders other than its curators are refused."""
        pair = await session.get(MentoringPair, pair_id)
        if pair is None:
            raise StaleAction
        if actor_id == pair.mentor_id:
            return pair, "mentor"
        if actor_id == pair.mentee_id:
            return pair, "mentee"
        actor = await load_actor(session, actor_id, self._superadmins)
        actor.require_curator(pair.organisation_id)
        return pair, "curator"

    async def _meeting(
        self, session: AsyncSession, meeting_id: int, *, lock: bool = False
    ) -> Meeting:
        meeting = await session.get(Meeting, meeting_id, with_for_update=lock)
        if meeting is None:
            raise StaleAction
        return meeting

    async def _editable(
        self, session: AsyncSession, actor_id: int, meeting: Meeting, now: datetime
    ) -> MentoringPair:
        pair = await session.get(MentoringPair, meeting.pair_id)
        if pair is None:
            raise StaleAction
        if actor_id not in (pair.mentor_id, pair.mentee_id) or meeting.recorded_by_id != actor_id:
            raise NotAllowed
        if now > meeting.created_at + timedelta(days=EDIT_DAYS):
            raise MeetingUnavailable(MeetingProblem.EDIT_CLOSED)
        return pair
