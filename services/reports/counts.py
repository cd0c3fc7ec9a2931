"""The numbers of one or many organisations over a period, counted in the database: a few
grouped statements for all the organisations at once, never a row per person or meeting in
Python (a municipality has a million meetings). No personal data leave this module."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Executable,
    String,
    and_,
    case,
    distinct,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CycleStatus,
    Meeting,
    MenteeCategory,
    MentoringPair,
    MentoringRequest,
    Organisation,
    PairCycle,
    PairStatus,
    Person,
    PersonStatus,
    Profile,
    ProfileRole,
    Questionnaire,
    QuestionnaireResponse,
    RoleAssignment,
    RoleKind,
)
from services.organisations.programme import ProgrammeSettings
from services.questionnaires.schema import Measure, QuestionnaireDefinition
from services.reports.periods import Period
from services.reports.tallies import (
    LONG_WAIT_DAYS,
    NO_PROFILE,
    SATISFACTION_CODES,
    YOUNG_EXPERIENCE_YEARS,
    Counts,
    SatisfactionCount,
)


def _young(profile: type[Profile] = Profile) -> ColumnElement[bool]:
    return or_(
        profile.experience_years <= YOUNG_EXPERIENCE_YEARS,
        profile.mentee_category == MenteeCategory.YOUNG_SPECIALIST,
    )


def _month_of_date(column: Any, dialect: str) -> ColumnElement[str]:
    if dialect == "sqlite":
        return func.substr(column, 1, 7)
    return func.to_char(column, "YYYY-MM")


def _month_of_moment(column: Any, dialect: str, timezone: str, moment: datetime) -> Any:
    """The local month of a stored UTC moment. SQLite has no zones: Russian zones keep one offset
    all year, so the offset at `moment` is added."""
    if dialect == "sqlite":
        offset = ZoneInfo(timezone).utcoffset(moment.replace(tzinfo=None))
        hours = int((offset or timedelta()).total_seconds() // 60)
        return func.strftime("%Y-%m", column, f"{hours:+d} minutes")
    return func.to_char(func.timezone(timezone, column), "YYYY-MM")


class Counter:
    """Counts for organisations sharing one time zone (a municipality's usually do)."""

    def __init__(
        self,
        session: AsyncSession,
        organisations: Sequence[Organisation],
        period: Period,
        now: datetime,
    ) -> None:
        if len({organisation.timezone for organisation in organisations}) > 1:
            raise ValueError("one time zone per counter")
        self._session = session
        self._ids = [organisation.id for organisation in organisations]
        self._period = period
        self._now = now
        self._timezone = organisations[0].timezone if organisations else "UTC"
        self._start, self._end = period.bounds(self._timezone)
        self._dialect = session.get_bind().dialect.name
        self.counts = {
            organisation.id: Counts(
                organisation.id,
                organisation.name,
                ProgrammeSettings.of(organisation).satisfaction_threshold,
            )
            for organisation in organisations
        }
        self._nudge = {
            organisation.id: ProgrammeSettings.of(organisation).quiet_nudge_cycles
            for organisation in organisations
        }

    async def run(self) -> dict[int, Counts]:
        if self._ids:
            await self._participants()
            await self._requests()
            await self._pairs()
            await self._people_in_pairs()
            await self._cycles()
            await self._meetings()
            await self._responses()
            await self._satisfaction()
        return self.counts

    async def _rows(self, statement: Executable) -> list[Any]:
        return list((await self._session.execute(statement)).all())

    def _overlapping(self) -> ColumnElement[bool]:
        """Pairs that worked during the period: made before its end, not ended before its start."""
        return and_(
            MentoringPair.organisation_id.in_(self._ids),
            MentoringPair.created_at < self._end,
            or_(MentoringPair.ended_at.is_(None), MentoringPair.ended_at >= self._start),
        )

    async def _participants(self) -> None:
        young = case((_young(), 1), else_=0)
        statement = (
            select(
                RoleAssignment.organisation_id,
                Profile.role,
                Person.status,
                young,
                func.count(),
            )
            .join(Person, Person.id == RoleAssignment.person_id)
            .outerjoin(
                Profile,
                and_(
                    Profile.person_id == RoleAssignment.person_id,
                    Profile.organisation_id == RoleAssignment.organisation_id,
                ),
            )
            .where(
                RoleAssignment.role == RoleKind.PARTICIPANT,
                RoleAssignment.organisation_id.in_(self._ids),
            )
            .group_by(RoleAssignment.organisation_id, Profile.role, Person.status, young)
        )
        for organisation_id, role, status, is_young, number in await self._rows(statement):
            counts = self.counts[organisation_id]
            key = ProfileRole(role).value if role is not None else NO_PROFILE
            counts.roles[key] = counts.roles.get(key, 0) + number
            counts.statuses[status] = counts.statuses.get(status, 0) + number
            if role is not None and status != PersonStatus.WITHDRAWN:
                counts.teachers_with_profile += number
                counts.young_with_profile += number * is_young

    async def _requests(self) -> None:
        long_ago = self._now - timedelta(days=LONG_WAIT_DAYS)
        live = MentoringRequest.status.in_(("open", "awaiting_mentor"))
        statement = (
            select(
                MentoringRequest.organisation_id,
                func.sum(case((live, 1), else_=0)),
                func.sum(case((and_(live, MentoringRequest.created_at < long_ago), 1), else_=0)),
                func.min(case((live, MentoringRequest.created_at), else_=None)),
                func.sum(
                    case(
                        (
                            and_(
                                MentoringRequest.created_at >= self._start,
                                MentoringRequest.created_at < self._end,
                            ),
                            1,
                        ),
                        else_=0,
                    )
                ),
            )
            .where(MentoringRequest.organisation_id.in_(self._ids))
            .group_by(MentoringRequest.organisation_id)
        )
        for organisation_id, live_count, long_count, oldest, filed in await self._rows(statement):
            counts = self.counts[organisation_id]
            counts.requests_live = int(live_count or 0)
            counts.requests_waiting_long = int(long_count or 0)
            counts.requests_filed = int(filed or 0)
            if oldest is not None:
                if isinstance(oldest, str):  # SQLite's MIN over a CASE loses the column type
                    oldest = datetime.fromisoformat(oldest)
                if oldest.tzinfo is None:
                    oldest = oldest.replace(tzinfo=self._now.tzinfo)
                counts.requests_oldest_days = (self._now - oldest).days

    async def _pairs(self) -> None:
        in_period = and_(
            MentoringPair.created_at >= self._start, MentoringPair.created_at < self._end
        )
        completed = and_(
            MentoringPair.status == PairStatus.COMPLETED,
            MentoringPair.ended_at >= self._start,
            MentoringPair.ended_at < self._end,
        )
        statement = (
            select(
                MentoringPair.organisation_id,
                MentoringPair.status,
                MentoringPair.silent_cycles,
                func.count(),
                func.sum(case((in_period, 1), else_=0)),
                func.sum(case((completed, 1), else_=0)),
            )
            .where(self._overlapping())
            .group_by(
                MentoringPair.organisation_id, MentoringPair.status, MentoringPair.silent_cycles
            )
        )
        for organisation_id, status, silent, number, started, done in await self._rows(statement):
            counts = self.counts[organisation_id]
            counts.pairs[status] = counts.pairs.get(status, 0) + number
            counts.pairs_started += int(started or 0)
            counts.pairs_completed += int(done or 0)
            if status == PairStatus.ACTIVE and silent >= self._nudge[organisation_id]:
                counts.quiet_pairs += number

    async def _people_in_pairs(self) -> None:
        mentors = select(
            MentoringPair.organisation_id.label("organisation_id"),
            MentoringPair.mentor_id.label("person_id"),
            literal("mentor").label("side"),
        ).where(self._overlapping())
        mentees = select(
            MentoringPair.organisation_id.label("organisation_id"),
            MentoringPair.mentee_id.label("person_id"),
            literal("mentee").label("side"),
        ).where(self._overlapping())
        sides = mentors.union_all(mentees).subquery()
        statement = (
            select(
                sides.c.organisation_id,
                func.count(distinct(case((sides.c.side == "mentor", sides.c.person_id)))),
                func.count(distinct(case((sides.c.side == "mentee", sides.c.person_id)))),
                func.count(distinct(sides.c.person_id)),
                func.count(
                    distinct(case((and_(sides.c.side == "mentee", _young()), sides.c.person_id)))
                ),
            )
            .outerjoin(
                Profile,
                and_(
                    Profile.person_id == sides.c.person_id,
                    Profile.organisation_id == sides.c.organisation_id,
                ),
            )
            .group_by(sides.c.organisation_id)
        )
        for organisation_id, mentors_, mentees_, covered, young in await self._rows(statement):
            counts = self.counts[organisation_id]
            counts.mentors_in_pairs, counts.mentees_in_pairs = mentors_, mentees_
            counts.covered, counts.young_mentees_in_pairs = covered, young

    async def _cycles(self) -> None:
        # Cycles still open or postponed are grouped too and skipped below: with the status in
        # the WHERE clause SQLite (which keeps no statistics) reads the period's cycles of every
        # organisation through the rhythm job's (status, ends_at) index instead of the
        # organisation's pairs — 1.7 s instead of 0.02 s for a school of a large municipality.
        month = _month_of_moment(PairCycle.ends_at, self._dialect, self._timezone, self._start)
        statement = (
            select(MentoringPair.organisation_id, month, PairCycle.status, func.count())
            .join(MentoringPair, MentoringPair.id == PairCycle.pair_id)
            .where(
                MentoringPair.organisation_id.in_(self._ids),
                PairCycle.ends_at >= self._start,
                PairCycle.ends_at < self._end,
            )
            .group_by(MentoringPair.organisation_id, month, PairCycle.status)
        )
        for organisation_id, month_, status, number in await self._rows(statement):
            if status not in (CycleStatus.MET, CycleStatus.MISSED):
                continue
            counts = self.counts[organisation_id]
            met, total = counts.cycles_by_month.get(month_, (0, 0))
            if status == CycleStatus.MET:
                counts.cycles_met += number
                met += number
            else:
                counts.cycles_missed += number
            counts.cycles_by_month[month_] = (met, total + number)

    async def _meetings(self) -> None:
        month = _month_of_date(Meeting.held_on, self._dialect)
        statement = (
            select(MentoringPair.organisation_id, month, func.count())
            .join(MentoringPair, MentoringPair.id == Meeting.pair_id)
            .where(
                MentoringPair.organisation_id.in_(self._ids),
                Meeting.held_on >= self._period.first,
                Meeting.held_on <= self._period.last,
            )
            .group_by(MentoringPair.organisation_id, month)
        )
        for organisation_id, month_, number in await self._rows(statement):
            counts = self.counts[organisation_id]
            counts.meetings += number
            counts.meetings_by_month[month_] = number

    async def _responses(self) -> None:
        statement = (
            select(
                QuestionnaireResponse.organisation_id,
                func.count(),
                func.count(QuestionnaireResponse.submitted_at),
            )
            .where(
                QuestionnaireResponse.organisation_id.in_(self._ids),
                QuestionnaireResponse.created_at >= self._start,
                QuestionnaireResponse.created_at < self._end,
            )
            .group_by(QuestionnaireResponse.organisation_id)
        )
        for organisation_id, opened, submitted in await self._rows(statement):
            counts = self.counts[organisation_id]
            counts.responses_opened, counts.responses_submitted = opened, submitted

    async def _satisfaction(self) -> None:
        """Each answer is scored by the version it was given to (its overall question). The
        database picks the overall score out of each answer and counts the respondents per
        score, so a municipality's answers are not carried into Python one by one; a score
        counts when it is a whole number, as it does in the questionnaire's results."""
        versions = {
            row.id: (row.code, _overall(QuestionnaireDefinition.model_validate(row.definition)))
            for row in await self._session.scalars(
                select(Questionnaire).where(Questionnaire.code.in_(SATISFACTION_CODES))
            )
        }
        by_question: dict[str, list[int]] = defaultdict(list)
        for questionnaire_id, (_code, overall) in versions.items():
            if overall is not None:
                by_question[overall[0]].append(questionnaire_id)
        for question_id, questionnaire_ids in by_question.items():
            score, is_whole = _whole_number(
                QuestionnaireResponse.answers, question_id, self._dialect
            )
            statement = (
                select(
                    QuestionnaireResponse.organisation_id,
                    QuestionnaireResponse.questionnaire_id,
                    score,
                    func.count(),
                )
                .where(
                    QuestionnaireResponse.organisation_id.in_(self._ids),
                    QuestionnaireResponse.questionnaire_id.in_(questionnaire_ids),
                    QuestionnaireResponse.submitted_at >= self._start,
                    QuestionnaireResponse.submitted_at < self._end,
                    is_whole,
                )
                .group_by(
                    QuestionnaireResponse.organisation_id,
                    QuestionnaireResponse.questionnaire_id,
                    score,
                )
            )
            for organisation_id, questionnaire_id, value, number in await self._rows(statement):
                code, overall = versions[questionnaire_id]
                assert overall is not None
                counts = self.counts[organisation_id]
                side = SATISFACTION_CODES[code]
                tally = counts.satisfaction.setdefault(
                    side, SatisfactionCount(counts.threshold, overall[1])
                )
                tally.add(int(value), number)


def _whole_number(
    answers: Any, question_id: str, dialect: str
) -> tuple[ColumnElement[Any], ColumnElement[bool]]:
    """The answer to one question of a JSON answers column, and whether it is a whole number
    (JSON true, 7.0 or "7" are not)."""
    if dialect == "sqlite":
        path = f'$."{question_id}"'
        return func.json_extract(answers, path), func.json_type(answers, path) == "integer"
    text = answers.op("->>", return_type=String)(literal(question_id, String))
    return text, text.op("~", is_comparison=True)(literal(r"^-?[0-9]+$", String))


def _overall(definition: QuestionnaireDefinition) -> tuple[str, int] | None:
    question = next((q for q in definition.questions if q.measure == Measure.SATISFACTION), None)
    if question is None or question.max is None:
        return None
    return question.id, question.max


async def count(
    session: AsyncSession, organisations: Sequence[Organisation], period: Period, now: datetime
) -> dict[int, Counts]:
    """Counts of every organisation, one counter per time zone."""
    by_zone: dict[str, list[Organisation]] = defaultdict(list)
    for organisation in organisations:
        by_zone[organisation.timezone].append(organisation)
    found: dict[int, Counts] = {}
    for group in by_zone.values():
        found.update(await Counter(session, group, period, now).run())
    return found


def today_in(organisation: Organisation, now: datetime) -> date:
    return now.astimezone(ZoneInfo(organisation.timezone)).date()
