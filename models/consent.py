from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_column
from models.enums import ConsentDecision


class ConsentDocument(Base):
    """The exact consent text shown, per organisation, version and language.

    Kept so that anyone can see, years later, what a person agreed to. A new version is created
    whenever the rendered text changes (the template, the operator's name or address, the period).
    """

    __tablename__ = "consent_document"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "version", "locale", name="org_version_locale"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column()
    locale: Mapped[str] = mapped_column(sa.String(8))
    text: Mapped[str] = mapped_column(sa.Text)
    # sha256 of all languages' texts of this version: how a change is noticed.
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Consent(Base):
    """One decision of one person about one organisation's consent text. History is kept."""

    __tablename__ = "consent"
    __table_args__ = (sa.Index("ix_consent_person_org", "person_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[ConsentDecision] = mapped_column(
        enum_column(ConsentDecision, "consent_decision")
    )
    version: Mapped[int | None] = mapped_column()
    document_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consent_document.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
