from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column, json_column
from models.enums import MeetingFormat, MenteeCategory, ProfileRole


class Profile(Base):
    """A participant's answers, given after consent. Deleted when consent is withdrawn."""

    __tablename__ = "profile"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "organisation_id", name="person_org"),
        sa.CheckConstraint("experience_years BETWEEN 0 AND 60", name="experience_range"),
        sa.CheckConstraint(
            "organisation_years BETWEEN 0 AND experience_years", name="organisation_years_range"
        ),
        sa.CheckConstraint("capacity IS NULL OR capacity BETWEEN 0 AND 10", name="capacity_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[str] = mapped_column(sa.String(120))
    subjects: Mapped[list[str]] = mapped_column(json_column(), default=list)
    experience_years: Mapped[int] = mapped_column()
    organisation_years: Mapped[int] = mapped_column()
    role: Mapped[ProfileRole] = mapped_column(enum_column(ProfileRole, "profile_role"))
    mentee_category: Mapped[MenteeCategory | None] = mapped_column(
        enum_column(MenteeCategory, "mentee_category")
    )
    # Competence domains (CompetenceDomain values) a mentor can help with / a mentee needs.
    offered_domains: Mapped[list[str]] = mapped_column(json_column(), default=list)
    needed_domains: Mapped[list[str]] = mapped_column(json_column(), default=list)
    meeting_format: Mapped[MeetingFormat] = mapped_column(
        enum_column(MeetingFormat, "meeting_format")
    )
    days: Mapped[list[str]] = mapped_column(json_column(), default=list)
    times: Mapped[list[str]] = mapped_column(json_column(), default=list)
    # Mentors only: how many mentees at once (NULL = the organisation's default).
    capacity: Mapped[int | None] = mapped_column()
    unavailable_until: Mapped[date | None] = mapped_column(sa.Date)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
