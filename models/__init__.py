"""SQLAlchemy models. Importing this package registers every table on `Base.metadata`."""

from models.audit import AuditEntry
from models.base import Base, UTCDateTime
from models.consent import Consent, ConsentDocument
from models.enums import (
    CompetenceDomain,
    ConsentDecision,
    InviteRole,
    MeetingFormat,
    MenteeCategory,
    NotificationStatus,
    PersonStatus,
    ProfileRole,
    ProgrammeRole,
    RoleKind,
)
from models.invite import Invite
from models.notification import Notification
from models.organisation import Organisation
from models.person import Person
from models.profile import Profile
from models.role import RoleAssignment

__all__ = [
    "AuditEntry",
    "Base",
    "CompetenceDomain",
    "Consent",
    "ConsentDecision",
    "ConsentDocument",
    "Invite",
    "InviteRole",
    "MeetingFormat",
    "MenteeCategory",
    "Notification",
    "NotificationStatus",
    "Organisation",
    "Person",
    "PersonStatus",
    "Profile",
    "ProfileRole",
    "ProgrammeRole",
    "RoleAssignment",
    "RoleKind",
    "UTCDateTime",
]
