"""A pair's rhythm: cadence cycles with their check-in, the meeting log, agreed meeting dates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column, json_column
from models.enums import CycleStatus, MeetingFormat, MeetingKind

OPEN_CYCLE = sa.text("status IN ('open', 'postponed')")


class PairCycle(Base):
    """One cadence period of an active pair. At its end both sides are asked "did you meet?";
    the first answer settles it for both."""

    __tablename__ = "pair_cycle"
    __table_args__: Any = (
        sa.UniqueConstraint("pair_id", "number", name="uq_pair_cycle_pair_number"),
        sa.Index("ix_pair_cycle_due", "status", "ends_at"),
        # At most one cycle of a pair is under way; the rhythm job also finds pairs without one
        # through this index, whatever the planner knows of the table.
        sa.Index(
            "uq_pair_cycle_open",
            "pair_id",
            unique=True,
            sqlite_where=OPEN_CYCLE,
            postgresql_where=OPEN_CYCLE,
        ),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_pair.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When the check-in is due (the cycle's last day, moved into the sending window).
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[CycleStatus] = mapped_column(enum_column(CycleStatus, "cycle_status"))
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    postponed_to: Mapped[date | None] = mapped_column(sa.Date)


class Meeting(Base):
    """журнал встреч: one meeting of a pair, with its feedback."""

    __tablename__ = "meeting"
    __table_args__: Any = (
        sa.CheckConstraint("usefulness IS NULL OR usefulness BETWEEN 1 AND 5", name="usefulness"),
        sa.CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes BETWEEN 5 AND 600", name="duration"
        ),
        sa.Index("ix_meeting_pair_held", "pair_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_pair.id", ondelete="CASCADE"))
    cycle_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("pair_cycle.id", ondelete="SET NULL")
    )
    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind, "meeting_kind"))
    held_on: Mapped[date] = mapped_column(sa.Date)
    meeting_format: Mapped[MeetingFormat | None] = mapped_column(
        enum_column(MeetingFormat, "meeting_format")
    )
    duration_minutes: Mapped[int | None] = mapped_column()
    topic: Mapped[str | None] = mapped_column(sa.String(200))
    usefulness: Mapped[int | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(sa.Text)
    next_step: Mapped[str | None] = mapped_column(sa.String(300))
    # Every answer of the feedback form by question id, as the form (data) defined it then.
    answers: Mapped[dict[str, Any]] = mapped_column(json_column(), default=dict)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AgreedMeeting(Base):
    """A date the pair agreed on ("Thursday 16:00"): reminders a day and an hour before."""

    __tablename__ = "agreed_meeting"
    __table_args__: Any = (sa.Index("ix_agreed_meeting_pair_at", "pair_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_pair.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    cancelled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
