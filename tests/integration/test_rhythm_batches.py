"""The rhythm job over more pairs than one batch: every pair gets exactly one cycle, one reminder
and one check-in per side, each with its own stage, cadence and names — nothing mixed up between
pairs by the batched queries, nothing twice."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from bot.app import Application
from models import (
    CycleStatus,
    Meeting,
    MeetingKind,
    MentoringPair,
    MentoringType,
    Notification,
    Organisation,
    PairCycle,
    PairOrigin,
    PairStatus,
    Person,
    PersonStatus,
)
from services.rhythm.cycles import BATCH

PAIRS = BATCH + 100
ZONES = ("Europe/Moscow", "Asia/Irkutsk")


async def _build(app: Application) -> None:
    """PAIRS pairs over two organisations; every third agreed on a weekly cadence, every fifth
    has had its introductory meeting already."""
    now = app.clock.now()
    async with app.database.write() as db:
        organisations = []
        for zone in ZONES:
            organisation = Organisation(
                name=zone, address="—", timezone=zone, settings={}, created_at=now
            )
            db.add(organisation)
            await db.flush()
            organisations.append(organisation.id)
        await db.execute(
            insert(Person),
            [
                {
                    "full_name": f"Person {index}",
                    "locale": "ru",
                    "status": PersonStatus.ACTIVE,
                    "created_at": now,
                    "last_seen_at": now,
                }
                for index in range(2 * PAIRS)
            ],
        )
        ids = dict((await db.execute(select(Person.full_name, Person.id))).all())
        await db.execute(
            insert(MentoringPair),
            [
                {
                    "organisation_id": organisations[index % 2],
                    "mentor_id": ids[f"Person {2 * index}"],
                    "mentee_id": ids[f"Person {2 * index + 1}"],
                    "status": PairStatus.ACTIVE,
                    "origin": PairOrigin.CURATOR_ASSIGNED,
                    "mentoring_type": MentoringType.TRADITIONAL,
                    "created_at": now,
                    "started_at": now,
                    "cadence_days": 7 if index % 3 == 0 else None,
                    "silent_cycles": 0,
                }
                for index in range(PAIRS)
            ],
        )
        pairs = (await db.scalars(select(MentoringPair).order_by(MentoringPair.id))).all()
        await db.execute(
            insert(Meeting),
            [
                {
                    "pair_id": pair.id,
                    "kind": MeetingKind.INTRODUCTION,
                    "held_on": date(2026, 8, 31),
                    "answers": {},
                    "recorded_by_id": pair.mentee_id,
                    "created_at": now,
                    "updated_at": now,
                }
                for index, pair in enumerate(pairs)
                if index % 5 == 0
            ],
        )


async def test_more_pairs_than_a_batch_each_get_their_own_cycle_and_messages(
    app: Application,
) -> None:
    await _build(app)

    assert await app.services.rhythm.process_due() == (PAIRS, 0)
    assert await app.services.rhythm.process_due() == (0, 0)

    async with app.database.read() as db:
        pairs = {
            pair.id: (index, pair)
            for index, pair in enumerate(
                (await db.scalars(select(MentoringPair).order_by(MentoringPair.id))).all()
            )
        }
        zones = dict((await db.execute(select(Organisation.id, Organisation.timezone))).all())
        names = dict((await db.execute(select(Person.id, Person.full_name))).all())
        cycles = (await db.scalars(select(PairCycle))).all()
        rows = (await db.scalars(select(Notification))).all()
        kinds = dict(
            (
                await db.execute(
                    select(Notification.kind, func.count()).group_by(Notification.kind)
                )
            ).all()
        )
    assert len(cycles) == PAIRS
    assert {cycle.pair_id for cycle in cycles} == set(pairs)
    assert {(cycle.number, cycle.status) for cycle in cycles} == {(1, CycleStatus.OPEN)}
    assert kinds == {"meeting_reminder": 2 * PAIRS, "checkin": 2 * PAIRS}
    start = app.clock.now()
    for cycle in cycles:
        index, pair = pairs[cycle.pair_id]
        zone = ZoneInfo(zones[pair.organisation_id])
        cadence = 7 if index % 3 == 0 else 14
        assert cycle.ends_at.astimezone(zone).date() == (
            start.astimezone(zone).date() + timedelta(days=cadence)
        )
    for row in rows:
        assert row.pair_id is not None
        index, pair = pairs[row.pair_id]
        assert row.recipient_id in (pair.mentor_id, pair.mentee_id)
        other = pair.mentee_id if row.recipient_id == pair.mentor_id else pair.mentor_id
        assert row.about_person_id == other
        assert row.payload["other_name"] == names[other]
        if row.kind == "meeting_reminder":
            stage = "planning" if index % 5 == 0 else "introduction"
            assert row.payload["stage"] == stage
            assert row.payload["cadence_days"] == (7 if index % 3 == 0 else 14)
