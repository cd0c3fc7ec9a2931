"""Builds the services once per process; handlers and scheduled jobs receive the same ones."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from services.checkins import AgreedMeetingService, CheckinService
from services.clock import Clock
from services.cohort_match import CohortMatchService
from services.consent import ConsentService, ConsentTexts
from services.curator_requests import CuratorRequestService
from services.invites import InviteService
from services.meetings import MeetingService
from services.mentor_capacity import MentorCapacityService
from services.offer_expiry import OfferExpiryService
from services.offers import OfferService
from services.organisations import OrganisationService
from services.outbox import OutboxService
from services.pair_cadence import PairCadenceService
from services.pair_orders import PairOrderService
from services.pairs import PairService
from services.participants import ParticipantService
from services.people import PeopleService
from services.petitions import PetitionService
from services.plans import PlanService
from services.privacy import PrivacyService
from services.profiles import ProfileService
from services.programme_settings import ProgrammeSettingsService, SendingWindowService
from services.requests import RequestService
from services.rhythm import RhythmService
from services.transactions import Transactions


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


def build_services(
    transactions: Transactions,
    clock: Clock,
    settings: Settings,
    *,
    consent_texts: ConsentTexts,
    locales: tuple[str, ...],
) -> Services:
    superadmins = settings.superadmin_ids
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
    )
