"""Participants' profiles: validation of every answer, saving after consent, editing."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CompetenceDomain,
    MeetingFormat,
    MenteeCategory,
    Organisation,
    Person,
    Profile,
    ProfileRole,
    ProgrammeRole,
    RoleAssignment,
    RoleKind,
)
from services.core import audit
from services.core.clock import Clock
from services.core.errors import NotAllowed, StaleAction, ValidationFailed
from services.core.text import clean_text, normalise_text
from services.core.transactions import Transactions
from services.people.consent import has_current_consent

NAME_MAX = 100
POSITION_MAX = 120
SUBJECT_MAX = 60
SUBJECTS_MAX = 8
MAX_EXPERIENCE = 60
MAX_CAPACITY = 10
# Mentees a mentor takes at once when they have not said otherwise (Profile.capacity is NULL).
DEFAULT_CAPACITY = 2
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat")
TIMES = ("morning", "midday", "afternoon", "evening")

_NAME = re.compile(r"^[A-Za-zА-Яа-яЁё]+(?:[ '-][A-Za-zА-Яа-яЁё]+)*$")
_FREE_TEXT = re.compile(r"^[\w .,()«»\"'/+№-]+$")


def clean_full_name(value: str) -> str:
    """ФИО: letters, hyphens and spaces; at least surname and first name."""
    text = clean_text(value, field="full_name", max_length=NAME_MAX)
    if not _NAME.match(text):
        raise ValidationFailed("full_name", "letters_only")
    if len(text.split(" ")) < 2:
        raise ValidationFailed("full_name", "too_short")
    return text


def clean_free_text(value: str, field_name: str, limit: int) -> str:
    text = clean_text(value, field=field_name, min_length=2, max_length=limit)
    if not _FREE_TEXT.match(text):
        raise ValidationFailed(field_name, "invalid")
    return text


def parse_years(value: str, field_name: str, maximum: int = MAX_EXPERIENCE) -> int:
    text = normalise_text(value)
    if not text.isdigit() or len(text) > 3:
        raise ValidationFailed(field_name, "not_a_number")
    years = int(text)
    if years > maximum:
        raise ValidationFailed(field_name, "too_large")
    return years


def parse_date(value: str, today: date) -> date:
    """DD.MM.YYYY in the future (a date a mentor is unavailable until)."""
    match = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*", value)
    if not match:
        raise ValidationFailed("unavailable_until", "format")
    day, month, year = (int(part) for part in match.groups())
    try:
        result = date(year, month, day)
    except ValueError:
        raise ValidationFailed("unavailable_until", "format") from None
    if result <= today:
        raise ValidationFailed("unavailable_until", "past")
    if (result - today).days > 366:
        raise ValidationFailed("unavailable_until", "too_far")
    return result


@dataclass(frozen=True, slots=True)
class ProfileDraft:
    """The answers collected so far; complete when every required field is set."""

    full_name: str | None = None
    position: str | None = None
    subjects: tuple[str, ...] = ()
    experience_years: int | None = None
    organisation_years: int | None = None
    role: ProfileRole | None = None
    mentee_category: MenteeCategory | None = None
    offered_domains: tuple[str, ...] = ()
    needed_domains: tuple[str, ...] = ()
    meeting_format: MeetingFormat | None = None
    days: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    capacity: int | None = None
    unavailable_until: date | None = None

    def to_state(self) -> dict[str, Any]:
        data = asdict(self)
        data["unavailable_until"] = (
            self.unavailable_until.isoformat() if self.unavailable_until else None
        )
        return data

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> ProfileDraft:
        values: dict[str, Any] = {key: data[key] for key in cls.__dataclass_fields__ if key in data}
        for key in ("subjects", "offered_domains", "needed_domains", "days", "times"):
            values[key] = tuple(values.get(key) or ())
        if values.get("role"):
            values["role"] = ProfileRole(values["role"])
        if values.get("mentee_category"):
            values["mentee_category"] = MenteeCategory(values["mentee_category"])
        if values.get("meeting_format"):
            values["meeting_format"] = MeetingFormat(values["meeting_format"])
        if values.get("unavailable_until"):
            values["unavailable_until"] = date.fromisoformat(values["unavailable_until"])
        return cls(**values)

    def with_changes(self, **changes: Any) -> ProfileDraft:
        return replace(self, **changes)

    def missing(self) -> list[str]:
        """Required fields not answered yet, in the order the form asks them."""
        required: list[tuple[str, object]] = [
            ("full_name", self.full_name),
            ("position", self.position),
            ("subjects", self.subjects),
            ("experience_years", self.experience_years),
            ("organisation_years", self.organisation_years),
            ("role", self.role),
        ]
        if self.role is not None and self.role.is_mentee:
            required += [("mentee_category", self.mentee_category)]
            required += [("needed_domains", self.needed_domains)]
        if self.role is not None and self.role.mentors:
            required += [("offered_domains", self.offered_domains)]
        required += [
            ("meeting_format", self.meeting_format),
            ("days", self.days),
            ("times", self.times),
        ]
        return [name for name, value in required if value is None or value == ()]

    def validate(self) -> None:
        missing = self.missing()
        if missing:
            raise ValidationFailed(missing[0], "missing")
        assert self.experience_years is not None
        assert self.organisation_years is not None
        if self.organisation_years > self.experience_years:
            raise ValidationFailed("organisation_years", "more_than_total")
        known_domains = {domain.value for domain in CompetenceDomain}
        if not {*self.offered_domains, *self.needed_domains} <= known_domains:
            raise ValidationFailed("domains", "invalid")
        if not set(self.days) <= set(DAYS) or not set(self.times) <= set(TIMES):
            raise ValidationFailed("days", "invalid")


@dataclass(frozen=True, slots=True)
class ProfileView:
    person_id: int
    organisation_id: int
    draft: ProfileDraft
    completed_at: datetime
    updated_at: datetime


def _draft(profile: Profile, full_name: str | None) -> ProfileDraft:
    return ProfileDraft(
        full_name=full_name,
        position=profile.position,
        subjects=tuple(profile.subjects),
        experience_years=profile.experience_years,
        organisation_years=profile.organisation_years,
        role=profile.role,
        mentee_category=profile.mentee_category,
        offered_domains=tuple(profile.offered_domains),
        needed_domains=tuple(profile.needed_domains),
        meeting_format=profile.meeting_format,
        days=tuple(profile.days),
        times=tuple(profile.times),
        capacity=profile.capacity,
        unavailable_until=profile.unavailable_until,
    )


class ProfileService:
    def __init__(self, transactions: Transactions, clock: Clock) -> None:
        self._transactions = transactions
        self._clock = clock

    async def organisation_for_form(self, person_id: int) -> int:
        """The organisation whose profile the person fills: where they consented, first joined."""
        async with self._transactions.read() as session:
            for organisation_id in await _participant_organisations(session, person_id):
                if await has_current_consent(session, person_id, organisation_id):
                    return organisation_id
        raise NotAllowed

    async def invited_role(self, person_id: int, organisation_id: int) -> ProgrammeRole | None:
        """The role the person's invite set (it spares them the role question), if any."""
        async with self._transactions.read() as session:
            return await session.scalar(
                select(RoleAssignment.programme_role)
                .where(
                    RoleAssignment.person_id == person_id,
                    RoleAssignment.organisation_id == organisation_id,
                    RoleAssignment.role == RoleKind.PARTICIPANT,
                )
                .limit(1)
            )

    async def local_today(self, person_id: int) -> date:
        """Today in the time zone of the person's profile organisation (dates they type)."""
        async with self._transactions.read() as session:
            timezone = await session.scalar(
                select(Organisation.timezone)
                .join(Profile, Profile.organisation_id == Organisation.id)
                .where(Profile.person_id == person_id)
                .order_by(Profile.id)
                .limit(1)
            )
        if timezone is None:
            raise StaleAction
        return self._clock.now().astimezone(ZoneInfo(timezone)).date()

    async def save(self, person_id: int, organisation_id: int, draft: ProfileDraft) -> ProfileView:
        """Store a complete profile (first time or after editing). Only after consent."""
        draft.validate()
        now = self._clock.now()
        async with self._transactions.write() as session:
            if not await has_current_consent(session, person_id, organisation_id):
                raise NotAllowed
            person = await session.get(Person, person_id)
            if person is None:
                raise StaleAction
            person.full_name = draft.full_name
            profile = await session.scalar(
                select(Profile).where(
                    Profile.person_id == person_id, Profile.organisation_id == organisation_id
                )
            )
            first_time = profile is None
            if profile is None:
                profile = Profile(person_id=person_id, organisation_id=organisation_id)
                profile.completed_at = now
                session.add(profile)
            profile.position = draft.position or ""
            profile.subjects = list(draft.subjects)
            profile.experience_years = draft.experience_years or 0
            profile.organisation_years = draft.organisation_years or 0
            # validate() above made sure both are set.
            assert draft.role is not None
            assert draft.meeting_format is not None
            profile.role = draft.role
            profile.mentee_category = draft.mentee_category if draft.role.is_mentee else None
            profile.offered_domains = list(draft.offered_domains) if draft.role.mentors else []
            profile.needed_domains = list(draft.needed_domains) if draft.role.is_mentee else []
            profile.meeting_format = draft.meeting_format
            profile.days = list(draft.days)
            profile.times = list(draft.times)
            profile.capacity = draft.capacity if draft.role.mentors else None
            profile.unavailable_until = draft.unavailable_until if draft.role.mentors else None
            profile.updated_at = now
            audit.record(
                session,
                at=now,
                action="profile.completed" if first_time else "profile.updated",
                actor_id=person_id,
                organisation_id=organisation_id,
            )
            await session.flush()
            return ProfileView(person_id, organisation_id, draft, profile.completed_at, now)

    async def get(self, person_id: int) -> ProfileView | None:
        async with self._transactions.read() as session:
            profile = await session.scalar(
                select(Profile).where(Profile.person_id == person_id).order_by(Profile.id).limit(1)
            )
            if profile is None:
                return None
            person = await session.get(Person, person_id)
            return ProfileView(
                person_id,
                profile.organisation_id,
                _draft(profile, person.full_name if person else None),
                profile.completed_at,
                profile.updated_at,
            )

    async def set_availability(
        self,
        person_id: int,
        *,
        capacity: int | None = None,
        unavailable_until: date | None = None,
        clear_unavailable: bool = False,
    ) -> ProfileView:
        """Mentors: how many mentees at once, and a date until which they take none."""
        if capacity is not None and not 0 <= capacity <= MAX_CAPACITY:
            raise ValidationFailed("capacity", "range")
        now = self._clock.now()
        async with self._transactions.write() as session:
            profile = await session.scalar(
                select(Profile).where(Profile.person_id == person_id).order_by(Profile.id).limit(1)
            )
            if profile is None:
                raise StaleAction
            if not profile.role.mentors:
                raise NotAllowed
            if capacity is not None:
                profile.capacity = capacity
            if unavailable_until is not None:
                profile.unavailable_until = unavailable_until
            if clear_unavailable:
                profile.unavailable_until = None
            profile.updated_at = now
            audit.record(
                session,
                at=now,
                action="profile.availability",
                actor_id=person_id,
                organisation_id=profile.organisation_id,
                capacity=profile.capacity,
                unavailable_until=(
                    profile.unavailable_until.isoformat() if profile.unavailable_until else None
                ),
            )
            person = await session.get(Person, person_id)
            return ProfileView(
                person_id,
                profile.organisation_id,
                _draft(profile, person.full_name if person else None),
                profile.completed_at,
                now,
            )


async def _participant_organisations(session: AsyncSession, person_id: int) -> list[int]:
    rows = await session.scalars(
        select(RoleAssignment.organisation_id)
        .where(RoleAssignment.person_id == person_id, RoleAssignment.role == RoleKind.PARTICIPANT)
        .order_by(RoleAssignment.id)
    )
    return [row for row in rows if row is not None]
