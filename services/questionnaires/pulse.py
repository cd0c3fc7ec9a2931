"""A low relationship pulse reaches the curator: a pair whose member scores it LOW_PULSE or
less is flagged at once, with the pair and the score (the comment stays in the results, where
only the curator reads it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MentoringPair, Person, QuestionnaireResponse
from services.outbox import notify
from services.questionnaires.schema import Measure, QuestionnaireDefinition

LOW_PULSE = 2
KIND = "pulse_low"


async def flag_low_pulse(
    session: AsyncSession,
    response: QuestionnaireResponse,
    definition: QuestionnaireDefinition,
    now: datetime,
) -> bool:
    """Tell the curators if this submitted response scores the pair's pulse low."""
    question = next((q for q in definition.questions if q.measure == Measure.PULSE), None)
    if question is None or response.pair_id is None:
        return False
    score = response.answers.get(question.id)
    if not isinstance(score, int) or score > LOW_PULSE:
        return False
    pair = await session.get(MentoringPair, response.pair_id)
    if pair is None:
        return False
    names = {
        person.id: person.full_name or ""
        for person in await session.scalars(
            select(Person).where(Person.id.in_((pair.mentor_id, pair.mentee_id)))
        )
    }
    await notify.curators(
        session,
        pair.organisation_id,
        KIND,
        str(response.id),
        now,
        about=pair.mentee_id,
        pair_id=pair.id,
        mentor_name=names.get(pair.mentor_id, ""),
        mentee_name=names.get(pair.mentee_id, ""),
        side=response.respondent_role,
        score=score,
        maximum=question.max,
    )
    return True
