"""A request as a mentor sees it (the offer, the list of open requests): the mentee's first name
only, contacts removed from the texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models import MentoringRequest, Person, RequestOffer
from services.core.names import first_name, without_contacts
from services.matching.candidates import MentorCandidate, mentee_profile
from services.matching.score import Reason


@dataclass(frozen=True, slots=True)
class RequestBrief:
    """A request as a mentor sees it: the mentee's first name only, contacts removed."""

    request_id: int
    offer_id: int | None
    mentee_first_name: str
    subjects: tuple[str, ...]
    experience_years: int | None
    topics: tuple[str, ...]
    difficulty: str
    hopes: str
    meeting_format: str
    mentoring_type: str
    group_ok: bool
    urgency: str
    score: int
    reasons: tuple[Reason, ...]
    created_at: datetime
    expires_at: datetime | None
    timezone: str


def reason_data(reasons: tuple[Reason, ...]) -> list[dict[str, object]]:
    return [{"code": reason.code, "params": dict(reason.params)} for reason in reasons]


async def request_brief(
    session: AsyncSession,
    request: MentoringRequest,
    candidate: MentorCandidate,
    offer: RequestOffer | None,
    timezone: str,
) -> RequestBrief:
    mentee = await session.get(Person, request.mentee_id)
    profile = await mentee_profile(session, request)
    return RequestBrief(
        request_id=request.id,
        offer_id=offer.id if offer else None,
        mentee_first_name=first_name(mentee.full_name if mentee else None),
        subjects=tuple(profile.subjects) if profile else (),
        experience_years=profile.experience_years if profile else None,
        topics=tuple(request.topics),
        difficulty=without_contacts(request.difficulty),
        hopes=without_contacts(request.hopes),
        meeting_format=request.meeting_format.value,
        mentoring_type=request.mentoring_type.value,
        group_ok=request.group_ok,
        urgency=request.urgency.value,
        score=candidate.fit.score,
        reasons=candidate.fit.top_reasons(),
        created_at=request.created_at,
        expires_at=offer.expires_at if offer else None,
        timezone=timezone,
    )


def brief_payload(brief: RequestBrief) -> dict[str, Any]:
    return {
        "offer_id": brief.offer_id,
        "request_id": brief.request_id,
        "mentee_first_name": brief.mentee_first_name,
        "subjects": list(brief.subjects),
        "experience_years": brief.experience_years,
        "topics": list(brief.topics),
        "difficulty": brief.difficulty,
        "hopes": brief.hopes,
        "meeting_format": brief.meeting_format,
        "mentoring_type": brief.mentoring_type,
        "group_ok": brief.group_ok,
        "urgency": brief.urgency,
        "score": brief.score,
        "reasons": reason_data(brief.reasons),
        "answer_by": brief.expires_at.isoformat() if brief.expires_at else None,
        "timezone": brief.timezone,
    }
