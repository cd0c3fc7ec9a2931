from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, json_column


class Questionnaire(Base):
    """One version of a questionnaire's definition: a built-in one (no organisation) or one a
    curator uploaded for their organisation. Never changed once stored: each answer points at the
    version that was answered, so a new version never changes answers already given."""

    __tablename__ = "questionnaire"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(24), index=True)
    version: Mapped[int]
    audience: Mapped[str] = mapped_column(sa.String(16))
    # The definition as validated (services/questionnaires/schema.py), in JSON.
    definition: Mapped[dict[str, Any]] = mapped_column(json_column())
    # The file as the curator uploaded it (comments and all), offered back for download.
    source: Mapped[str] = mapped_column(sa.Text())
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuestionnaireResponse(Base):
    """One person's answers to one questionnaire version, asked for one reason (`subject`: a
    campaign, a meeting, a pair's fit check). Answers are kept as they are given, so a person
    who leaves comes back to the question they stopped at; `submitted_at` marks the end, and
    the unique subject per person makes a second submission impossible."""

    __tablename__ = "questionnaire_response"
    __table_args__ = (sa.UniqueConstraint("person_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    pair_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_pair.id", ondelete="SET NULL"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("survey_campaign.id", ondelete="CASCADE"), index=True
    )
    # Why it is asked: "campaign:12", "meeting:55", "fit:7"… one answer per person and subject.
    subject: Mapped[str] = mapped_column(sa.String(64))
    # The side the person answered as: mentor, mentee, curator (groups in the results).
    respondent_role: Mapped[str] = mapped_column(sa.String(16))
    answers: Mapped[dict[str, Any]] = mapped_column(json_column(), default=dict)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class SurveyCampaign(Base):
    """A questionnaire sent to an audience with a deadline (by a curator with /survey, or by the
    bot when a pair reaches a point: its start, its first meeting, its end). Each invited person
    gets a response row at launch; the campaign's numbers are counted from those rows."""

    __tablename__ = "survey_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    questionnaire_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire.id", ondelete="CASCADE")
    )
    # Who was asked: mentees, mentors, pairs (both sides of every active pair), pair, year.
    audience: Mapped[str] = mapped_column(sa.String(16))
    pair_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_pair.id", ondelete="SET NULL")
    )
    deadline: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    invited: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Reminders already queued: "before" (two days ahead), "day" (on the deadline day).
    reminded: Mapped[list[str]] = mapped_column(json_column(), default=list)
