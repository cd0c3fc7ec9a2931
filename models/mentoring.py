"""Mentees' requests and the offers of a request to one mentor at a time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column, json_column
from models.enums import (
    DeclineReason,
    MeetingFormat,
    MentoringType,
    OfferStatus,
    RequestStatus,
    Urgency,
)

LIVE_REQUEST = sa.text("status IN ('open', 'awaiting_mentor')")
PENDING_OFFER = sa.text("status = 'pending'")


class MentoringRequest(Base):
    """запрос наставляемого: what a mentee needs help with. One live request per mentee."""

    __tablename__ = "mentoring_request"
    __table_args__: Any = (
        sa.CheckConstraint("length(difficulty) <= 1000", name="difficulty_length"),
        sa.CheckConstraint("length(hopes) <= 1000", name="hopes_length"),
        sa.Index(
            "uq_mentoring_request_live_mentee",
            "mentee_id",
            unique=True,
            sqlite_where=LIVE_REQUEST,
            postgresql_where=LIVE_REQUEST,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    mentee_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    # The curator, when the request was gathered by interview (DOMAIN §5); else the mentee.
    filed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    topics: Mapped[list[str]] = mapped_column(json_column(), default=list)
    # Free text; NULL once erased after the mentee withdrew consent.
    difficulty: Mapped[str | None] = mapped_column(sa.Text)
    hopes: Mapped[str | None] = mapped_column(sa.Text)
    meeting_format: Mapped[MeetingFormat] = mapped_column(
        enum_column(MeetingFormat, "meeting_format")
    )
    mentoring_type: Mapped[MentoringType] = mapped_column(
        enum_column(MentoringType, "mentoring_type")
    )
    group_ok: Mapped[bool] = mapped_column(default=False)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency, "urgency"))
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus, "request_status"))
    # The mentee asked the curator to choose rather than picking a suggestion.
    left_to_curator: Mapped[bool] = mapped_column(default=False)
    # Offers that expired or were declined; two of them bring the curator in.
    failed_offers: Mapped[int] = mapped_column(default=0)
    curator_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RequestOffer(Base):
    """A request put to one mentor, who accepts or declines before it expires."""

    __tablename__ = "request_offer"
    __table_args__: Any = (
        sa.Index(
            "uq_request_offer_pending_request",
            "request_id",
            unique=True,
            sqlite_where=PENDING_OFFER,
            postgresql_where=PENDING_OFFER,
        ),
        sa.Index("ix_request_offer_pending_due", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_request.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    offered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL")
    )
    status: Mapped[OfferStatus] = mapped_column(enum_column(OfferStatus, "offer_status"))
    score: Mapped[int] = mapped_column()
    # Reason codes and their numbers, as shown to the mentee when they chose this mentor.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(json_column(), default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    remind_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decline_reason: Mapped[DeclineReason | None] = mapped_column(
        enum_column(DeclineReason, "decline_reason")
    )
    decline_comment: Mapped[str | None] = mapped_column(sa.String(500))
