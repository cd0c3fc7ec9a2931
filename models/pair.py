"""Mentoring pairs and groups, the orders that fix them, petitions to change them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column
from models.enums import (
    ChangeReason,
    MentoringType,
    PairOrigin,
    PairStatus,
    PetitionKind,
    PetitionStatus,
)

LIVE_PAIR = sa.text("status IN ('pending_order', 'active', 'paused')")
PENDING_PETITION = sa.text("status = 'pending'")


class PairOrder(Base):
    """приказ о закреплении наставнических пар: one order may fix many pairs."""

    __tablename__ = "pair_order"
    __table_args__: Any = (
        sa.UniqueConstraint(
            "organisation_id", "number", "order_date", name="uq_pair_order_number_date"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(sa.String(40))
    order_date: Mapped[date] = mapped_column(sa.Date)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MentoringGroup(Base):
    """Group mentoring: one mentor, several mentees, each mentee still with their own pair row."""

    __tablename__ = "mentoring_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MentoringPair(Base):
    """наставническая пара: one mentor and one mentee, from the match to the end."""

    __tablename__ = "mentoring_pair"
    __table_args__: Any = (
        sa.CheckConstraint("mentor_id <> mentee_id", name="distinct_people"),
        sa.Index(
            "uq_mentoring_pair_live_people",
            "mentor_id",
            "mentee_id",
            unique=True,
            sqlite_where=LIVE_PAIR,
            postgresql_where=LIVE_PAIR,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    mentee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_request.id", ondelete="SET NULL"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_group.id", ondelete="SET NULL"), index=True
    )
    order_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("pair_order.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[PairStatus] = mapped_column(enum_column(PairStatus, "pair_status"))
    origin: Mapped[PairOrigin] = mapped_column(enum_column(PairOrigin, "pair_origin"))
    mentoring_type: Mapped[MentoringType] = mapped_column(
        enum_column(MentoringType, "mentoring_type")
    )
    score: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_until: Mapped[date | None] = mapped_column(sa.Date)
    # The pair's agreed cadence in days (NULL = the organisation's default).
    cadence_days: Mapped[int | None] = mapped_column()
    # Cycles in a row that ended without a met meeting (quiet-pair escalation).
    silent_cycles: Mapped[int] = mapped_column(default=0, server_default="0")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[ChangeReason | None] = mapped_column(
        enum_column(ChangeReason, "change_reason")
    )


class PairPetition(Base):
    """A mentee's petition for another mentor or a mentor's application to be relieved."""

    __tablename__ = "pair_petition"
    __table_args__: Any = (
        sa.Index(
            "uq_pair_petition_pending_pair",
            "pair_id",
            unique=True,
            sqlite_where=PENDING_PETITION,
            postgresql_where=PENDING_PETITION,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_pair.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[PetitionKind] = mapped_column(enum_column(PetitionKind, "petition_kind"))
    status: Mapped[PetitionStatus] = mapped_column(enum_column(PetitionStatus, "petition_status"))
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL")
    )
    reason: Mapped[ChangeReason] = mapped_column(enum_column(ChangeReason, "change_reason"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PairingBlock(Base):
    """ "Don't pair us again": never suggest this mentor to this mentee."""

    __tablename__ = "pairing_block"
    __table_args__: Any = (
        sa.UniqueConstraint("mentee_id", "mentor_id", name="uq_pairing_block_people"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentee_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
