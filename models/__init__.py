"""SQLAlchemy models. Importing this package registers every table on `Base.metadata`."""

from models.audit import AuditEntry
from models.base import Base, UTCDateTime
from models.enums import (
    InviteRole,
    NotificationStatus,
    PersonStatus,
    ProgrammeRole,
    RoleKind,
)
from models.invite import Invite
from models.notification import Notification
from models.organisation import Organisation
from models.person import Person
from models.role import RoleAssignment

__all__ = [
    "AuditEntry",
    "Base",
    "Invite",
    "InviteRole",
    "Notification",
    "NotificationStatus",
    "Organisation",
    "Person",
    "PersonStatus",
    "ProgrammeRole",
    "RoleAssignment",
    "RoleKind",
    "UTCDateTime",
]
