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
    # A municipal coordinator: sees the organisation's counts, never its people (superadmin only).
    COORDINATOR = "coordinator"

    @property
    def is_staff(self) -> bool:
        return self in (InviteRole.CURATOR, InviteRole.HEAD, InviteRole.COORDINATOR)


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


class RequestTopic(enum.StrEnum):
    """What a mentee asks help with (DOMAIN §3, 003 L379)."""

    SUBJECT_CONTENT = "subject_content"
    TEACHING_METHODS = "teaching_methods"
    UPBRINGING = "upbringing"
    LESSONS_AND_ACTIVITIES = "lessons_activities"
    PSYCHOLOGICAL_SUPPORT = "psychological_support"
    PARENTS = "parents"
    ADDITIONAL_EDUCATION = "additional_education"


class MentoringType(enum.StrEnum):
    """The kinds of mentoring a mentee may ask for (DOMAIN §3); group is a separate yes/no."""

    TRADITIONAL = "traditional"
    SHORT_TERM = "short_term"
    SITUATIONAL = "situational"


class Urgency(enum.StrEnum):
    MONTH = "month"
    TWO_WEEKS = "two_weeks"
    THIS_WEEK = "this_week"


class RequestStatus(enum.StrEnum):
    # Waiting for the mentee's (or the curator's) choice of mentor, or for a mentor to take it.
    OPEN = "open"
    # Sent to one mentor, who has not answered yet.
    AWAITING_MENTOR = "awaiting_mentor"
    MATCHED = "matched"
    WITHDRAWN = "withdrawn"
    # Closed without a pair: the mentee withdrew consent or left the programme.
    CLOSED = "closed"

    @property
    def is_live(self) -> bool:
        return self in (RequestStatus.OPEN, RequestStatus.AWAITING_MENTOR)


class OfferStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class DeclineReason(enum.StrEnum):
    NO_TIME = "no_time"
    OUTSIDE_EXPERTISE = "outside_expertise"
    PERSONAL = "personal"
    CONFLICT_OF_INTEREST = "conflict"
    OTHER = "other"


class PairStatus(enum.StrEnum):
    PENDING_ORDER = "pending_order"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"

    @property
    def is_live(self) -> bool:
        return self in (PairStatus.PENDING_ORDER, PairStatus.ACTIVE, PairStatus.PAUSED)


class PairOrigin(enum.StrEnum):
    """How a pair came about (reports and the audit trail)."""

    MENTOR_ACCEPTED = "mentor_accepted"
    MENTOR_TOOK = "mentor_took"
    CURATOR_ASSIGNED = "curator_assigned"
    COHORT_MATCH = "cohort_match"


class PetitionKind(enum.StrEnum):
    # ходатайство о замене наставника
    REPLACE_MENTOR = "replace_mentor"
    # заявление о сложении обязанностей наставника
    RELIEVE_MENTOR = "relieve_mentor"


class PetitionStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ChangeReason(enum.StrEnum):
    """Why a pair asks to end or ends early."""

    NO_CONTACT = "no_contact"
    MISMATCH = "mismatch"
    WORKLOAD = "workload"
    PERSONAL = "personal"
    LEFT = "left"
    OTHER = "other"


class MeetingKind(enum.StrEnum):
    """The sequence of a pair's meetings (DOMAIN §5, 004): знакомство → планирование → regular →
    итоговая."""

    INTRODUCTION = "introduction"
    PLANNING = "planning"
    REGULAR = "regular"
    FINAL = "final"


class CycleStatus(enum.StrEnum):
    """One cadence cycle of a pair and the answer to "did you meet?"."""

    OPEN = "open"  # running, or asked and not answered yet
    MET = "met"
    POSTPONED = "postponed"
    MISSED = "missed"  # "didn't meet", or the cycle ended with no answer


class TaskAssignee(enum.StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"  # the assignee marked it done
    CHECKED = "checked"  # the mentor confirmed it
    RETURNED = "returned"  # the mentor sent it back with a comment
