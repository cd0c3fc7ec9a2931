"""Each person's rights over their data: see it, download it, withdraw consent (erasure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AuditEntry,
    Consent,
    ConsentDecision,
    FormProgress,
    MentoringPair,
    MentoringRequest,
    MessengerAccount,
    Notification,
    NotificationStatus,
    Organisation,
    Person,
    PersonStatus,
    Profile,
    RoleAssignment,
    RoleKind,
)
from services.core import audit
from services.core.clock import Clock
from services.core.errors import StaleAction
from services.core.transactions import Transactions
from services.outbox import notify
from services.people.consent import latest_decisions
from services.people.mentoring_erasure import erase_mentoring_data
from services.questionnaires.personal_data import answers_of, erase_answers

# Any fixed number; it names the PostgreSQL advisory lock that orders withdrawals.
WITHDRAWAL_LOCK_KEY = 152_021

# What "erased" means, listed in the audit entry so an inspector can see it.
ERASED_FIELDS = ("messenger_accounts", "full_name", "username", "profile", "request_texts")


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    organisation_name: str
    decision: ConsentDecision
    version: int | None
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class MessengerAccountRecord:
    messenger: str
    external_user_id: str


@dataclass(frozen=True, slots=True)
class PrivacyOverview:
    """Everything stored about the person, in words the /privacy screen shows."""

    accounts: list[MessengerAccountRecord]
    full_name: str | None
    locale: str
    first_contact: datetime
    roles: list[tuple[str, RoleKind, str | None]]
    consents: list[ConsentRecord]
    profiles: list[dict[str, Any]]
    notifications: int
    log_entries: int
    username: str | None = None
    requests: int = 0
    pairs: int = 0
    has_agreed: bool = False
    organisation_names: list[str] = field(default_factory=list)
    # The zone of the person's first organisation: everything a person sees is in that zone.
    timezone: str | None = None

    def account(self, messenger: str) -> str | None:
        """Their id in `messenger`, for the screen of that messenger's adapter."""
        return next((a.external_user_id for a in self.accounts if a.messenger == messenger), None)


@dataclass(frozen=True, slots=True)
class Withdrawal:
    number: int
    organisation_ids: list[int]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class PrivacyService:
    def __init__(self, transactions: Transactions, clock: Clock) -> None:
        self._transactions = transactions
        self._clock = clock

    async def overview(self, person_id: int) -> PrivacyOverview:
        async with self._transactions.read() as session:
            data = await self._collect(session, person_id)
            timezone = await session.scalar(
                select(Organisation.timezone)
                .join(RoleAssignment, RoleAssignment.organisation_id == Organisation.id)
                .where(RoleAssignment.person_id == person_id)
                .order_by(RoleAssignment.id)
                .limit(1)
            ) or await session.scalar(
                # Someone who declined has no role left, only the decision.
                select(Organisation.timezone)
                .join(Consent, Consent.organisation_id == Organisation.id)
                .where(Consent.person_id == person_id)
                .order_by(Consent.id)
                .limit(1)
            )
        consents = [
            ConsentRecord(
                row["organisation"],
                ConsentDecision(row["decision"]),
                row["version"],
                datetime.fromisoformat(row["decided_at"]),
            )
            for row in data["consents"]
        ]
        latest: dict[str, ConsentRecord] = {}
        for record in consents:
            latest[record.organisation_name] = record
        return PrivacyOverview(
            accounts=[
                MessengerAccountRecord(account["messenger"], account["external_user_id"])
                for account in data["messenger_accounts"]
            ],
            full_name=data["person"]["full_name"],
            locale=data["person"]["language"],
            first_contact=datetime.fromisoformat(data["person"]["first_contact"]),
            roles=[
                (role["organisation"], RoleKind(role["role"]), role["programme_role"])
                for role in data["roles"]
            ],
            consents=consents,
            profiles=data["profiles"],
            notifications=len(data["notifications"]),
            log_entries=len(data["activity_log"]),
            username=data["person"]["username"],
            requests=len(data["requests"]),
            pairs=len(data["pairs"]),
            has_agreed=any(r.decision == ConsentDecision.AGREED for r in latest.values()),
            organisation_names=sorted({role["organisation"] for role in data["roles"]}),
            timezone=timezone,
        )

    async def export(self, person_id: int) -> dict[str, Any]:
        """Everything stored about the person, as JSON-ready data (the "Download my data" file)."""
        async with self._transactions.read() as session:
            data = await self._collect(session, person_id)
        data["exported_at"] = self._clock.now().isoformat()
        return data

    async def _collect(self, session: AsyncSession, person_id: int) -> dict[str, Any]:
        person = await session.get(Person, person_id)
        accounts = (
            await session.scalars(
                select(MessengerAccount)
                .where(MessengerAccount.person_id == person_id)
                .order_by(MessengerAccount.id)
            )
        ).all()
        if person is None or not accounts:
            raise StaleAction
        names = {
            organisation.id: organisation.name
            for organisation in await session.scalars(select(Organisation))
        }
        roles = await session.scalars(
            select(RoleAssignment).where(RoleAssignment.person_id == person_id)
        )
        consents = await session.scalars(
            select(Consent).where(Consent.person_id == person_id).order_by(Consent.id)
        )
        profiles = await session.scalars(select(Profile).where(Profile.person_id == person_id))
        notifications = await session.scalars(
            select(Notification)
            .where(Notification.recipient_id == person_id)
            .order_by(Notification.id)
        )
        requests = await session.scalars(
            select(MentoringRequest)
            .where(MentoringRequest.mentee_id == person_id)
            .order_by(MentoringRequest.id)
        )
        pairs = await session.scalars(
            select(MentoringPair)
            .where(or_(MentoringPair.mentor_id == person_id, MentoringPair.mentee_id == person_id))
            .order_by(MentoringPair.id)
        )
        # The audit trail of what they did or what was done to them: action and time only,
        # because its details may name other people's ids.
        log = await session.scalars(
            select(AuditEntry)
            .where(or_(AuditEntry.actor_id == person_id, AuditEntry.target_person_id == person_id))
            .order_by(AuditEntry.id)
        )
        return {
            "person": {
                "full_name": person.full_name,
                "username": person.username,
                "language": person.locale,
                "status": person.status.value,
                "first_contact": _iso(person.created_at),
                "last_seen": _iso(person.last_seen_at),
                "unreachable_since": _iso(person.unreachable_since),
            },
            "messenger_accounts": [
                {
                    "messenger": account.messenger,
                    "external_user_id": account.external_user_id,
                    "chat_id": account.chat_id,
                    "since": _iso(account.created_at),
                }
                for account in accounts
            ],
            "roles": [
                {
                    "organisation": names.get(role.organisation_id or 0, ""),
                    "role": role.role.value,
                    "programme_role": role.programme_role.value if role.programme_role else None,
                    "since": _iso(role.granted_at),
                }
                for role in roles
            ],
            "consents": [
                {
                    "organisation": names.get(consent.organisation_id, ""),
                    "decision": consent.decision.value,
                    "version": consent.version,
                    "decided_at": _iso(consent.decided_at),
                }
                for consent in consents
            ],
            "profiles": [
                {
                    "organisation": names.get(profile.organisation_id, ""),
                    "position": profile.position,
                    "subjects": list(profile.subjects),
                    "experience_years": profile.experience_years,
                    "organisation_years": profile.organisation_years,
                    "role": profile.role.value,
                    "mentee_category": (
                        profile.mentee_category.value if profile.mentee_category else None
                    ),
                    "offered_domains": list(profile.offered_domains),
                    "needed_domains": list(profile.needed_domains),
                    "meeting_format": profile.meeting_format.value,
                    "days": list(profile.days),
                    "times": list(profile.times),
                    "capacity": profile.capacity,
                    "unavailable_until": (
                        profile.unavailable_until.isoformat() if profile.unavailable_until else None
                    ),
                    "completed_at": _iso(profile.completed_at),
                    "updated_at": _iso(profile.updated_at),
                }
                for profile in profiles
            ],
            "requests": [
                {
                    "organisation": names.get(request.organisation_id, ""),
                    "topics": list(request.topics),
                    "difficulty": request.difficulty,
                    "hopes": request.hopes,
                    "meeting_format": request.meeting_format.value,
                    "mentoring_type": request.mentoring_type.value,
                    "group_ok": request.group_ok,
                    "urgency": request.urgency.value,
                    "status": request.status.value,
                    "created_at": _iso(request.created_at),
                }
                for request in requests
            ],
            # The other side of a pair is someone else's data: only the pair itself is listed.
            "pairs": [
                {
                    "organisation": names.get(pair.organisation_id, ""),
                    "role": "mentor" if pair.mentor_id == person_id else "mentee",
                    "status": pair.status.value,
                    "created_at": _iso(pair.created_at),
                    "started_at": _iso(pair.started_at),
                    "ended_at": _iso(pair.ended_at),
                }
                for pair in pairs
            ],
            "questionnaires": await answers_of(session, person_id),
            "notifications": [
                {
                    "kind": notification.kind,
                    "status": notification.status.value,
                    "due_at": _iso(notification.due_at),
                    "sent_at": _iso(notification.sent_at),
                }
                for notification in notifications
            ],
            "activity_log": [
                {
                    "action": entry.action,
                    "organisation": names.get(entry.organisation_id or 0, ""),
                    "at": _iso(entry.occurred_at),
                }
                for entry in log
            ],
        }

    async def withdraw(self, person_id: int) -> Withdrawal:
        """Stop processing at once: erase personal fields in this very transaction.

        The person row stays, anonymised, as "withdrawn participant #N" so that counts and later
        aggregates stay true; the curators are told without any personal detail.
        """
        now = self._clock.now()
        async with self._transactions.write() as session:
            if self._transactions.dialect == "postgresql":
                # Withdrawals are rare; taking them one at a time lets "max + 1" give each person
                # their own number N (SQLite's BEGIN IMMEDIATE already does this).
                await session.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": WITHDRAWAL_LOCK_KEY}
                )
            person = await session.scalar(
                select(Person).where(Person.id == person_id).with_for_update()
            )
            account = await session.scalar(
                select(MessengerAccount.id).where(MessengerAccount.person_id == person_id).limit(1)
            )
            if person is None or account is None:
                # Gone, or already erased (an erased person has no account left).
                raise StaleAction
            decisions = await latest_decisions(session, person_id)
            if not any(d.decision == ConsentDecision.AGREED for d in decisions.values()):
                # Nothing to withdraw: a forged or stale button, or the same messenger user back
                # as a new person after an earlier withdrawal. Erasing them would invent a
                # "withdrawn participant" who never took part.
                raise StaleAction
            organisation_ids = sorted(
                {
                    role.organisation_id
                    for role in await session.scalars(
                        select(RoleAssignment).where(
                            RoleAssignment.person_id == person_id,
                            RoleAssignment.role == RoleKind.PARTICIPANT,
                        )
                    )
                    if role.organisation_id is not None
                }
            )
            for organisation_id in organisation_ids:
                previous = decisions.get(organisation_id)
                session.add(
                    Consent(
                        person_id=person_id,
                        organisation_id=organisation_id,
                        decision=ConsentDecision.WITHDRAWN,
                        version=previous.version if previous else None,
                        decided_at=now,
                    )
                )
            number = (await session.scalar(select(func.max(Person.withdrawn_number))) or 0) + 1
            await session.execute(delete(Profile).where(Profile.person_id == person_id))
            # A form in progress holds their answers (a name, a request's words): gone too.
            await session.execute(delete(FormProgress).where(FormProgress.person_id == person_id))
            await erase_answers(session, person_id)
            await session.execute(
                update(Notification)
                .where(
                    Notification.recipient_id == person_id,
                    Notification.status == NotificationStatus.PENDING,
                )
                .values(status=NotificationStatus.CANCELLED)
            )
            # Staff roles end too: an anonymous row cannot curate anything.
            await session.execute(
                delete(RoleAssignment).where(
                    RoleAssignment.person_id == person_id,
                    RoleAssignment.role != RoleKind.PARTICIPANT,
                )
            )
            await erase_mentoring_data(session, person_id, now)
            # Without an account the person can no longer be identified or written to.
            await session.execute(
                delete(MessengerAccount).where(MessengerAccount.person_id == person_id)
            )
            person.full_name = None
            person.username = None
            person.status = PersonStatus.WITHDRAWN
            person.withdrawn_number = number
            person.unreachable_since = None
            audit.record(
                session,
                at=now,
                action="person.erased",
                actor_id=person_id,
                target_person_id=person_id,
                reason="consent_withdrawn",
                fields=list(ERASED_FIELDS),
                withdrawn_number=number,
            )
            for organisation_id in organisation_ids:
                audit.record(
                    session,
                    at=now,
                    action="consent.withdrawn",
                    actor_id=person_id,
                    organisation_id=organisation_id,
                )
                await self._tell_curators(session, organisation_id, number, now)
            return Withdrawal(number, organisation_ids)

    async def _tell_curators(
        self, session: AsyncSession, organisation_id: int, number: int, now: datetime
    ) -> None:
        organisation = await session.get(Organisation, organisation_id)
        await notify.curators(
            session,
            organisation_id,
            "participant_withdrew",
            f"{organisation_id}:{number}",
            now,
            organisation_name=organisation.name if organisation else "",
            number=number,
        )
