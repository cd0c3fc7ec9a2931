"""The results of a campaign for its curator: the figures of `scores` over its submitted
answers, with the organisation's satisfaction threshold."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from models import Organisation, Questionnaire, QuestionnaireResponse, SurveyCampaign
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import StaleAction
from services.core.identity import AccountKey
from services.core.transactions import Transactions
from services.organisations.programme import ProgrammeSettings
from services.questionnaires.library import stored_definition
from services.questionnaires.schema import QuestionnaireDefinition
from services.questionnaires.scores import Answered, Results, results


@dataclass(frozen=True, slots=True)
class CampaignResults:
    definition: QuestionnaireDefinition
    invited: int
    results: Results


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
