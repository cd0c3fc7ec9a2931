"""Enumerations stored in the database (their values are the stored strings)."""

from __future__ import annotations

import enum


class RoleKind(enum.StrEnum):
    PARTICIPANT = "participant"
    CURATOR = "curator"
    HEAD = "head"
    COORDINATOR = "coordinator"
    SUPERADMIN = "superadmin"


class ProgrammeRole(enum.StrEnum):
    """What a participant intends to be in the programme."""

    MENTEE = "mentee"
    MENTOR = "mentor"
    EITHER = "either"


class InviteRole(enum.StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"
    EITHER = "either"
    CURATOR = "curator"
    HEAD = "head"

    @property
    def is_staff(self) -> bool:
        return self in (InviteRole.CURATOR, InviteRole.HEAD)


class PersonStatus(enum.StrEnum):
    ACTIVE = "active"
    # The person blocked the bot (403 or a "kicked" chat-member update); nothing is sent until they
    # write again.
    UNREACHABLE = "unreachable"


class NotificationStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
