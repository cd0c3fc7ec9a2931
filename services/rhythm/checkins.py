"""Answers to "did you meet?" (the first one settles the cycle for both) and to the nudge a
quiet pair gets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AgreedMeeting,
    CycleStatus,
    MentoringPair,
    PairCycle,
    PairStatus,
)
from services.core import audit
from services.core.clock import Clock
from services.core.errors import (
    NotAllowed,
    RequestProblem,
    RequestUnavailable,
    StaleAction,
    ValidationFailed,
)
from services.core.lookups import organisation_of
from services.core.transactions import Transactions
from services.organisations.windows import window_of
from services.outbox import notify
from services.questionnaires import meeting_feedback
from services.rhythm.cycles import checkin, checkin_time, close_cycle
from services.rhythm.meeting_stages import create_met_meeting
from services.rhythm.quiet import alert_curators_about_pair, people_of, sides


@dataclass(frozen=True, slots=True)
class CheckinResult:
    pair_id: int
    status: CycleStatus
    # Someone had already answered this cycle: nothing changed (they are named).
    already_answered_by: str | None = None
    meeting_id: int | None = None
    # The kind of the meeting just recorded (the next in the sequence), offered first.
    meeting_kind: str | None = None
    postponed_to: date | None = None
    # The answerer's own questionnaire about the meeting (services/questionnaires).
    feedback_id: int | None = None


POSTPONE_MAX_DAYS = 31


class CheckinService:
    """The answers to "did you meet?" and to the quiet-pair nudge."""

    def __init__(self, transactions: Transactions, clock: Clock) -> None:
        self._transactions = transactions
        self._clock = clock

    async def answer(
        self,
        actor_id: int,
        cycle_id: int,
        answer: CycleStatus,
        postponed_to: date | None = None,
    ) -> CheckinResult:
        """Met / postponed (with a new date) / didn't meet. The first answer settles the cycle for
        both sides; the other's unsent question is cancelled."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            cycle = await session.get(PairCycle, cycle_id, with_for_update=True)
            if cycle is None:
                raise StaleAction
            pair = await session.get(MentoringPair, cycle.pair_id, with_for_update=True)
            if pair is None:
                raise StaleAction
            if actor_id not in (pair.mentor_id, pair.mentee_id):
                raise NotAllowed
            if cycle.status in (CycleStatus.MET, CycleStatus.MISSED) or (
                cycle.answered_at is not None and answer == CycleStatus.POSTPONED
            ):
                people = await people_of(session, pair)
                by = people.get(cycle.answered_by_id or 0)
                return CheckinResult(
                    pair.id,
                    cycle.status,
                    already_answered_by=(by.full_name or "") if by else "",
                )
            if pair.status != PairStatus.ACTIVE:
                raise RequestUnavailable(RequestProblem.PAIR_ENDED)
            organisation = await organisation_of(session, pair.organisation_id)
            window = window_of(organisation)
            today = window.local_date(now)
            other_id = pair.mentee_id if actor_id == pair.mentor_id else pair.mentor_id
            people = await people_of(session, pair)
            actor_name = people[actor_id].full_name or "" if actor_id in people else ""
            audit.record(
                session,
                at=now,
                action="pair.checkin_answered",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                pair_id=pair.id,
                cycle=cycle.number,
                answer=answer.value,
            )
            if answer == CycleStatus.POSTPONED:
                if postponed_to is None:
                    raise ValidationFailed("postponed_to", "missing")
                if postponed_to <= today:
                    raise ValidationFailed("postponed_to", "past")
                if (postponed_to - today).days > POSTPONE_MAX_DAYS:
                    raise ValidationFailed("postponed_to", "too_far")
                cycle.status = CycleStatus.POSTPONED
                cycle.postponed_to = postponed_to
                cycle.ends_at = checkin_time(window, pair.id, postponed_to)
                await notify.cancel_for_pair(session, pair.id, ("checkin",))
                suffix = f":p{postponed_to.isoformat()}"
                await notify.many(
                    session,
                    [checkin(pair, cycle, *side, people, now, suffix) for side in sides(pair)],
                    now,
                )
                await notify.person(
                    session,
                    other_id,
                    "checkin_answered",
                    f"{cycle.id}:p{postponed_to}",
                    now,
                    pair=pair.id,
                    about=actor_id,
                    answer="postponed",
                    name=actor_name,
                    postponed_to=postponed_to.isoformat(),
                )
                return CheckinResult(pair.id, cycle.status, postponed_to=postponed_to)
            cycle.status = answer
            cycle.answered_by_id = actor_id
            cycle.answered_at = now
            meeting_id = meeting_kind = None
            feedback: dict[int, int] = {}
            if answer == CycleStatus.MET:
                meeting = await create_met_meeting(session, pair.id, cycle.id, actor_id, today, now)
                meeting_id = meeting.id
                meeting_kind = meeting.kind.value
                # Each side's own questionnaire about the meeting; the other is invited below.
                feedback = await meeting_feedback.open_for_both(session, pair, meeting.id, now)
            await notify.person(
                session,
                other_id,
                "checkin_answered",
                f"{cycle.id}",
                now,
                pair=pair.id,
                about=actor_id,
                answer=answer.value,
                name=actor_name,
                response_id=feedback.get(other_id),
            )
            await close_cycle(session, pair, organisation, met=answer == CycleStatus.MET, now=now)
            return CheckinResult(
                pair.id,
                cycle.status,
                meeting_id=meeting_id,
                meeting_kind=meeting_kind,
                feedback_id=feedback.get(actor_id),
            )

    async def quiet_answer(self, actor_id: int, pair_id: int, answer: str) -> None:
        """The quiet-pair nudge: "we're fine" is noted; "we need help" brings the curator in."""
        if answer not in ("fine", "help"):
            raise StaleAction
        now = self._clock.now()
        async with self._transactions.write() as session:
            pair = await session.get(MentoringPair, pair_id, with_for_update=True)
            if pair is None:
                raise StaleAction
            if actor_id not in (pair.mentor_id, pair.mentee_id):
                raise NotAllowed
            if not pair.status.is_live:
                raise RequestUnavailable(RequestProblem.PAIR_ENDED)
            audit.record(
                session,
                at=now,
                action="pair.quiet_answered",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                pair_id=pair.id,
                answer=answer,
            )
            if answer == "help":
                await alert_curators_about_pair(session, pair, "help", now)


AGREED_MAX_DAYS = 60
_AGREED = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2})[:.](\d{2})\s*")


def parse_agreed_time(text: str, timezone: str) -> datetime:
    """ "DD.MM.YYYY HH:MM" in the organisation's zone, as an aware moment."""
    match = _AGREED.fullmatch(text)
    if not match:
        raise ValidationFailed("agreed_at", "format")
    day, month, year, hour, minute = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(timezone))
    except ValueError:
        raise ValidationFailed("agreed_at", "format") from None


class AgreedMeetingService:
    """The day and time a pair agreed on, with reminders a day and an hour before."""

    def __init__(self, transactions: Transactions, clock: Clock) -> None:
        self._transactions = transactions
        self._clock = clock

    async def timezone_for(self, actor_id: int, pair_id: int) -> str:
        async with self._transactions.read() as session:
            pair = await _member_pair(session, actor_id, pair_id)
            organisation = await organisation_of(session, pair.organisation_id)
            return organisation.timezone

    async def agree(self, actor_id: int, pair_id: int, text: str) -> datetime:
        """Record "we'll meet at …" (replacing an earlier date) and queue both reminders."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            pair = await _member_pair(session, actor_id, pair_id)
            if pair.status != PairStatus.ACTIVE:
                raise RequestUnavailable(RequestProblem.PAIR_ENDED)
            organisation = await organisation_of(session, pair.organisation_id)
            at = parse_agreed_time(text, organisation.timezone)
            if at <= now:
                raise ValidationFailed("agreed_at", "past")
            if at - now > timedelta(days=AGREED_MAX_DAYS):
                raise ValidationFailed("agreed_at", "too_far")
            await session.execute(
                update(AgreedMeeting)
                .where(AgreedMeeting.pair_id == pair.id, AgreedMeeting.cancelled.is_(False))
                .values(cancelled=True)
            )
            await notify.cancel_for_pair(session, pair.id, ("agreed_meeting_reminder",))
            agreed = AgreedMeeting(pair_id=pair.id, at=at, set_by_id=actor_id, created_at=now)
            session.add(agreed)
            await session.flush()
            people = await people_of(session, pair)
            for person_id, other_id in sides(pair):
                other = people.get(other_id)
                for before, label in ((timedelta(days=1), "day"), (timedelta(hours=1), "hour")):
                    due = at - before
                    if due <= now:
                        continue
                    await notify.person(
                        session,
                        person_id,
                        "agreed_meeting_reminder",
                        f"{agreed.id}:{label}",
                        now,
                        pair=pair.id,
                        about=other_id,
                        due_at=due,
                        expires_at=at,
                        at=at.isoformat(),
                        timezone=organisation.timezone,
                        before=label,
                        other_name=other.full_name if other and other.full_name else "",
                    )
            audit.record(
                session,
                at=now,
                action="pair.meeting_agreed",
                actor_id=actor_id,
                organisation_id=pair.organisation_id,
                pair_id=pair.id,
            )
            return at


async def _member_pair(session: AsyncSession, actor_id: int, pair_id: int) -> MentoringPair:
    pair = await session.get(MentoringPair, pair_id)
    if pair is None:
        raise StaleAction
    if actor_id not in (pair.mentor_id, pair.mentee_id):
        raise NotAllowed
    return pair
