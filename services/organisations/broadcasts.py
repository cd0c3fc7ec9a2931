"""A curator's message to many participants at once (/broadcast): everyone in the programme, the
mentors, the mentees, or those who have not finished a survey. It goes through the outbox in the
organisation's sending window, one statement whatever the number of people; the audit log records
who sent how many (not the words)."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Select, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    MentoringPair,
    Organisation,
    Person,
    PersonStatus,
    Profile,
    ProfileRole,
    QuestionnaireResponse,
    RoleAssignment,
    RoleKind,
    SurveyCampaign,
)
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import StaleAction, ValidationFailed
from services.core.identity import AccountKey
from services.core.text import clean_text
from services.core.transactions import Transactions
from services.organisations.windows import window_of
from services.outbox import notify

KIND = "broadcast"
MAX_LENGTH = 3000  # with the heading, well inside a Telegram message


class BroadcastAudience(enum.StrEnum):
    EVERYONE = "everyone"  # every participant of the organisation
    MENTORS = "mentors"
    MENTEES = "mentees"
    UNFINISHED = "unfinished"  # invited to a survey and not finished it
    PAIR = "pair"  # both sides of one pair (from its card in /pairs)


def _people(
    organisation_id: int, audience: BroadcastAudience, target_id: int | None
) -> Select[Any]:
    """The recipients' person ids (withdrawn people left out); `target_id` is the survey of
    UNFINISHED or the pair of PAIR."""
    reachable = Person.status != PersonStatus.WITHDRAWN
    if audience == BroadcastAudience.PAIR:
        sides = union(
            select(MentoringPair.mentor_id.label("person_id")).where(
                MentoringPair.id == target_id, MentoringPair.organisation_id == organisation_id
            ),
            select(MentoringPair.mentee_id.label("person_id")).where(
                MentoringPair.id == target_id, MentoringPair.organisation_id == organisation_id
            ),
        ).subquery()
        return (
            select(sides.c.person_id).join(Person, Person.id == sides.c.person_id).where(reachable)
        )
    if audience == BroadcastAudience.UNFINISHED:
        return (
            select(QuestionnaireResponse.person_id)
            .join(Person, Person.id == QuestionnaireResponse.person_id)
            .where(
                QuestionnaireResponse.campaign_id == target_id,
                QuestionnaireResponse.organisation_id == organisation_id,
                QuestionnaireResponse.submitted_at.is_(None),
                reachable,
            )
        )
    if audience == BroadcastAudience.EVERYONE:
        return (
            select(RoleAssignment.person_id)
            .join(Person, Person.id == RoleAssignment.person_id)
            .where(
                RoleAssignment.organisation_id == organisation_id,
                RoleAssignment.role == RoleKind.PARTICIPANT,
                reachable,
            )
            .distinct()
        )
    roles = (
        (ProfileRole.MENTOR, ProfileRole.BOTH)
        if audience == BroadcastAudience.MENTORS
        else (ProfileRole.MENTEE, ProfileRole.BOTH)
    )
    return (
        select(Profile.person_id)
        .join(Person, Person.id == Profile.person_id)
        .where(
            Profile.organisation_id == organisation_id,
            Profile.role.in_(roles),
            Profile.completed_at.is_not(None),
            reachable,
        )
    )


class BroadcastService:
    def __init__(
        self, transactions: Transactions, clock: Clock, *, superadmin_ids: frozenset[AccountKey]
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._superadmins = superadmin_ids

    async def audience_size(
        self,
        actor_id: int,
        organisation_id: int,
        audience: BroadcastAudience,
        campaign_id: int | None = None,
    ) -> int:
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            await self._check_campaign(session, organisation_id, audience, campaign_id)
            people = _people(organisation_id, audience, campaign_id).subquery()
            return int(await session.scalar(select(func.count()).select_from(people)) or 0)

    async def send(
        self,
        actor_id: int,
        organisation_id: int,
        audience: BroadcastAudience,
        text: str,
        campaign_id: int | None = None,
    ) -> int:
        """Queue the message to everyone in the audience; returns how many."""
        words = clean_text(text, field="text", max_length=MAX_LENGTH, multiline=True)
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmins)
            actor.require_curator(organisation_id)
            await self._check_campaign(session, organisation_id, audience, campaign_id)
            organisation = await session.get(Organisation, organisation_id)
            if organisation is None:
                raise StaleAction
            # One broadcast, one key: the same person never gets it twice.
            key = f"{organisation_id}:{now.isoformat()}:{actor_id}"
            queued = await notify.everyone(
                session,
                _people(organisation_id, audience, campaign_id),
                kind=KIND,
                key=key,
                due_at=window_of(organisation).next_opening(now),
                now=now,
                payload={"text": words, "organisation": organisation.name},
            )
            if not queued:
                raise ValidationFailed("audience", "empty")
            audit.record(
                session,
                at=now,
                action="broadcast.sent",
                actor_id=actor_id,
                organisation_id=organisation_id,
                audience=audience.value,
                campaign_id=campaign_id,
                recipients=queued,
            )
            return queued

    async def _check_campaign(
        self,
        session: AsyncSession,
        organisation_id: int,
        audience: BroadcastAudience,
        campaign_id: int | None,
    ) -> None:
        """ "Not finished a survey" needs a survey of this organisation; "a pair" a live pair of
        it (`campaign_id` names the pair then)."""
        if audience == BroadcastAudience.PAIR:
            pair = None if campaign_id is None else await session.get(MentoringPair, campaign_id)
            if pair is None or pair.organisation_id != organisation_id or not pair.status.is_live:
                raise StaleAction
            return
        if audience != BroadcastAudience.UNFINISHED:
            return
        campaign = None if campaign_id is None else await session.get(SurveyCampaign, campaign_id)
        if campaign is None or campaign.organisation_id != organisation_id:
            raise StaleAction
