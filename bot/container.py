"""Builds the services once per process; handlers and scheduled jobs receive the same ones."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.telegram.identity import superadmin_keys
from services.core.audit_log import AuditLogService
from services.core.clock import Clock
from services.core.transactions import Transactions
from services.forms.progress import FormProgressService
from services.matching.cohort_match import CohortMatchService
from services.organisations.broadcasts import BroadcastService
from services.organisations.invites import InviteService
from services.organisations.participants import ParticipantService
from services.organisations.programme import ProgrammeSettingsService, SendingWindowService
from services.organisations.registry import OrganisationService
from services.outbox.queue import OutboxService
from services.pairs.cadence import PairCadenceService
from services.pairs.capacity import MentorCapacityService
from services.pairs.lifecycle import PairService
from services.pairs.orders import PairOrderService
from services.pairs.petitions import PetitionService
from services.people.consent import ConsentService, ConsentTexts
from services.people.directory import PeopleService
from services.people.privacy import PrivacyService
from services.people.profiles import ProfileService
from services.plans.development_plan import PlanService
from services.questionnaires.answers import AnswerService
from services.questionnaires.automatic import AutomaticSurveys
from services.questionnaires.campaigns import CampaignService
from services.questionnaires.library import QuestionnaireLibrary
from services.questionnaires.results import ResultService
from services.reports.documents import ReportService
from services.reports.figures import FiguresService
from services.reports.stats import StatsService
from services.requests.curator import CuratorRequestService
from services.requests.filing import RequestService
from services.requests.offer_expiry import OfferExpiryService
from services.requests.offers import OfferService
from services.rhythm.checkins import AgreedMeetingService, CheckinService
from services.rhythm.cycles import RhythmService
from services.rhythm.meetings import MeetingService


@dataclass(frozen=True, slots=True)
class Services:
    people: PeopleService
    organisations: OrganisationService
    invites: InviteService
    outbox: OutboxService
    consent: ConsentService
    profiles: ProfileService
    privacy: PrivacyService
    participants: ParticipantService
    programme: ProgrammeSettingsService
    window: SendingWindowService
    requests: RequestService
    curator_requests: CuratorRequestService
    offers: OfferService
    offer_expiry: OfferExpiryService
    pairs: PairService
    orders: PairOrderService
    cadence: PairCadenceService
    petitions: PetitionService
    cohort: CohortMatchService
    rhythm: RhythmService
    checkins: CheckinService
    agreed: AgreedMeetingService
    capacity: MentorCapacityService
    meetings: MeetingService
    plans: PlanService
    forms: FormProgressService
    questionnaires: QuestionnaireLibrary
    answers: AnswerService
    campaigns: CampaignService
    results: ResultService
    automatic_surveys: AutomaticSurveys
    audit_log: AuditLogService
    broadcasts: BroadcastService
    figures: FiguresService
    stats: StatsService
    reports: ReportService


def build_services(
    transactions: Transactions,
    clock: Clock,
    settings: Settings,
    *,
    consent_texts: ConsentTexts,
    locales: tuple[str, ...],
) -> Services:
    # SUPERADMIN_IDS are Telegram user ids; services know them only as account keys.
    superadmins = superadmin_keys(settings.superadmin_ids)
    return Services(
        people=PeopleService(
            transactions,
            clock,
            default_locale=settings.default_locale,
            superadmin_ids=superadmins,
        ),
        organisations=OrganisationService(
            transactions,
            clock,
            superadmin_ids=superadmins,
            invite_ttl_days=settings.invite_ttl_days,
        ),
        invites=InviteService(
            transactions, clock, superadmin_ids=superadmins, ttl_days=settings.invite_ttl_days
        ),
        outbox=OutboxService(transactions, clock),
        consent=ConsentService(
            transactions, clock, consent_texts, locales=locales, superadmin_ids=superadmins
        ),
        profiles=ProfileService(transactions, clock),
        privacy=PrivacyService(transactions, clock),
        participants=ParticipantService(transactions, clock, superadmin_ids=superadmins),
        programme=ProgrammeSettingsService(transactions, clock, superadmin_ids=superadmins),
        window=SendingWindowService(transactions, clock, superadmin_ids=superadmins),
        requests=RequestService(transactions, clock, superadmin_ids=superadmins),
        curator_requests=CuratorRequestService(transactions, clock, superadmin_ids=superadmins),
        offers=OfferService(transactions, clock, superadmin_ids=superadmins),
        offer_expiry=OfferExpiryService(transactions, clock),
        pairs=PairService(transactions, clock, superadmin_ids=superadmins),
        orders=PairOrderService(transactions, clock, superadmin_ids=superadmins),
        cadence=PairCadenceService(transactions, clock, superadmin_ids=superadmins),
        petitions=PetitionService(transactions, clock, superadmin_ids=superadmins),
        cohort=CohortMatchService(transactions, clock, superadmin_ids=superadmins),
        rhythm=RhythmService(transactions, clock),
        checkins=CheckinService(transactions, clock),
        agreed=AgreedMeetingService(transactions, clock),
        capacity=MentorCapacityService(transactions, clock, superadmin_ids=superadmins),
        meetings=MeetingService(transactions, clock, superadmin_ids=superadmins),
        plans=PlanService(transactions, clock, superadmin_ids=superadmins),
        forms=FormProgressService(transactions, clock),
        questionnaires=QuestionnaireLibrary(transactions, clock, superadmin_ids=superadmins),
        answers=AnswerService(transactions, clock),
        campaigns=CampaignService(transactions, clock, superadmin_ids=superadmins),
        results=ResultService(transactions, clock, superadmin_ids=superadmins),
        automatic_surveys=AutomaticSurveys(transactions, clock),
        audit_log=AuditLogService(transactions, clock, superadmin_ids=superadmins),
        broadcasts=BroadcastService(transactions, clock, superadmin_ids=superadmins),
        figures=FiguresService(transactions, clock, superadmin_ids=superadmins),
        stats=StatsService(transactions, clock, superadmin_ids=superadmins),
        reports=ReportService(transactions, clock, superadmin_ids=superadmins),
    )
