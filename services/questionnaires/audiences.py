"""Who a survey asks: the audiences a curator chooses, resolved to people and the side each
answers as, and the programme year they count in."""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    MentoringPair,
    Organisation,
    PairStatus,
    Person,
    PersonStatus,
    Profile,
    ProfileRole,
)
from services.organisations.windows import window_of
from services.questionnaires.schema import Audience as Answerers

MENTEE, MENTOR = "mentee", "mentor"


class CampaignAudience(enum.StrEnum):
    MENTEES = "mentees"  # every participant whose profile says mentee
    MENTORS = "mentors"  # every participant whose profile says mentor
    PAIRS = "pairs"  # both sides of every active pair
    PAIR = "pair"  # both sides of one pair
    YEAR = "year"  # both sides of every pair that worked in the current programme year


def programme_year_start(today: date) -> date:
    """The programme year follows the school year: it begins on 1 September."""
    year = today.year if today.month >= 9 else today.year - 1
    return date(year, 9, 1)


def deadline_at(day: date, timezone: str) -> datetime:
    """The end of the deadline's day where the organisation is."""
    return datetime.combine(day + timedelta(days=1), time(), ZoneInfo(timezone))


def wanted_sides(answerers: Answerers) -> set[str]:
    """Which sides a questionnaire asks."""
    if answerers == Answerers.MENTEE:
        return {MENTEE}
    if answerers == Answerers.MENTOR:
        return {MENTOR}
    return {MENTEE, MENTOR}


async def recipients(
    session: AsyncSession,
    organisation: Organisation,
    audience: CampaignAudience,
    sides: set[str],
    now: datetime,
    pair_id: int | None = None,
) -> dict[int, tuple[str, int | None]]:
    """person id -> (the side they answer as, their pair if asked as one); people who withdrew
    are left out."""
    found: dict[int, tuple[str, int | None]] = {}
    reachable = Person.status != PersonStatus.WITHDRAWN
    if audience in (CampaignAudience.MENTEES, CampaignAudience.MENTORS):
        side = MENTEE if audience == CampaignAudience.MENTEES else MENTOR
        if side not in sides:
            return found
        roles = (ProfileRole.MENTEE if side == MENTEE else ProfileRole.MENTOR, ProfileRole.BOTH)
        rows = await session.scalars(
            select(Profile.person_id)
            .join(Person, Person.id == Profile.person_id)
            .where(
                Profile.organisation_id == organisation.id,
                Profile.role.in_(roles),
                Profile.completed_at.is_not(None),
                reachable,
            )
        )
        return {person_id: (side, None) for person_id in rows}
    pairs = select(MentoringPair).where(MentoringPair.organisation_id == organisation.id)
    if audience == CampaignAudience.PAIR:
        pairs = pairs.where(MentoringPair.id == pair_id)
    elif audience == CampaignAudience.PAIRS:
        pairs = pairs.where(MentoringPair.status == PairStatus.ACTIVE)
    else:
        local_today = window_of(organisation).local_date(now)
        year_start = datetime.combine(
            programme_year_start(local_today), time(), ZoneInfo(organisation.timezone)
        )
        pairs = pairs.where(
            MentoringPair.started_at.is_not(None),
            or_(MentoringPair.ended_at.is_(None), MentoringPair.ended_at >= year_start),
        )
    for pair in await session.scalars(pairs.order_by(MentoringPair.id)):
        for side, person_id in ((MENTEE, pair.mentee_id), (MENTOR, pair.mentor_id)):
            if side in sides and person_id not in found:
                found[person_id] = (side, pair.id)
    if found:
        gone = set(
            await session.scalars(
                select(Person.id).where(
                    Person.id.in_(list(found)), Person.status == PersonStatus.WITHDRAWN
                )
            )
        )
        for person_id in gone:
            del found[person_id]
    return found
