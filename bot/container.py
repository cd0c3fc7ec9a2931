"""Builds the services once per process; handlers and scheduled jobs receive the same ones."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from services.clock import Clock
from services.invites import InviteService
from services.organisations import OrganisationService
from services.outbox import OutboxService
from services.people import PeopleService
from services.transactions import Transactions


@dataclass(frozen=True, slots=True)
class Services:
    people: PeopleService
    organisations: OrganisationService
    invites: InviteService
    outbox: OutboxService


def build_services(transactions: Transactions, clock: Clock, settings: Settings) -> Services:
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
    )
