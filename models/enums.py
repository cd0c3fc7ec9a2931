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
    # Consent withdrawn: personal data erased; the row remains as "withdrawn participant #N".
    WITHDRAWN = "withdrawn"


class NotificationStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class ConsentDecision(enum.StrEnum):
    AGREED = "agreed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class ProfileRole(enum.StrEnum):
    """The role a participant chose in their profile."""

    MENTEE = "mentee"
    MENTOR = "mentor"
    BOTH = "both"

    @property
    def mentors(self) -> bool:
        return self in (ProfileRole.MENTOR, ProfileRole.BOTH)

    @property
    def is_mentee(self) -> bool:
        return self in (ProfileRole.MENTEE, ProfileRole.BOTH)


class MenteeCategory(enum.StrEnum):
    """DOMAIN §3 (003 L109–112, L669)."""

    YOUNG_SPECIALIST = "young_specialist"
    NEW_TO_STAFF = "new_to_staff"
    NEW_TECHNOLOGY = "new_technology"
    NON_PEDAGOGICAL = "non_pedagogical"
    OTHER = "other"


class CompetenceDomain(enum.StrEnum):
    """The nine competence domains for self-diagnosis (DOMAIN §3, 003 L442)."""

    SCIENTIFIC = "scientific"
    REGULATORY = "regulatory"
    SUBJECT = "subject"
    PSYCHOLOGICAL = "psychological"
    METHODOLOGICAL = "methodological"
    ICT = "ict"
    DIGITAL = "digital"
    UPBRINGING = "upbringing"
    HEALTH = "health"


class MeetingFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    ANY = "any"
