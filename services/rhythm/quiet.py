"""Settling a cycle and what quiet pairs lead to: the count of cycles without a meeting, a kind
nudge to the pair, and the curator's alert with the pair's history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MentoringPair, Organisation, Person, PersonStatus
from services.core import audit
from services.organisations.programme import ProgrammeSettings
from services.organisations.windows import window_of
from services.outbox import notify


def name_in(people: Mapping[int, Person], person_id: int) -> str:
    person = people.get(person_id)
    return person.full_name or "" if person else ""


def sides(pair: MentoringPair) -> tuple[tuple[int, int], tuple[int, int]]:
    """(person, the other one) for both members of the pair."""
    return ((pair.mentor_id, pair.mentee_id), (pair.mentee_id, pair.mentor_id))


async def people_of(session: AsyncSession, pair: MentoringPair) -> dict[int, Person]:
    return await people_by_id(session, {pair.mentor_id, pair.mentee_id})


async def people_by_id(session: AsyncSession, ids: set[int]) -> dict[int, Person]:
    rows = await session.scalars(select(Person).where(Person.id.in_(ids)))
    return {person.id: person for person in rows}


@dataclass(frozen=True, slots=True)
class MeetingHistory:
    count: int
    last: date | None


async def meeting_history(session: AsyncSession, pair_id: int) -> MeetingHistory:
    count, last = (
        await session.execute(
            select(func.count(Meeting.id), func.max(Meeting.held_on)).where(
                Meeting.pair_id == pair_id
            )
        )
    ).one()
    return MeetingHistory(int(count), last)


async def settle_cycle(
    session: AsyncSession,
    pair: MentoringPair,
    organisation: Organisation,
    *,
    met: bool,
    now: datetime,
) -> None:
    """`close_cycle` without opening the next one (the job opens a whole batch at once)."""
    settings = ProgrammeSettings.of(organisation)
    pair.silent_cycles = 0 if met else pair.silent_cycles + 1
    await notify.cancel_for_pair(session, pair.id, ("checkin",))
    people = await people_of(session, pair)  # once for both checks below
    if not met:
        await _escalate(session, pair, organisation, settings, people, now)
    if any(person.status == PersonStatus.UNREACHABLE for person in people.values()):
        await alert_curators_about_pair(session, pair, "unreachable", now)


async def _escalate(
    session: AsyncSession,
    pair: MentoringPair,
    organisation: Organisation,
    settings: ProgrammeSettings,
    people: Mapping[int, Person],
    now: datetime,
) -> None:
    silent = pair.silent_cycles
    if silent == settings.quiet_nudge_cycles:
        for person_id, other_id in sides(pair):
            await notify.person(
                session,
                person_id,
                "quiet_nudge",
                f"{pair.id}:{silent}:{now.date().isoformat()}",
                now,
                pair=pair.id,
                about=other_id,
                due_at=window_of(organisation).next_opening(now),
                pair_id=pair.id,
                other_name=name_in(people, other_id),
                cycles=silent,
            )
        audit.record(
            session,
            at=now,
            action="pair.quiet_nudged",
            actor_id=None,
            organisation_id=pair.organisation_id,
            pair_id=pair.id,
            silent_cycles=silent,
        )
    if silent == settings.quiet_alert_cycles:
        await alert_curators_about_pair(session, pair, "quiet", now)


async def alert_curators_about_pair(
    session: AsyncSession, pair: MentoringPair, why: str, now: datetime
) -> None:
    """The curator hears of a pair that went quiet or whose member is unreachable, with its
    history: cycles without meeting, meetings so far, the last one."""
    people = await people_of(session, pair)
    history = await meeting_history(session, pair.id)
    await notify.curators(
        session,
        pair.organisation_id,
        "pair_needs_curator",
        f"{pair.id}:{why}:{pair.silent_cycles}",
        now,
        about=pair.mentee_id,
        pair_id=pair.id,
        why=why,
        mentor_name=name_in(people, pair.mentor_id),
        mentee_name=name_in(people, pair.mentee_id),
        silent_cycles=pair.silent_cycles,
        meetings=history.count,
        last_meeting=history.last.isoformat() if history.last else None,
        started_at=pair.started_at.isoformat() if pair.started_at else None,
    )
    audit.record(
        session,
        at=now,
        action="pair.curator_alerted",
        actor_id=None,
        organisation_id=pair.organisation_id,
        pair_id=pair.id,
        why=why,
    )
