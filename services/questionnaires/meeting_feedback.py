"""The questionnaire after each meeting: when a check-in says the pair met, each side gets their
own copy of `meeting_feedback` — the one who answered the check-in fills it in at once, the other
is invited with the "you met" message — and whoever has not answered by the next working day is
reminded once (`AutomaticSurveys`). The answers are each person's own: the pair's shared meeting
log shows none of them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from models import MentoringPair, QuestionnaireResponse
from services.core.errors import QuestionnaireUnavailable
from services.questionnaires.library import current_definition

CODE = "meeting_feedback"
ANSWER_DAYS = 7
SUBJECT_PREFIX = "meeting:"


def subject_of(meeting_id: int) -> str:
    return f"{SUBJECT_PREFIX}{meeting_id}"


async def open_for_both(
    session: AsyncSession, pair: MentoringPair, meeting_id: int, now: datetime
) -> dict[int, int]:
    """A response for each side of the pair about this meeting: person id -> response id."""
    try:
        stored = await current_definition(session, pair.organisation_id, CODE)
    except QuestionnaireUnavailable:
        return {}
    responses = {
        person_id: QuestionnaireResponse(
            questionnaire_id=stored.row_id,
            organisation_id=pair.organisation_id,
            person_id=person_id,
            pair_id=pair.id,
            subject=subject_of(meeting_id),
            respondent_role=side,
            answers={},
            deadline=now + timedelta(days=ANSWER_DAYS),
            created_at=now,
            updated_at=now,
        )
        for side, person_id in (("mentee", pair.mentee_id), ("mentor", pair.mentor_id))
    }
    session.add_all(responses.values())
    await session.flush()
    return {person_id: response.id for person_id, response in responses.items()}
