"""A person's own questionnaire answers in their data download, and gone when they withdraw."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Questionnaire, QuestionnaireResponse


async def answers_of(session: AsyncSession, person_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(QuestionnaireResponse, Questionnaire.code, Questionnaire.version)
        .join(Questionnaire)
        .where(QuestionnaireResponse.person_id == person_id)
        .order_by(QuestionnaireResponse.id)
    )
    return [
        {
            "questionnaire": code,
            "version": version,
            "answered_as": response.respondent_role,
            "answers": dict(response.answers or {}),
            "started_at": response.created_at.isoformat(),
            "submitted_at": response.submitted_at.isoformat() if response.submitted_at else None,
        }
        for response, code, version in rows
    ]


async def erase_answers(session: AsyncSession, person_id: int) -> None:
    await session.execute(
        delete(QuestionnaireResponse).where(QuestionnaireResponse.person_id == person_id)
    )
