from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column
from models.enums import InviteRole


class Invite(Base):
    """A deep-link code that lets a person join an organisation in a given role."""

    __tablename__ = "invite"
    __table_args__ = (
        sa.CheckConstraint("uses >= 0", name="uses_not_negative"),
        sa.CheckConstraint("max_uses IS NULL OR uses <= max_uses", name="uses_within_limit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[InviteRole] = mapped_column(enum_column(InviteRole, "invite_role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    uses: Mapped[int] = mapped_column(default=0)
    # Staff invites are single-use so a forwarded link cannot make strangers curators.
    max_uses: Mapped[int | None] = mapped_column()
