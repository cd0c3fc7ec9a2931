"""Whether one mentor may take one request now, and how well they fit.

The hard filters of `candidates.rank_for_requests`, for a single pairing: creating a pair checks
them again inside its write transaction, where ranking every mentor would cost nine queries. Here
they are two statements: one that locks the mentor's profile and reads the rest, then the
mentor's load, so that two pairs cannot both take the mentor's last free place. The rules
(`is_available`, `agrees`, `mentor_side`, `MENTOR_ROLES`, the exclusions) are the ranking's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Consent,
    ConsentDecision,
    ConsentDocument,
    MentoringPair,
    MentoringRequest,
    OfferStatus,
    PairingBlock,
    Person,
    PersonStatus,
    Profile,
    RequestOffer,
)
from services.core.identity import identified
from services.matching.candidates import (
    LIVE_PAIR_STATUSES,
    MENTOR_ROLES,
    agrees,
    is_available,
    mentee_side,
    mentor_side,
)
from services.matching.score import Fit, score


@dataclass(frozen=True, slots=True)
class MentorStanding:
    """A mentor's profile (locked) and what decides whether they may take the request."""

    profile: Profile
    person: Person
    load: int
    consent: tuple[ConsentDecision | None, int | None, int | None]  # decision, version, current
    excluded: bool

    def eligible(self, today: date) -> bool:
        """Every hard filter but capacity, which the caller reports as its own problem."""
        return (
            self.person.status == PersonStatus.ACTIVE
            and is_available(self.profile, today)
            and agrees(*self.consent)
            and not self.excluded
        )

    def fit(self, request: MentoringRequest, mentee_profile: Profile | None, capacity: int) -> Fit:
        return score(
            mentee_side(request, mentee_profile), mentor_side(self.profile, capacity, self.load)
        )


def _standing_query() -> Select[Any]:
    """Built once: SQLAlchemy spends longer building a statement like this than SQLite spends
    running it. Parameters: mentor, organisation, mentee, request."""
    mentor: BindParameter[int] = bindparam("mentor_id")
    organisation: BindParameter[int] = bindparam("organisation_id")
    mentee: BindParameter[int] = bindparam("mentee_id")
    latest = (
        select(Consent.id)
        .where(Consent.organisation_id == organisation, Consent.person_id == mentor)
        .order_by(Consent.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    decision = select(Consent.decision).where(Consent.id == latest).scalar_subquery()
    version = select(Consent.version).where(Consent.id == latest).scalar_subquery()
    current = (
        select(func.max(ConsentDocument.version))
        .where(ConsentDocument.organisation_id == organisation)
        .scalar_subquery()
    )
    # Mentors already paired with the mentee, "don't pair us again", and mentors already asked
    # about this request who declined or let it expire (the mentee themself is checked in Python).
    excluded = or_(
        exists().where(
            MentoringPair.mentee_id == mentee,
            MentoringPair.mentor_id == mentor,
            MentoringPair.status.in_(LIVE_PAIR_STATUSES),
        ),
        exists().where(PairingBlock.mentee_id == mentee, PairingBlock.mentor_id == mentor),
        exists().where(
            RequestOffer.request_id == bindparam("request_id"),
            RequestOffer.mentor_id == mentor,
            RequestOffer.status.in_((OfferStatus.DECLINED, OfferStatus.EXPIRED)),
        ),
    )
    return (
        select(Profile, Person, decision, version, current, excluded)
        .join(Person, Person.id == Profile.person_id)
        .where(
            Profile.person_id == mentor,
            Profile.organisation_id == organisation,
            Profile.role.in_(MENTOR_ROLES),
            identified(Person.id),
        )
        .with_for_update(of=Profile)
        .execution_options(populate_existing=True)
    )


_STANDING = _standing_query()
_LOAD = select(func.count()).where(
    MentoringPair.mentor_id == bindparam("mentor_id"),
    MentoringPair.status.in_(LIVE_PAIR_STATUSES),
)


async def mentor_standing(
    session: AsyncSession, request: MentoringRequest, mentor_id: int
) -> MentorStanding | None:
    """The mentor's standing for this request, their profile locked; None when they have no
    mentor's profile in the request's organisation (or were erased)."""
    parameters = {
        "mentor_id": mentor_id,
        "organisation_id": request.organisation_id,
        "mentee_id": request.mentee_id,
        "request_id": request.id,
    }
    row = (await session.execute(_STANDING, parameters)).first()
    if row is None:
        return None
    profile, person, agreed_decision, agreed_version, current_version, is_excluded = row
    # Counted in a statement of its own, after the lock is held: on PostgreSQL a statement that
    # waited for the lock still reads what it counts from the snapshot it started with, so a
    # count in the same statement would miss the pair that the lock's holder just made.
    load = await session.scalar(_LOAD, {"mentor_id": mentor_id})
    return MentorStanding(
        profile=profile,
        person=person,
        load=int(load or 0),
        consent=(agreed_decision, agreed_version, current_version),
        excluded=bool(is_excluded) or mentor_id == request.mentee_id,
    )
