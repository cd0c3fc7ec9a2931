"""SQLAlchemy models. Importing this package registers every table on `Base.metadata`."""

from models.audit import AuditEntry
from models.base import Base, UTCDateTime
from models.consent import Consent, ConsentDocument
from models.enums import (
    ChangeReason,
    CompetenceDomain,
    ConsentDecision,
    CycleStatus,
    DeclineReason,
    InviteRole,
    MeetingFormat,
    MeetingKind,
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
    TaskAssignee,
    TaskStatus,
    Urgency,
)
from models.form_progress import FormProgress
from models.invite import Invite
from models.meeting import AgreedMeeting, Meeting, PairCycle
from models.mentoring import MentoringRequest, RequestOffer
from models.messenger_account import MessengerAccount
from models.notification import Notification
from models.organisation import Organisation
from models.pair import MentoringGroup, MentoringPair, PairingBlock, PairOrder, PairPetition
from models.person import Person
from models.plan import PlanGoal, PlanTask
from models.profile import Profile
from models.questionnaire import Questionnaire, QuestionnaireResponse, SurveyCampaign
from models.role import RoleAssignment

__all__ = [
    "AgreedMeeting",
    "AuditEntry",
    "Base",
    "ChangeReason",
    "CompetenceDomain",
    "Consent",
    "ConsentDecision",
    "ConsentDocument",
    "CycleStatus",
    "DeclineReason",
    "FormProgress",
    "Invite",
    "InviteRole",
    "Meeting",
    "MeetingFormat",
    "MeetingKind",
    "MenteeCategory",
    "MentoringGroup",
    "MentoringPair",
    "MentoringRequest",
    "MentoringType",
    "MessengerAccount",
    "Notification",
    "NotificationStatus",
    "OfferStatus",
    "Organisation",
    "PairCycle",
    "PairOrder",
    "PairOrigin",
    "PairPetition",
    "PairStatus",
    "PairingBlock",
    "Person",
    "PersonStatus",
    "PetitionKind",
    "PetitionStatus",
    "PlanGoal",
    "PlanTask",
    "Profile",
    "ProfileRole",
    "ProgrammeRole",
    "Questionnaire",
    "QuestionnaireResponse",
    "RequestOffer",
    "RequestStatus",
    "RequestTopic",
    "RoleAssignment",
    "RoleKind",
    "SurveyCampaign",
    "TaskAssignee",
    "TaskStatus",
    "UTCDateTime",
    "Urgency",
]
