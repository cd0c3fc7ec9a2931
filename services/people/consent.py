"""Consent to the processing of personal data (152-ФЗ art. 9 as amended by 156-ФЗ).

The consent text is a separate document per organisation, version and language. Its exact words
are stored, and a new version appears whenever they change; a participant who agreed to an older
version is asked again before anything else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Consent,
    ConsentDecision,
    ConsentDocument,
    Organisation,
    Person,
    ProgrammeRole,
    RoleAssignment,
    RoleKind,
)
from services.core import audit
from services.core.access import load_actor
from services.core.clock import Clock
from services.core.errors import StaleAction, ValidationFailed
from services.core.identity import AccountKey
from services.core.lookups import organisation_of
from services.core.transactions import Transactions

DEFAULT_RETENTION_YEARS = 3
RETENTION_CHOICES = (1, 3, 5)
RETENTION_SETTING = "consent_retention_years"


@dataclass(frozen=True, slots=True)
class ConsentContext:
    """What the consent text names: the operator, its address and the storage period."""

    organisation_name: str
    address: str
    retention_years: int


class ConsentTexts(Protocol):
    """Renders the consent document in one language (a template in the bot layer)."""

    def render_consent(self, context: ConsentContext, locale: str) -> str: ...


@dataclass(frozen=True, slots=True)
class ConsentRequest:
    """A consent the person still has to give: never answered, or a newer version."""

    organisation_id: int
    organisation_name: str
    document_id: int
    version: int
    text: str
    renewal: bool


@dataclass(frozen=True, slots=True)
class ConsentSettings:
    organisation_id: int
    organisation_name: str
    version: int
    retention_years: int
    agreed_to_current: int


@dataclass(frozen=True, slots=True)
class Decision:
    organisation_id: int
    organisation_name: str
    programme_role: ProgrammeRole | None
    version: int


def retention_years(organisation: Organisation) -> int:
    value = (organisation.settings or {}).get(RETENTION_SETTING, DEFAULT_RETENTION_YEARS)
    return (
        value if isinstance(value, int) and value in RETENTION_CHOICES else DEFAULT_RETENTION_YEARS
    )


async def latest_decisions(session: AsyncSession, person_id: int) -> dict[int, Consent]:
    """The person's latest consent decision per organisation."""
    rows = await session.scalars(
        select(Consent).where(Consent.person_id == person_id).order_by(Consent.id)
    )
    return {row.organisation_id: row for row in rows}


async def current_versions(session: AsyncSession, organisation_ids: list[int]) -> dict[int, int]:
    if not organisation_ids:
        return {}
    rows = await session.execute(
        select(ConsentDocument.organisation_id, func.max(ConsentDocument.version))
        .where(ConsentDocument.organisation_id.in_(organisation_ids))
        .group_by(ConsentDocument.organisation_id)
    )
    return {organisation_id: version for organisation_id, version in rows.all()}


class ConsentService:
    def __init__(
        self,
        transactions: Transactions,
        clock: Clock,
        texts: ConsentTexts,
        *,
        locales: tuple[str, ...],
        superadmin_ids: frozenset[AccountKey],
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._texts = texts
        self._locales = locales
        self._superadmin_ids = superadmin_ids

    async def settings_for(self, actor_id: int, organisation_id: int) -> ConsentSettings:
        """The curator's view: current version, storage period, and the text in their language."""
        async with self._transactions.read() as session:
            actor = await load_actor(session, actor_id, self._superadmin_ids)
            actor.require_curator(organisation_id)
            organisation = await organisation_of(session, organisation_id)
            version = (await current_versions(session, [organisation_id])).get(organisation_id, 0)
            agreed = await session.scalar(
                select(func.count(func.distinct(Consent.person_id))).where(
                    Consent.organisation_id == organisation_id,
                    Consent.decision == ConsentDecision.AGREED,
                    Consent.version == version,
                )
            )
            return ConsentSettings(
                organisation_id,
                organisation.name,
                version,
                retention_years(organisation),
                agreed or 0,
            )

    async def set_retention(self, actor_id: int, organisation_id: int, years: int) -> int:
        """Change the storage period; the text changes, so a new version is published and every
        participant is asked again. Returns the new version number."""
        if years not in RETENTION_CHOICES:
            raise ValidationFailed("retention_years", "choice")
        now = self._clock.now()
        async with self._transactions.write() as session:
            actor = await load_actor(session, actor_id, self._superadmin_ids)
            actor.require_curator(organisation_id)
            organisation = await session.scalar(
                select(Organisation).where(Organisation.id == organisation_id).with_for_update()
            )
            if organisation is None:
                raise StaleAction
            if retention_years(organisation) == years:
                raise StaleAction
            organisation.settings = {**(organisation.settings or {}), RETENTION_SETTING: years}
            audit.record(
                session,
                at=now,
                action="organisation.settings_changed",
                actor_id=actor_id,
                organisation_id=organisation_id,
                setting=RETENTION_SETTING,
                value=years,
            )
        await self.refresh_documents(organisation_id)
        async with self._transactions.read() as session:
            versions = await current_versions(session, [organisation_id])
        return versions.get(organisation_id, 0)

    async def refresh_documents(self, organisation_id: int | None = None) -> int:
        """Create a new version wherever the rendered text changed; returns how many were made.

        Run at start-up (a new template ships with a deploy) and after a setting that appears in
        the text changes.
        """
        async with self._transactions.read() as session:
            query = select(Organisation)
            if organisation_id is not None:
                query = query.where(Organisation.id == organisation_id)
            organisations = list((await session.scalars(query)).all())
        created = 0
        for organisation in organisations:
            try:
                created += await self._ensure_current(organisation)
            except IntegrityError:
                # Another instance created the same version at the same moment.
                continue
        return created

    async def _ensure_current(self, organisation: Organisation) -> int:
        context = ConsentContext(
            organisation.name, organisation.address, retention_years(organisation)
        )
        texts = {locale: self._texts.render_consent(context, locale) for locale in self._locales}
        fingerprint = hashlib.sha256(
            "\n\x00\n".join(texts[locale] for locale in sorted(texts)).encode()
        ).hexdigest()
        now = self._clock.now()
        async with self._transactions.write() as session:
            latest = await session.scalar(
                select(ConsentDocument)
                .where(ConsentDocument.organisation_id == organisation.id)
                .order_by(ConsentDocument.version.desc())
                .limit(1)
            )
            if latest is not None and latest.fingerprint == fingerprint:
                return 0
            version = 1 if latest is None else latest.version + 1
            for locale, text in texts.items():
                session.add(
                    ConsentDocument(
                        organisation_id=organisation.id,
                        version=version,
                        locale=locale,
                        text=text,
                        fingerprint=fingerprint,
                        created_at=now,
                    )
                )
            audit.record(
                session,
                at=now,
                action="consent.version_published",
                actor_id=None,
                organisation_id=organisation.id,
                version=version,
            )
            return 1

    async def pending(self, person_id: int, locale: str) -> list[ConsentRequest]:
        """Consents the person must give before using the programme, oldest organisation first."""
        async with self._transactions.read() as session:
            organisation_ids = list(
                (
                    await session.scalars(
                        select(RoleAssignment.organisation_id).where(
                            RoleAssignment.person_id == person_id,
                            RoleAssignment.role == RoleKind.PARTICIPANT,
                        )
                    )
                ).all()
            )
            ids = [i for i in organisation_ids if i is not None]
            if not ids:
                return []
            decisions = await latest_decisions(session, person_id)
            versions = await current_versions(session, ids)
            missing = []
            for organisation_id in sorted(ids):
                decision = decisions.get(organisation_id)
                current = versions.get(organisation_id)
                agreed = decision is not None and decision.decision == ConsentDecision.AGREED
                agreed_version = decision.version or 0 if decision is not None else 0
                if agreed and (current is None or agreed_version >= current):
                    continue
                missing.append((organisation_id, agreed))
            requests = []
            for organisation_id, renewal in missing:
                document = await self._document(session, organisation_id, locale)
                if document is None:
                    continue
                organisation = await session.get(Organisation, organisation_id)
                requests.append(
                    ConsentRequest(
                        organisation_id=organisation_id,
                        organisation_name=organisation.name if organisation else "",
                        document_id=document.id,
                        version=document.version,
                        text=document.text,
                        renewal=renewal,
                    )
                )
            return requests

    async def _document(
        self, session: AsyncSession, organisation_id: int, locale: str
    ) -> ConsentDocument | None:
        documents = list(
            (
                await session.scalars(
                    select(ConsentDocument)
                    .where(ConsentDocument.organisation_id == organisation_id)
                    .order_by(ConsentDocument.version.desc(), ConsentDocument.id)
                )
            ).all()
        )
        if not documents:
            return None
        newest = [d for d in documents if d.version == documents[0].version]
        return next((d for d in newest if d.locale == locale), newest[0])

    async def agree(self, person_id: int, document_id: int) -> Decision:
        """Agree to exactly this document; an outdated or foreign one is a stale button."""
        return await self._decide(person_id, document_id, ConsentDecision.AGREED)

    async def decline(self, person_id: int, document_id: int) -> Decision:
        """Decline a first consent: keep only the refusal and its time, leave the programme."""
        return await self._decide(person_id, document_id, ConsentDecision.DECLINED)

    async def _decide(
        self, person_id: int, document_id: int, decision: ConsentDecision
    ) -> Decision:
        now = self._clock.now()
        async with self._transactions.write() as session:
            document, role = await self._answerable(session, person_id, document_id)
            previous = (await latest_decisions(session, person_id)).get(document.organisation_id)
            agreed_before = previous is not None and previous.decision == ConsentDecision.AGREED
            if decision == ConsentDecision.AGREED:
                # A second press on the same Agree button.
                if agreed_before and previous is not None and previous.version == document.version:
                    raise StaleAction
            elif agreed_before:
                # Declining a renewal is a withdrawal; the privacy service does that.
                raise StaleAction
            session.add(
                Consent(
                    person_id=person_id,
                    organisation_id=document.organisation_id,
                    decision=decision,
                    version=document.version,
                    document_id=document.id,
                    decided_at=now,
                )
            )
            if decision == ConsentDecision.DECLINED:
                await session.execute(delete(RoleAssignment).where(RoleAssignment.id == role.id))
            audit.record(
                session,
                at=now,
                action=f"consent.{decision.value}",
                actor_id=person_id,
                organisation_id=document.organisation_id,
                version=document.version,
                locale=document.locale,
            )
            organisation = await session.get(Organisation, document.organisation_id)
            return Decision(
                document.organisation_id,
                organisation.name if organisation else "",
                role.programme_role,
                document.version,
            )

    async def _answerable(
        self, session: AsyncSession, person_id: int, document_id: int
    ) -> tuple[ConsentDocument, RoleAssignment]:
        document = await session.get(ConsentDocument, document_id)
        # Locks the person: two presses at once are decided one after the other, so the second
        # sees the first's consent (without it PostgreSQL recorded both).
        person = await session.get(Person, person_id, with_for_update=True)
        if document is None or person is None:
            raise StaleAction
        role = await session.scalar(
            select(RoleAssignment).where(
                RoleAssignment.person_id == person_id,
                RoleAssignment.role == RoleKind.PARTICIPANT,
                RoleAssignment.organisation_id == document.organisation_id,
            )
        )
        newest = await session.scalar(
            select(func.max(ConsentDocument.version)).where(
                ConsentDocument.organisation_id == document.organisation_id
            )
        )
        if role is None or newest != document.version:
            raise StaleAction
        return document, role

    async def has_agreed(self, person_id: int, organisation_id: int) -> bool:
        async with self._transactions.read() as session:
            return await has_current_consent(session, person_id, organisation_id)


async def has_current_consent(session: AsyncSession, person_id: int, organisation_id: int) -> bool:
    """True if the person's latest decision is agreement to the organisation's newest version."""
    decision = (await latest_decisions(session, person_id)).get(organisation_id)
    if decision is None or decision.decision != ConsentDecision.AGREED:
        return False
    versions = await current_versions(session, [organisation_id])
    return (decision.version or 0) >= versions.get(organisation_id, 0)
