"""A pair's rhythm: cadence cycles, their reminders and "did you meet?", and quiet pairs.

State lives in the database: each active pair has one open `pair_cycle`; opening it queues the
cycle's reminders as outbox rows with a `due_at` inside the organisation's sending window (spread
over the window by the pair's id). A one-minute job (`RhythmService.process_due`) opens cycles for
pairs that have none, closes cycles nobody answered, and escalates pairs that stay quiet. No
per-pair scheduler jobs: a restart loses nothing, and dedupe keys make every step happen once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CycleStatus,
    MentoringPair,
    Organisation,
    PairCycle,
    PairStatus,
    Person,
)
from models.meeting import OPEN_CYCLE
from services.core.clock import Clock
from services.core.transactions import Transactions
from services.organisations.programme import ProgrammeSettings
from services.organisations.sending_window import SendingWindow
from services.organisations.windows import window_of
from services.outbox import notify
from services.rhythm.meeting_stages import next_kinds
from services.rhythm.quiet import name_in, people_by_id, settle_cycle, sides

# After the check-in is asked, the pair has this long to answer before the cycle counts as missed.
ANSWER_GRACE = timedelta(days=2)
# The first reminder of a new pair comes soon: the introductory meeting should happen early.
FIRST_REMINDER_AFTER = timedelta(days=2)
BATCH = 500


def _day_start(window: SendingWindow, day: date) -> datetime:
    """Local midnight of `day` in the organisation's zone, as an aware moment."""
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(window.timezone))


def checkin_time(window: SendingWindow, pair_id: int, day: date) -> datetime:
    """When the pair is asked on (or after, if it is a day off) `day`: its slot in the window."""
    return window.spread(_day_start(window, day), pair_id)


async def open_cycles(
    session: AsyncSession,
    pairs: Sequence[MentoringPair],
    organisations: Mapping[int, Organisation],
    now: datetime,
) -> list[PairCycle]:
    """The next cycle of each active pair, with its reminders and check-ins queued.

    A cycle starts where the pair's last one ended (or when the pair started), never in the past.
    Everything is read and written in a fixed number of statements, whatever the number of pairs:
    the one-minute job opens thousands of cycles at once in a regional database.
    """
    if not pairs:
        return []
    pair_ids = [pair.id for pair in pairs]
    previous = {
        pair_id: (number, ends_at)
        for pair_id, number, ends_at in await session.execute(
            select(PairCycle.pair_id, func.max(PairCycle.number), func.max(PairCycle.ends_at))
            .where(PairCycle.pair_id.in_(pair_ids))
            .group_by(PairCycle.pair_id)
        )
    }
    stages = await next_kinds(session, pair_ids)
    people = await people_by_id(
        session, {side for pair in pairs for side in (pair.mentor_id, pair.mentee_id)}
    )
    cycles = []
    for pair in pairs:
        number, last_end = previous.get(pair.id, (0, None))
        starts_at = max(last_end or pair.started_at or now, now)
        organisation = organisations[pair.organisation_id]
        window = window_of(organisation)
        cadence = ProgrammeSettings.of(organisation).cadence_for(pair.cadence_days)
        ends_at = checkin_time(
            window, pair.id, window.local_date(starts_at) + timedelta(days=cadence)
        )
        cycles.append(
            PairCycle(
                pair_id=pair.id,
                number=number + 1,
                starts_at=starts_at,
                ends_at=max(ends_at, starts_at + timedelta(minutes=1)),
                status=CycleStatus.OPEN,
            )
        )
    session.add_all(cycles)
    await session.flush()
    messages = []
    for pair, cycle in zip(pairs, cycles, strict=True):
        organisation = organisations[pair.organisation_id]
        messages += _reminders(pair, cycle, organisation, stages[pair.id].value, people, now)
        messages += [
            checkin(pair, cycle, person, other, people, now) for person, other in sides(pair)
        ]
    await notify.many(session, messages, now)
    return cycles


def _reminders(
    pair: MentoringPair,
    cycle: PairCycle,
    organisation: Organisation,
    stage: str,
    people: Mapping[int, Person],
    now: datetime,
) -> list[notify.Message]:
    """The mid-cycle reminder to both sides; a new pair's first one comes soon and proposes the
    introductory meeting."""
    window = window_of(organisation)
    cadence = ProgrammeSettings.of(organisation).cadence_for(pair.cadence_days)
    if cycle.number == 1:
        reminder_at = window.spread(cycle.starts_at + FIRST_REMINDER_AFTER, pair.id)
    else:
        halfway = window.local_date(cycle.starts_at) + timedelta(days=cadence // 2)
        reminder_at = checkin_time(window, pair.id, halfway)
    if reminder_at >= cycle.ends_at:
        return []  # a cycle too short for a reminder before its check-in
    return [
        notify.Message(
            recipient_id=person_id,
            kind="meeting_reminder",
            key=f"{pair.id}:{cycle.number}",
            due_at=max(reminder_at, now),
            expires_at=cycle.ends_at,
            pair=pair.id,
            about=other_id,
            payload={
                "pair_id": pair.id,
                "stage": stage,
                "role": "mentor" if person_id == pair.mentor_id else "mentee",
                "other_name": name_in(people, other_id),
                "cadence_days": cadence,
            },
        )
        for person_id, other_id in sides(pair)
    ]


def checkin(
    pair: MentoringPair,
    cycle: PairCycle,
    person_id: int,
    other_id: int,
    people: Mapping[int, Person],
    now: datetime,
    suffix: str = "",
) -> notify.Message:
    """ "Did you meet?" for one side at the cycle's end; `suffix` tells a repeated question (after
    a postponement) from the first."""
    return notify.Message(
        recipient_id=person_id,
        kind="checkin",
        key=f"{pair.id}:{cycle.number}{suffix}",
        due_at=max(cycle.ends_at, now),
        expires_at=cycle.ends_at + ANSWER_GRACE,
        pair=pair.id,
        about=other_id,
        payload={
            "cycle_id": cycle.id,
            "other_name": name_in(people, other_id),
            "number": cycle.number,
        },
    )


async def close_cycle(
    session: AsyncSession,
    pair: MentoringPair,
    organisation: Organisation,
    *,
    met: bool,
    now: datetime,
) -> None:
    """A cycle is settled (met, didn't meet, or nobody answered): count quiet cycles, escalate,
    and open the next cycle where this one ends."""
    await settle_cycle(session, pair, organisation, met=met, now=now)
    if pair.status == PairStatus.ACTIVE:
        await open_cycles(session, [pair], {organisation.id: organisation}, now)


# Kinds of outbox rows a pair's rhythm queues; a pause or an end cancels the unsent ones.
RHYTHM_KINDS = ("meeting_reminder", "checkin", "quiet_nudge", "agreed_meeting_reminder")


async def stop_rhythm(session: AsyncSession, pair_id: int) -> None:
    """The pair paused or ended: its unanswered cycle is dropped and unsent reminders cancelled.
    A resumed pair starts a fresh cycle at the next tick."""
    await session.execute(
        delete(PairCycle).where(
            PairCycle.pair_id == pair_id,
            PairCycle.status.in_((CycleStatus.OPEN, CycleStatus.POSTPONED)),
            PairCycle.answered_at.is_(None),
        )
    )
    await notify.cancel_for_pair(session, pair_id, RHYTHM_KINDS)


class RhythmService:
    def __init__(self, transactions: Transactions, clock: Clock) -> None:
        self._transactions = transactions
        self._clock = clock

    async def process_due(self) -> tuple[int, int]:
        """Open cycles for active pairs without one; close cycles nobody answered in time.
        Returns (opened, closed). Works in batches so a regional database stays responsive."""
        opened = await self._open_missing_cycles()
        closed = await self._close_unanswered()
        return opened, closed

    async def _open_missing_cycles(self) -> int:
        """Walk the active pairs by id, BATCH at a time, and open a cycle where none is under way.

        Deliberately not one anti-join over all pairs: with a generic plan and no statistics
        (a freshly filled table) PostgreSQL runs that as a nested loop over every open cycle for
        every pair, quadratic in the number of pairs. Each step here reads one range of ids through
        an index, and only the pairs that need a cycle are locked.
        """
        opened = 0
        after = 0
        while True:
            async with self._transactions.read() as session:
                window = list(
                    (
                        await session.scalars(
                            select(MentoringPair.id)
                            .where(
                                MentoringPair.status == PairStatus.ACTIVE, MentoringPair.id > after
                            )
                            .order_by(MentoringPair.id)
                            .limit(BATCH)
                        )
                    ).all()
                )
                busy = await _with_open_cycle(session, window[0], window[-1]) if window else set()
            if not window:
                return opened
            after = window[-1]
            due = [pair_id for pair_id in window if pair_id not in busy]
            if due:
                opened += await self._open_for(due)

    async def _open_for(self, pair_ids: list[int]) -> int:
        now = self._clock.now()
        async with self._transactions.write() as session:
            locked = (
                await session.scalars(
                    select(MentoringPair)
                    .where(
                        MentoringPair.id.in_(pair_ids), MentoringPair.status == PairStatus.ACTIVE
                    )
                    .order_by(MentoringPair.id)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            # Every path that opens a cycle holds the pair's lock: checked again under it.
            busy = await _with_open_cycle(session, pair_ids[0], pair_ids[-1]) if locked else set()
            pairs = [pair for pair in locked if pair.id not in busy]
            organisations = await _organisations(session, {p.organisation_id for p in pairs})
            await open_cycles(session, pairs, organisations, now)
            return len(pairs)

    async def _close_unanswered(self) -> int:
        closed = 0
        while True:
            now = self._clock.now()
            async with self._transactions.write() as session:
                rows = (
                    await session.execute(
                        select(PairCycle, MentoringPair)
                        .join(MentoringPair, MentoringPair.id == PairCycle.pair_id)
                        .where(
                            PairCycle.status.in_((CycleStatus.OPEN, CycleStatus.POSTPONED)),
                            PairCycle.ends_at <= now - ANSWER_GRACE,
                        )
                        .order_by(PairCycle.id)
                        .limit(BATCH)
                        .with_for_update(skip_locked=True)
                    )
                ).all()
                organisations = await _organisations(
                    session, {pair.organisation_id for _cycle, pair in rows}
                )
                reopen = []
                for cycle, pair in rows:
                    cycle.status = CycleStatus.MISSED
                    if pair.status != PairStatus.ACTIVE:
                        continue
                    organisation = organisations[pair.organisation_id]
                    await settle_cycle(session, pair, organisation, met=False, now=now)
                    if pair.status == PairStatus.ACTIVE:
                        reopen.append(pair)
                await open_cycles(session, reopen, organisations, now)
                closed += len(rows)
            if len(rows) < BATCH:
                return closed


async def _with_open_cycle(session: AsyncSession, first_id: int, last_id: int) -> set[int]:
    """Which pairs with ids in [first_id, last_id] have a cycle under way.

    A range and the partial unique index's own predicate text, so PostgreSQL reads just that
    index even with a generic plan and no statistics; with a list of 500 ids and the statuses as
    parameters it scanned every open cycle instead."""
    rows = await session.scalars(
        select(PairCycle.pair_id).where(
            PairCycle.pair_id >= first_id, PairCycle.pair_id <= last_id, OPEN_CYCLE
        )
    )
    return set(rows.all())


async def _organisations(session: AsyncSession, ids: set[int]) -> dict[int, Organisation]:
    if not ids:
        return {}
    rows = await session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    return {organisation.id: organisation for organisation in rows}
