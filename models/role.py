from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column
from models.enums import ProgrammeRole, RoleKind


class RoleAssignment(Base):
    """A role a person holds, in one organisation where the role is organisational."""

    __tablename__ = "role_assignment"
    __table_args__ = (
        # NULL organisation (superadmin, coordinator) is made unique by the partial index below.
        sa.UniqueConstraint("person_id", "role", "organisation_id", name="person_role_org"),
        sa.Index(
            "uq_role_assignment_global",
            "person_id",
            "role",
            unique=True,
            sqlite_where=sa.text("organisation_id IS NULL"),
            postgresql_where=sa.text("organisation_id IS NULL"),
        ),
        sa.CheckConstraint(
            "(role IN ('superadmin', 'coordinator')) OR organisation_id IS NOT NULL",
            name="org_required",
        ),
        sa.CheckConstraint(
            "(role = 'participant') = (programme_role IS NOT NULL)",
            name="programme_role_only_for_participants",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    role: Mapped[RoleKind] = mapped_column(enum_column(RoleKind, "role_kind"))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    programme_role: Mapped[ProgrammeRole | None] = mapped_column(
        enum_column(ProgrammeRole, "programme_role")
    )
    invite_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invite.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    granted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="SET NULL")
    )
