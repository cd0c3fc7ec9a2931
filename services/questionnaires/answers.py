"""People answering questionnaires: a response is opened for a reason (`subject`), keeps the
answers as they are given, and is submitted once. The version a response began with is the one
it is answered and counted by, whatever is uploaded meanwhile."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Questionnaire, QuestionnaireResponse, SurveyCampaign
from services.core.clock import Clock
from services.core.errors import QuestionnaireProblem, QuestionnaireUnavailable
from services.core.transactions import Transactions
from services.forms.definitions import Answer, check_answers
from services.questionnaires.as_form import DEFAULT_LANGUAGE, as_form
from services.questionnaires.library import (
    StoredDefinition,
    current_definition,
    stored_definition,
)
from services.questionnaires.pulse import flag_low_pulse


@dataclass(frozen=True, slots=True)
class ResponseView:
    id: int
    person_id: int
    organisation_id: int
    pair_id: int | None
    subject: str
    respondent_role: str
    questionnaire: StoredDefinition
    answers: dict[str, Any] = field(default_factory=dict)
    deadline: datetime | None = None
    submitted_at: datetime | None = None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


def _view(row: QuestionnaireResponse, questionnaire: Questionnaire) -> ResponseView:
    return ResponseView(
        id=row.id,
        person_id=row.person_id,
        organisation_id=row.organisation_id,
        pair_id=row.pair_id,
        subject=row.subject,
        respondent_role=row.respondent_role,
        questionnaire=stored_definition(questionnaire),
        answers=dict(row.answers or {}),
        deadline=row.deadline,
        submitted_at=row.submitted_at,
    )


class AnswerService:
    def __init__(self, transactions: Transactions, clock: Clock) -> None:
        self._transactions = transactions
        self._clock = clock

    async def begin(
        self,
        person_id: int,
        organisation_id: int,
        code: str,
        *,
        subject: str,
        respondent_role: str,
        pair_id: int | None = None,
        deadline: datetime | None = None,
    ) -> ResponseView:
        """The person's response for `subject`, opened now with the current version of `code`
        or, if it was opened before, as it was left. Raises QuestionnaireUnavailable when it was
        submitted already or its deadline passed."""
        now = self._clock.now()
        try:
            async with self._transactions.write() as session:
                row = await self._find(session, person_id, subject)
                if row is None:
                    stored = await current_definition(session, organisation_id, code)
                    row = QuestionnaireResponse(
                        questionnaire_id=stored.row_id,
                        organisation_id=organisation_id,
                        person_id=person_id,
                        pair_id=pair_id,
                        subject=subject,
                        respondent_role=respondent_role,
                        answers={},
                        deadline=deadline,
                        created_at=now,
                        updated_at=now,
                    )
                    session.add(row)
                    await session.flush()
                view = await self._checked(session, row, now)
        except IntegrityError:
            # The same response opened twice at once (two presses): the other one made it.
            return await self.open(person_id, await self._id_of(person_id, subject))
        return view

    async def open(self, person_id: int, response_id: int) -> ResponseView:
        """A response of this person's to go on with (an invitation's button)."""
        async with self._transactions.read() as session:
            row = await session.get(QuestionnaireResponse, response_id)
            if row is None or row.person_id != person_id:
                raise QuestionnaireUnavailable(QuestionnaireProblem.UNKNOWN)
            return await self._checked(session, row, self._clock.now())

    async def open_in_campaign(self, person_id: int, campaign_id: int) -> ResponseView:
        """The person's response in a survey they were invited to."""
        async with self._transactions.read() as session:
            row = await self._find(session, person_id, f"campaign:{campaign_id}")
            if row is None:
                raise QuestionnaireUnavailable(QuestionnaireProblem.UNKNOWN)
            return await self._checked(session, row, self._clock.now())

    async def keep(self, person_id: int, response_id: int, answers: dict[str, Answer]) -> None:
        """The answers so far, so that nothing given is lost if the person leaves the form."""
        async with self._transactions.write() as session:
            row = await session.get(QuestionnaireResponse, response_id)
            if row is None or row.person_id != person_id or row.submitted_at is not None:
                return
            row.answers = dict(answers)
            row.updated_at = self._clock.now()

    async def submit(
        self,
        person_id: int,
        response_id: int,
        answers: dict[str, Answer],
        *,
        today: date | None = None,
    ) -> ResponseView:
        """Submit once: the answers are checked against the version being answered."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            row = await session.get(QuestionnaireResponse, response_id, with_for_update=True)
            if row is None or row.person_id != person_id:
                raise QuestionnaireUnavailable(QuestionnaireProblem.UNKNOWN)
            view = await self._checked(session, row, now)
            # Which language the answers were given in does not matter: codes and numbers.
            spec = as_form(view.questionnaire.definition, DEFAULT_LANGUAGE)
            row.answers = check_answers(spec, answers, today=today)
            row.updated_at = now
            row.submitted_at = now
            await flag_low_pulse(session, row, view.questionnaire.definition, now)
            return await self._checked(session, row, now, submitted=True)

    async def _checked(
        self,
        session: AsyncSession,
        row: QuestionnaireResponse,
        now: datetime,
        *,
        submitted: bool = False,
    ) -> ResponseView:
        if row.submitted_at is not None and not submitted:
            raise QuestionnaireUnavailable(QuestionnaireProblem.SUBMITTED)
        if row.campaign_id is not None and not submitted:
            campaign = await session.get(SurveyCampaign, row.campaign_id)
            if campaign is not None and campaign.closed_at is not None:
                raise QuestionnaireUnavailable(QuestionnaireProblem.CLOSED)
        if row.deadline is not None and row.deadline <= now and not submitted:
            raise QuestionnaireUnavailable(QuestionnaireProblem.PAST_DEADLINE)
        questionnaire = await session.get(Questionnaire, row.questionnaire_id)
        if questionnaire is None:
            raise QuestionnaireUnavailable(QuestionnaireProblem.UNKNOWN)
        return _view(row, questionnaire)

    async def _find(
        self, session: AsyncSession, person_id: int, subject: str
    ) -> QuestionnaireResponse | None:
        return await session.scalar(
            select(QuestionnaireResponse).where(
                QuestionnaireResponse.person_id == person_id,
                QuestionnaireResponse.subject == subject,
            )
        )

    async def _id_of(self, person_id: int, subject: str) -> int:
        async with self._transactions.read() as session:
            row = await self._find(session, person_id, subject)
            if row is None:
                raise QuestionnaireUnavailable(QuestionnaireProblem.UNKNOWN)
            return row.id
