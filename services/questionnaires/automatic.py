"""Questionnaires the bot sends by itself at a pair's moments, each switchable in /programme:

- the entry diagnosis to the mentee when the pair starts;
- the fit check to both after their first meeting ("not a good fit" offers the way to another
  mentor);
- the relationship pulse to both on day 30 of the pair and every 60 days after;
- the exit diagnosis to the mentee and the satisfaction questionnaires to both when it completes.

A periodic job finds the moments; each invitation is a response row whose subject names the
moment ("fit:12"), unique per person, so a moment is asked once whatever happens — a restart, the
job running twice. A moment more than CATCH_UP_DAYS old is not chased: switching the feature on
(or upgrading the bot) does not flood the pairs of past years."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Meeting,
    MentoringPair,
    Notification,
    Organisation,
    PairStatus,
    Person,
    PersonStatus,
    Questionnaire,
    QuestionnaireResponse,
)
from services.core.clock import Clock
from services.core.errors import QuestionnaireUnavailable
from services.core.transactions import Transactions
from services.organisations.programme import ProgrammeSettings
from services.organisations.windows import window_of
from services.outbox import notify
from services.questionnaires import meeting_feedback
from services.questionnaires.library import (
    StoredDefinition,
    current_definition,
    stored_definition,
)
from services.questionnaires.schema import LANGUAGES

INVITE_KIND = "questionnaire_invite"
REMINDER_KIND = "questionnaire_reminder"
CATCH_UP_DAYS = 7
ANSWER_DAYS = 14
PULSE_FIRST_DAY = 30
PULSE_EVERY_DAYS = 60
# The job looks at most this often: the moments are days apart.
LOOK_EVERY = timedelta(minutes=30)
MENTEE, MENTOR = "mentee", "mentor"


@dataclass(frozen=True, slots=True)
class Moment:
    pair: MentoringPair
    code: str  # the questionnaire
    subject: str
    sides: tuple[str, ...]


class AutomaticSurveys:
    def __init__(self, transactions: Transactions, clock: Clock) -> None:
        self._transactions = transactions
        self._clock = clock
        self._last_look: datetime | None = None

    async def process_due(self, *, force: bool = False) -> int:
        """Invite everyone whose moment came; returns how many were invited."""
        now = self._clock.now()
        if not force and self._last_look is not None and now - self._last_look < LOOK_EVERY:
            return 0
        self._last_look = now
        invited = 0
        async with self._transactions.write() as session:
            organisations = {
                organisation.id: organisation
                for organisation in await session.scalars(select(Organisation))
            }
            moments = [
                *await _starts(session, now),
                *await _first_meetings(session, now),
                *await _pulses(session, now),
                *await _completions(session, now),
            ]
            asked = await _asked(session, moments)
            definitions: dict[tuple[int, str], StoredDefinition | None] = {}
            for moment in moments:
                organisation = organisations.get(moment.pair.organisation_id)
                if organisation is None or not _switched_on(organisation, moment.code):
                    continue
                people = _people(moment)
                if all((people[side], moment.subject) in asked for side in moment.sides):
                    continue  # asked on an earlier look: most moments, on most looks
                key = (organisation.id, moment.code)
                if key not in definitions:
                    definitions[key] = await _definition(session, organisation.id, moment.code)
                stored = definitions[key]
                if stored is not None:
                    invited += await self._invite(session, organisation, moment, stored, asked, now)
            invited += await _remind_meeting_feedback(session, organisations, now)
        return invited

    async def _invite(
        self,
        session: AsyncSession,
        organisation: Organisation,
        moment: Moment,
        stored: StoredDefinition,
        asked: set[tuple[int, str]],
        now: datetime,
    ) -> int:
        window = window_of(organisation)
        deadline = now + timedelta(days=ANSWER_DAYS)
        people = _people(moment)
        invited = 0
        for side in moment.sides:
            person_id = people[side]
            if (person_id, moment.subject) in asked:
                continue
            person = await session.get(Person, person_id)
            if person is None or person.status == PersonStatus.WITHDRAWN:
                continue
            response = QuestionnaireResponse(
                questionnaire_id=stored.row_id,
                organisation_id=organisation.id,
                person_id=person_id,
                pair_id=moment.pair.id,
                subject=moment.subject,
                respondent_role=side,
                answers={},
                deadline=deadline,
                created_at=now,
                updated_at=now,
            )
            session.add(response)
            await session.flush()
            asked.add((person_id, moment.subject))
            await notify.person(
                session,
                person_id,
                INVITE_KIND,
                moment.subject,
                now,
                pair=moment.pair.id,
                due_at=window.spread(now, person_id),
                expires_at=deadline,
                response_id=response.id,
                titles={language: stored.definition.title[language] for language in LANGUAGES},
                day=window.local_date(deadline - timedelta(seconds=1)).isoformat(),
            )
            invited += 1
        return invited


def _people(moment: Moment) -> dict[str, int]:
    return {MENTEE: moment.pair.mentee_id, MENTOR: moment.pair.mentor_id}


async def _definition(
    session: AsyncSession, organisation_id: int, code: str
) -> StoredDefinition | None:
    try:
        return await current_definition(session, organisation_id, code)
    except QuestionnaireUnavailable:
        return None


_SWITCHES = {
    "entry_diagnosis": "auto_entry",
    "fit_check": "auto_fit",
    "pulse": "auto_pulse",
    "exit_diagnosis": "auto_exit",
    "satisfaction_mentee": "auto_exit",
    "satisfaction_mentor": "auto_exit",
}


def _switched_on(organisation: Organisation, code: str) -> bool:
    return bool(getattr(ProgrammeSettings.of(organisation), _SWITCHES[code]))


def _working(pairs: Iterable[MentoringPair]) -> list[MentoringPair]:
    return [pair for pair in pairs if pair.status in (PairStatus.ACTIVE, PairStatus.PAUSED)]


async def _starts(session: AsyncSession, now: datetime) -> list[Moment]:
    pairs = await session.scalars(
        select(MentoringPair).where(MentoringPair.started_at >= now - timedelta(days=CATCH_UP_DAYS))
    )
    return [
        Moment(pair, "entry_diagnosis", f"entry:{pair.id}", (MENTEE,)) for pair in _working(pairs)
    ]


async def _first_meetings(session: AsyncSession, now: datetime) -> list[Moment]:
    first = (
        select(Meeting.pair_id)
        .group_by(Meeting.pair_id)
        .having(func.min(Meeting.created_at) >= now - timedelta(days=CATCH_UP_DAYS))
    )
    pairs = await session.scalars(select(MentoringPair).where(MentoringPair.id.in_(first)))
    return [
        Moment(pair, "fit_check", f"fit:{pair.id}", (MENTEE, MENTOR)) for pair in _working(pairs)
    ]


async def _pulses(session: AsyncSession, now: datetime) -> list[Moment]:
    pairs = await session.scalars(
        select(MentoringPair).where(
            MentoringPair.status == PairStatus.ACTIVE,
            MentoringPair.started_at <= now - timedelta(days=PULSE_FIRST_DAY),
        )
    )
    moments = []
    for pair in pairs:
        assert pair.started_at is not None  # the query
        day = (now - pair.started_at).days - PULSE_FIRST_DAY
        if day % PULSE_EVERY_DAYS < CATCH_UP_DAYS:
            number = day // PULSE_EVERY_DAYS + 1
            moments.append(Moment(pair, "pulse", f"pulse:{pair.id}:{number}", (MENTEE, MENTOR)))
    return moments


async def _completions(session: AsyncSession, now: datetime) -> list[Moment]:
    pairs = await session.scalars(
        select(MentoringPair).where(
            MentoringPair.status == PairStatus.COMPLETED,
            MentoringPair.ended_at >= now - timedelta(days=CATCH_UP_DAYS),
        )
    )
    moments = []
    for pair in pairs:
        moments.append(Moment(pair, "exit_diagnosis", f"exit:{pair.id}", (MENTEE,)))
        moments.append(Moment(pair, "satisfaction_mentee", f"satisfaction:{pair.id}", (MENTEE,)))
        moments.append(Moment(pair, "satisfaction_mentor", f"satisfaction:{pair.id}", (MENTOR,)))
    return moments


async def _asked(session: AsyncSession, moments: list[Moment]) -> set[tuple[int, str]]:
    """(person, subject) already asked, among the moments found."""
    subjects = sorted({moment.subject for moment in moments})
    asked: set[tuple[int, str]] = set()
    for start in range(0, len(subjects), 500):
        rows = await session.execute(
            select(QuestionnaireResponse.person_id, QuestionnaireResponse.subject).where(
                QuestionnaireResponse.subject.in_(subjects[start : start + 500])
            )
        )
        asked.update((person_id, subject) for person_id, subject in rows)
    return asked


async def _remind_meeting_feedback(
    session: AsyncSession, organisations: dict[int, Organisation], now: datetime
) -> int:
    """One reminder, on the next working day, to whoever has not answered about a meeting."""
    rows = await session.scalars(
        select(QuestionnaireResponse).where(
            QuestionnaireResponse.subject.startswith(meeting_feedback.SUBJECT_PREFIX),
            QuestionnaireResponse.submitted_at.is_(None),
            QuestionnaireResponse.created_at >= now - timedelta(days=CATCH_UP_DAYS),
        )
    )
    candidates = list(rows)
    reminded = await _reminded(session, candidates)
    queued = 0
    for response in candidates:
        if response.id in reminded:
            continue
        organisation = organisations.get(response.organisation_id)
        if organisation is None or response.deadline is None or response.deadline <= now:
            continue
        window = window_of(organisation)
        if window.local_date(response.created_at) >= window.local_date(now):
            continue  # the day of the meeting's check-in: tomorrow at the earliest
        stored = await session.get(Questionnaire, response.questionnaire_id)
        if stored is None:
            continue
        title = stored_definition(stored).definition.title
        queued += await notify.person(
            session,
            response.person_id,
            REMINDER_KIND,
            str(response.id),
            now,
            pair=response.pair_id,
            due_at=window.next_opening(now),
            expires_at=response.deadline,
            response_id=response.id,
            titles={language: title[language] for language in LANGUAGES},
            day=window.local_date(response.deadline - timedelta(seconds=1)).isoformat(),
        )
    return queued


async def _reminded(session: AsyncSession, responses: list[QuestionnaireResponse]) -> set[int]:
    """The responses whose one reminder is already queued (or sent)."""
    keys = {
        f"{REMINDER_KIND}:{response.id}:{response.person_id}": response.id for response in responses
    }
    found: set[int] = set()
    names = sorted(keys)
    for start in range(0, len(names), 500):
        rows = await session.scalars(
            select(Notification.dedupe_key).where(
                Notification.dedupe_key.in_(names[start : start + 500])
            )
        )
        found.update(keys[key] for key in rows)
    return found
