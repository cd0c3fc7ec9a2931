"""SQLAlchemy models. Importing this package registers every table on `Base.metadata`."""

from models.audit import AuditEntry
from models.base import Base, UTCDateTime
from models.consent import Consent, ConsentDocument
from models.enums import (
    ChangeReason,
    CompetenceDomain,
    ConsentDecision,
    DeclineReason,
    InviteRole,
    MeetingFormat,
    MenteeCategory,
    MentoringType,
    NotificationStatus,
    OfferStatus,
    PairOrigin,
    PairStatus,
    PersonStatus,
    PetitionKind,
    PetitionStatus,
    ProfileRole,
    ProgrammeRole,
    RequestStatus,
    RequestTopic,
    RoleKind,
    Urgency,
)
from models.invite import Invite
from models.mentoring import MentoringRequest, RequestOffer
from models.notification import Notification
from models.organisation import Organisation
from models.pair import MentoringGroup, MentoringPair, PairingBlock, PairOrder, PairPetition
from models.person import Person
from models.profile import Profile
from models.role import RoleAssignment

__all__ = [
    "AuditEntry",
    "Base",
    "ChangeReason",
    "CompetenceDomain",
    "Consent",
    "ConsentDecision",
    "ConsentDocument",
    "DeclineReason",
    "Invite",
    "InviteRole",
    "MeetingFormat",
    "MenteeCategory",
    "MentoringGroup",
    "MentoringPair",
    "MentoringRequest",
    "MentoringType",
    "Notification",
    "NotificationStatus",
    "OfferStatus",
    "Organisation",
    "PairOrder",
    "PairOrigin",
    "PairPetition",
    "PairStatus",
    "PairingBlock",
    "Person",
    "PersonStatus",
    "PetitionKind",
    "PetitionStatus",
    "Profile",
    "ProfileRole",
    "ProgrammeRole",
    "RequestOffer",
    "RequestStatus",
    "RequestTopic",
    "RoleAssignment",
    "RoleKind",
    "UTCDateTime",
    "Urgency",
]
