from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column
from models.enums import PersonStatus


class Person(Base):
    """Anyone who has written to the bot. Personal details are added only after consent.

    How to reach them lives in `MessengerAccount`; a person without an account (erased after
    withdrawing consent) can no longer be identified.
    """

    __tablename__ = "person"
    __table_args__ = (sa.CheckConstraint("locale IN ('ru', 'en')", name="locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The name as the person gives it in their profile (never copied from the messenger).
    full_name: Mapped[str | None] = mapped_column(sa.String(200))
    # The messenger @username, kept current on every update, so paired people can reach each other.
    username: Mapped[str | None] = mapped_column(sa.String(64))
    locale: Mapped[str] = mapped_column(sa.String(8))
    status: Mapped[PersonStatus] = mapped_column(
        enum_column(PersonStatus, "person_status"), default=PersonStatus.ACTIVE
    )
    unreachable_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "Withdrawn participant #N" in lists and aggregates after consent is withdrawn.
    withdrawn_number: Mapped[int | None] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
