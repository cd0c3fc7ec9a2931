"""The results of a campaign for its curator: the figures of `scores` over its submitted
answers, with the organisation's satisfaction threshold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Organisation, Questionnaire, QuestionnaireResponse, SurveyCampaign
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import StaleAction
from services.core.identity import AccountKey
from services.core.transactions import Transactions
from services.organisations.programme import ProgrammeSettings
from services.organisations.windows import window_of
from services.questionnaires.audiences import programme_year_start
from services.questionnaires.library import current_definition, stored_definition
from services.questionnaires.schema import QuestionnaireDefinition
from services.questionnaires.scores import Answered, Change, Results, before_after, results


@dataclass(frozen=True, slots=True)
class CampaignResults:
    """A campaign's figures, or a questionnaire's over the programme year (`since`)."""

    definition: QuestionnaireDefinition
    invited: int  # people asked (a campaign's invitations; responses opened in the year)
    results: Results
    since: date | None = None
    # The entry and exit diagnosis: per domain, over the people who answered both.
    changes: tuple[Change, ...] = ()


ENTRY, EXIT = "entry_diagnosis", "exit_diagnosis"


class ResultService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def for_campaign(
        self, actor_id: int, organisation_id: int, campaign_id: int
    ) -> CampaignResults:
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            campaign = await session.get(SurveyCampaign, campaign_id)
            organisation = await session.get(Organisation, organisation_id)
            if (
                campaign is None
                or organisation is None
                or campaign.organisation_id != organisation_id
            ):
                raise StaleAction
            row = await session.get(Questionnaire, campaign.questionnaire_id)
            if row is None:
                raise StaleAction
            definition = stored_definition(row).definition
            answered = [
                Answered(
                    response.person_id, response.respondent_role, row.version, response.answers
                )
                for response in await session.scalars(
                    select(QuestionnaireResponse)
                    .where(
                        QuestionnaireResponse.campaign_id == campaign_id,
                        QuestionnaireResponse.submitted_at.is_not(None),
                    )
                    .order_by(QuestionnaireResponse.id)
                )
            ]
        threshold = ProgrammeSettings.of(organisation).satisfaction_threshold
        return CampaignResults(
            definition, campaign.invited, results(definition, answered, threshold=threshold)
        )

    async def for_questionnaire(
        self, actor_id: int, organisation_id: int, code: str
    ) -> CampaignResults:
        """Every answer to the questionnaire in the organisation this programme year, however it
        was asked (campaigns, a pair's moments, after meetings), counted by its latest
        definition; the diagnoses add the change per domain."""
        now = self._clock.now()
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await session.get(Organisation, organisation_id)
            if organisation is None:
                raise StaleAction
            current = await current_definition(session, organisation_id, code)
            since = programme_year_start(window_of(organisation).local_date(now))
            start = datetime.combine(since, time(), ZoneInfo(organisation.timezone))
            opened, answered = await _answered(session, organisation_id, code, start)
            changes: tuple[Change, ...] = ()
            if code in (ENTRY, EXIT):
                _opened, entry = await _answered(session, organisation_id, ENTRY, start)
                _opened, exit_ = await _answered(session, organisation_id, EXIT, start)
                changes = before_after(current.definition, entry, exit_)
        threshold = ProgrammeSettings.of(organisation).satisfaction_threshold
        return CampaignResults(
            current.definition,
            opened,
            results(current.definition, answered, threshold=threshold),
            since,
            changes,
        )


async def period_results(
    session: AsyncSession, organisation: Organisation, start: datetime, end: datetime
) -> tuple[CampaignResults, ...]:
    """Every questionnaire answered in the organisation in [start, end), counted by its latest
    definition (the documents of `/report`)."""
    codes = await session.scalars(
        select(Questionnaire.code)
        .join(QuestionnaireResponse)
        .where(
            QuestionnaireResponse.organisation_id == organisation.id,
            QuestionnaireResponse.created_at >= start,
            QuestionnaireResponse.created_at < end,
        )
        .distinct()
    )
    threshold = ProgrammeSettings.of(organisation).satisfaction_threshold
    found = []
    for code in sorted(codes):
        current = await current_definition(session, organisation.id, code)
        opened, answered = await _answered(session, organisation.id, code, start, end)
        found.append(
            CampaignResults(
                current.definition,
                opened,
                results(current.definition, answered, threshold=threshold),
                start.date(),
            )
        )
    return tuple(found)


async def _answered(
    session: AsyncSession,
    organisation_id: int,
    code: str,
    start: datetime,
    end: datetime | None = None,
) -> tuple[int, list[Answered]]:
    """(responses opened in [start, end), the submitted ones) to any version of `code`."""
    period = [QuestionnaireResponse.created_at >= start]
    if end is not None:
        period.append(QuestionnaireResponse.created_at < end)
    rows = (
        await session.execute(
            select(QuestionnaireResponse, Questionnaire.version)
            .join(Questionnaire)
            .where(
                QuestionnaireResponse.organisation_id == organisation_id,
                Questionnaire.code == code,
                *period,
            )
            .order_by(QuestionnaireResponse.id)
        )
    ).all()
    answered = [
        Answered(response.person_id, response.respondent_role, version, response.answers)
        for response, version in rows
        if response.submitted_at is not None
    ]
    return len(rows), answered
