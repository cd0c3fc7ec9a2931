from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, json_column


class FormProgress(Base):
    """A form someone is answering (profile, request, plan task, meeting…), kept here rather than
    in the FSM storage so that a restart does not lose it. One per person: a new form replaces
    the old one. Kept after submitting until it expires, so a second Confirm is told "already
    done" instead of saving twice."""

    __tablename__ = "form_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), unique=True
    )
    form_id: Mapped[str] = mapped_column(sa.String(64))
    # What the form is about (a pair, a meeting, edit or create) and options resolved at start.
    context: Mapped[dict[str, Any]] = mapped_column(json_column(), default=dict)
    answers: Mapped[dict[str, Any]] = mapped_column(json_column(), default=dict)
    # The question on screen; NULL: the summary.
    current_question: Mapped[str | None] = mapped_column(sa.String(64))
    reviewing: Mapped[bool] = mapped_column(default=False)
    # The message showing the current question; NULL until it was delivered.
    message_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    step: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
