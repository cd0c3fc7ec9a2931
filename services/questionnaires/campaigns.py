"""Campaigns: a curator sends a questionnaire to an audience (`audiences` says who) with a
deadline. Each invited person gets a response row and an invitation through the outbox in their
organisation's sending window; the numbers (invited, started, finished) are counted from the rows.
Reminders go two days before the deadline and on its day, only to those who have not finished."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, case, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Organisation,
    Person,
    PersonStatus,
    Questionnaire,
    QuestionnaireResponse,
    SurveyCampaign,
)
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import (
    StaleAction,
    ValidationFailed,
)
from services.core.identity import AccountKey
from services.core.transactions import Transactions
from services.organisations.timezones import local_date
from services.organisations.windows import window_of
from services.outbox import notify
from services.questionnaires.audiences import (
    CampaignAudience,
    deadline_at,
    recipients,
    wanted_sides,
)
from services.questionnaires.library import current_definition, stored_definition
from services.questionnaires.schema import LANGUAGES, QuestionnaireDefinition

INVITE_KIND = "survey_invite"
REMINDER_KIND = "survey_reminder"
MAX_DEADLINE_DAYS = 90
REMIND_BEFORE_DAYS = 2
# Rows written per statement at launch: a region's campaign is 100 000 people.
CHUNK = 2000


@dataclass(frozen=True, slots=True)
class CampaignProgress:
    id: int
    organisation_id: int
    questionnaire_id: int  # the version asked
    code: str
    version: int
    titles: dict[str, str]  # language -> title
    audience: CampaignAudience
    deadline: datetime
    invited: int
    started: int
    finished: int
    created_at: datetime
    closed_at: datetime | None

    @property
    def open(self) -> bool:
        return self.closed_at is None

    def share(self, count: int) -> int:
        """`count` as a whole percentage of those invited."""
        return round(100 * count / self.invited) if self.invited else 0


async def _add_responses(
    session: AsyncSession,
    campaign: SurveyCampaign,
    people: list[int],
    found: dict[int, tuple[str, int | None]],
) -> None:
    """A response row for each person. What is the same for all of them is taken from the
    campaign's row by the database, so each row's parameters are three plain values."""

    def of_campaign(column: Any) -> Any:
        return select(column).where(SurveyCampaign.id == campaign.id).scalar_subquery()

    statement = insert(cast(Table, QuestionnaireResponse.__table__)).values(
        questionnaire_id=of_campaign(SurveyCampaign.questionnaire_id),
        organisation_id=of_campaign(SurveyCampaign.organisation_id),
        campaign_id=campaign.id,
        subject=f"campaign:{campaign.id}",
        answers={},
        deadline=of_campaign(SurveyCampaign.deadline),
        created_at=of_campaign(SurveyCampaign.created_at),
        updated_at=of_campaign(SurveyCampaign.created_at),
    )
    await session.execute(
        statement,
        [
            {
                "person_id": person_id,
                "pair_id": found[person_id][1],
                "respondent_role": found[person_id][0],
            }
            for person_id in people
        ],
    )


async def _definition_of(
    session: AsyncSession, campaign: SurveyCampaign
) -> QuestionnaireDefinition:
    row = await session.get(Questionnaire, campaign.questionnaire_id)
    if row is None:
        raise StaleAction
    return stored_definition(row).definition


def _view(
    campaign: SurveyCampaign,
    questionnaire_id: int,
    definition: QuestionnaireDefinition,
    started: int,
    finished: int,
) -> CampaignProgress:
    return CampaignProgress(
        id=campaign.id,
        organisation_id=campaign.organisation_id,
        questionnaire_id=questionnaire_id,
        code=definition.id,
        version=definition.version,
        titles={language: definition.title[language] for language in LANGUAGES},
        audience=CampaignAudience(campaign.audience),
        deadline=campaign.deadline,
        invited=campaign.invited,
        started=started,
        finished=finished,
        created_at=campaign.created_at,
        closed_at=campaign.closed_at,
    )


async def _counts(session: AsyncSession, campaign_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """campaign id -> (started, finished); started counts anyone who gave an answer."""
    if not campaign_ids:
        return {}
    started = func.sum(
        case(
            (
                or_(
                    QuestionnaireResponse.submitted_at.is_not(None),
                    QuestionnaireResponse.updated_at > QuestionnaireResponse.created_at,
                ),
                1,
            ),
            else_=0,
        )
    )
    finished = func.count(QuestionnaireResponse.submitted_at)
    rows = await session.execute(
        select(QuestionnaireResponse.campaign_id, started, finished)
        .where(QuestionnaireResponse.campaign_id.in_(list(campaign_ids)))
        .group_by(QuestionnaireResponse.campaign_id)
    )
    return {int(cid): (int(s or 0), int(f or 0)) for cid, s, f in rows if cid is not None}


class CampaignService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    def deadline_in(self, timezone: str, days: int) -> date:
        """The day `days` from today where the organisation is."""
        return local_date(self._clock.now(), timezone) + timedelta(days=days)

    async def audience_size(
        self,
        actor_id: int,
        organisation_id: int,
        code: str,
        audience: CampaignAudience,
        pair_id: int | None = None,
    ) -> int:
        """How many people a launch would invite now (the confirmation screen)."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await self._organisation(session, organisation_id)
            stored = await current_definition(session, organisation_id, code)
            found = await recipients(
                session,
                organisation,
                audience,
                wanted_sides(stored.definition.audience),
                self._clock.now(),
                pair_id,
            )
            return len(found)

    async def launch(
        self,
        actor_id: int,
        organisation_id: int,
        code: str,
        audience: CampaignAudience,
        deadline: date,
        pair_id: int | None = None,
    ) -> CampaignProgress:
        """Invite the audience: a response row and an invitation each.

        The campaign is made in one short transaction, then its people are added a chunk per
        transaction, each chunk in two statements (the invitations are one INSERT … SELECT from
        the chunk's responses), so a region's campaign takes seconds and other people's writes
        take their turns between chunks. Stopped half-way (a crash), the campaign counts only
        the people it reached."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            organisation = await self._organisation(session, organisation_id)
            window = window_of(organisation)
            today = window.local_date(now)
            if not today <= deadline <= today + timedelta(days=MAX_DEADLINE_DAYS):
                raise ValidationFailed("deadline", "too_late" if deadline > today else "too_old")
            stored = await current_definition(session, organisation_id, code)
            definition = stored.definition
            found = await recipients(
                session, organisation, audience, wanted_sides(definition.audience), now, pair_id
            )
            if not found:
                raise ValidationFailed("audience", "empty")
            ends = deadline_at(deadline, organisation.timezone)
            campaign = SurveyCampaign(
                organisation_id=organisation_id,
                questionnaire_id=stored.row_id,
                audience=audience.value,
                pair_id=pair_id,
                deadline=ends,
                invited=0,
                created_by_id=actor_id,
                created_at=now,
                reminded=[],
            )
            session.add(campaign)
            await session.flush()
            audit.record(
                session,
                at=now,
                action="survey.launched",
                actor_id=actor_id,
                organisation_id=organisation_id,
                campaign_id=campaign.id,
                questionnaire=definition.id,
                version=definition.version,
                audience=audience.value,
                invited=len(found),
            )
        invitation = {
            "campaign_id": campaign.id,
            "titles": {language: definition.title[language] for language in LANGUAGES},
            "day": deadline.isoformat(),
        }
        people = sorted(found)
        for start in range(0, len(people), CHUNK):
            chunk = people[start : start + CHUNK]
            async with self._transactions.write() as session:
                await _add_responses(session, campaign, chunk, found)
                await notify.everyone(
                    session,
                    select(QuestionnaireResponse.person_id).where(
                        QuestionnaireResponse.campaign_id == campaign.id,
                        QuestionnaireResponse.person_id.between(chunk[0], chunk[-1]),
                    ),
                    kind=INVITE_KIND,
                    key=str(campaign.id),
                    due_at=window.next_opening(now),
                    expires_at=ends,
                    now=now,
                    payload=invitation,
                )
                await session.execute(
                    update(SurveyCampaign)
                    .where(SurveyCampaign.id == campaign.id)
                    .values(invited=SurveyCampaign.invited + len(chunk))
                )
        campaign.invited = len(people)
        return _view(campaign, stored.row_id, definition, 0, 0)

    async def listing(self, actor_id: int, organisation_id: int) -> list[CampaignProgress]:
        """The organisation's campaigns, newest first."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            campaigns = (
                await session.scalars(
                    select(SurveyCampaign)
                    .where(SurveyCampaign.organisation_id == organisation_id)
                    .order_by(SurveyCampaign.id.desc())
                    .limit(20)
                )
            ).all()
            return await self._views(session, campaigns)

    async def progress(
        self, actor_id: int, organisation_id: int, campaign_id: int
    ) -> CampaignProgress:
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            campaign = await self._campaign(session, organisation_id, campaign_id)
            [view] = await self._views(session, [campaign])
            return view

    async def close(
        self, actor_id: int, organisation_id: int, campaign_id: int
    ) -> CampaignProgress:
        """Close early: nobody can answer any more, no reminders go, unsent invitations stay
        unsent."""
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            campaign = await self._campaign(session, organisation_id, campaign_id)
            if campaign.closed_at is None:
                campaign.closed_at = now
                await notify.cancel_event(session, INVITE_KIND, str(campaign.id))
                await notify.cancel_event(session, REMINDER_KIND, str(campaign.id))
                audit.record(
                    session,
                    at=now,
                    action="survey.closed",
                    actor_id=actor_id,
                    organisation_id=organisation_id,
                    campaign_id=campaign.id,
                )
            [view] = await self._views(session, [campaign])
            return view

    async def remind(self) -> int:
        """Queue the reminders that fell due (a periodic job); returns how many."""
        now = self._clock.now()
        queued = 0
        async with self._transactions.write() as session:
            campaigns = (
                await session.scalars(
                    select(SurveyCampaign).where(
                        SurveyCampaign.closed_at.is_(None),
                        SurveyCampaign.deadline > now,
                        SurveyCampaign.deadline <= now + timedelta(days=REMIND_BEFORE_DAYS + 1),
                    )
                )
            ).all()
            for campaign in campaigns:
                queued += await self._remind_one(session, campaign, now)
        return queued

    async def _remind_one(
        self, session: AsyncSession, campaign: SurveyCampaign, now: datetime
    ) -> int:
        organisation = await self._organisation(session, campaign.organisation_id)
        window = window_of(organisation)
        today = window.local_date(now)
        last_day = window.local_date(campaign.deadline - timedelta(seconds=1))
        due = []
        if last_day - today <= timedelta(days=REMIND_BEFORE_DAYS) and today < last_day:
            due.append("before")
        if today == last_day:
            due.append("day")
        due = [which for which in due if which not in (campaign.reminded or [])]
        if not due:
            return 0
        which = due[-1]
        campaign.reminded = [*(campaign.reminded or []), *due]
        definition = await _definition_of(session, campaign)
        return await notify.everyone(
            session,
            select(QuestionnaireResponse.person_id)
            .join(Person, Person.id == QuestionnaireResponse.person_id)
            .where(
                QuestionnaireResponse.campaign_id == campaign.id,
                QuestionnaireResponse.submitted_at.is_(None),
                Person.status != PersonStatus.WITHDRAWN,
            ),
            kind=REMINDER_KIND,
            key=f"{campaign.id}:{which}",
            due_at=window.next_opening(now),
            expires_at=campaign.deadline,
            now=now,
            payload={
                "campaign_id": campaign.id,
                "titles": {language: definition.title[language] for language in LANGUAGES},
                "day": last_day.isoformat(),
                "final": which == "day",
            },
        )

    async def _views(
        self, session: AsyncSession, campaigns: Sequence[SurveyCampaign]
    ) -> list[CampaignProgress]:
        counts = await _counts(session, [campaign.id for campaign in campaigns])
        views = []
        for campaign in campaigns:
            started, finished = counts.get(campaign.id, (0, 0))
            definition = await _definition_of(session, campaign)
            views.append(_view(campaign, campaign.questionnaire_id, definition, started, finished))
        return views

    async def _campaign(
        self, session: AsyncSession, organisation_id: int, campaign_id: int
    ) -> SurveyCampaign:
        campaign = await session.get(SurveyCampaign, campaign_id)
        if campaign is None or campaign.organisation_id != organisation_id:
            raise StaleAction
        return campaign

    async def _organisation(self, session: AsyncSession, organisation_id: int) -> Organisation:
        organisation = await session.get(Organisation, organisation_id)
        if organisation is None:
            raise StaleAction
        return organisation
