"""A pair's rhythm with a fake clock moved two weeks at a time: reminders and "did you meet?"
arrive once, inside the sending window, in the organisation's zone; quiet pairs escalate."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.app import Application
from models import (
    AgreedMeeting,
    CycleStatus,
    Meeting,
    Notification,
    NotificationStatus,
    Organisation,
    PairCycle,
)
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.pairing import Pairing, programme

MET = "✅ Мы встретились"
POSTPONED = "📅 Перенесли"
MISSED = "✖️ Не встретились"


async def _pair(
    app: Application, superadmin: TelegramClient, person: PersonFactory, zone: str | None = None
) -> tuple[Pairing, int]:
    setup = await programme(app, superadmin, person)
    if zone is not None:
        async with app.database.write() as db:
            await db.execute(update(Organisation).values(timezone=zone))
    pair_id = await setup.pair(setup.mentee, setup.mentor)
    return setup, pair_id


async def _rows(app: Application, kind: str) -> list[Notification]:
    async with app.database.read() as db:
        return list(
            (
                await db.scalars(
                    select(Notification).where(Notification.kind == kind).order_by(Notification.id)
                )
            ).all()
        )


async def _cycles(app: Application, pair_id: int) -> list[PairCycle]:
    async with app.database.read() as db:
        return list(
            (
                await db.scalars(
                    select(PairCycle).where(PairCycle.pair_id == pair_id).order_by(PairCycle.number)
                )
            ).all()
        )


def _move_to(clock: FakeClock, moment: datetime) -> None:
    if moment > clock.now():
        clock.advance(seconds=(moment - clock.now()).total_seconds())


def _in_window(moment: datetime, zone: str) -> bool:
    local = moment.astimezone(ZoneInfo(zone))
    return local.weekday() < 5 and 9 <= local.hour < 19


@pytest.mark.parametrize(
    "zone",
    ["Europe/Moscow", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yekaterinburg", "Europe/Berlin"],
)
async def test_two_weeks_at_a_time_reminders_arrive_once_in_the_window(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
    sender: OutboxSender,
    zone: str,
) -> None:
    setup, pair_id = await _pair(app, superadmin, person, zone)
    mentee, mentor = setup.mentee, setup.mentor
    await sender.run_once()
    mentee.new_texts()
    mentor.new_texts()
    # Eight cycles: from September past the end of daylight saving in Berlin (25.10.2026).
    for number in range(1, 9):
        assert await app.services.rhythm.process_due() == ((1, 0) if number == 1 else (0, 0))
        assert await app.services.rhythm.process_due() == (0, 0)  # nothing happens twice
        [cycle] = [c for c in await _cycles(app, pair_id) if c.status == CycleStatus.OPEN]
        assert cycle.number == number
        assert _in_window(cycle.ends_at, zone), cycle.ends_at
        reminders = [
            r
            for r in await _rows(app, "meeting_reminder")
            if f":{pair_id}:{number}:" in r.dedupe_key
        ]
        assert len(reminders) == 2
        assert all(_in_window(r.due_at, zone) for r in reminders)
        # Nothing arrives before it is due …
        _move_to(clock, reminders[0].due_at - timedelta(minutes=1))
        await sender.run_once()
        assert mentee.new_texts() == [] and mentor.new_texts() == []
        # … the reminder arrives once, the check-in once at the cycle's end.
        _move_to(clock, max(r.due_at for r in reminders))
        await sender.run_once()
        await sender.run_once()
        [reminder] = mentee.new_texts()
        assert ("встречу-знакомство" if number == 1 else "Пора встретиться") in reminder
        assert len(mentor.new_texts()) == 1
        _move_to(clock, cycle.ends_at)
        await sender.run_once()
        [question] = mentee.new_texts()
        assert "Вы встречались с Петров Сергей Иванович" in question
        assert "\n\nДостаточно одного нажатия" in question
        assert len(mentor.new_texts()) == 1
        answered = await mentee.click(MET)
        assert "встреча записана в журнал" in answered[0], answered
        await mentee.send("/cancel")
        mentee.new_texts()
        # The mentor is not asked again: told instead that the mentee answered for the pair.
        await sender.run_once()
        [told] = mentor.new_texts()
        assert "Иванова Анна Петровна отметил(а), что вы встретились" in told
    cycles = await _cycles(app, pair_id)
    assert [c.status for c in cycles[:8]] == [CycleStatus.MET] * 8
    async with app.database.read() as db:
        meetings = (await db.scalars(select(Meeting).where(Meeting.pair_id == pair_id))).all()
    assert [m.kind.value for m in meetings[:3]] == ["introduction", "planning", "regular"]
    checkins = [r for r in await _rows(app, "checkin") if r.status == NotificationStatus.SENT]
    assert len(checkins) == 16  # two people × eight cycles, none twice


async def _open_cycle(app: Application, pair_id: int) -> PairCycle:
    [cycle] = [
        c
        for c in await _cycles(app, pair_id)
        if c.status in (CycleStatus.OPEN, CycleStatus.POSTPONED)
    ]
    return cycle


async def test_the_second_answer_changes_nothing_and_says_who_answered(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
    sender: OutboxSender,
) -> None:
    setup, pair_id = await _pair(app, superadmin, person)
    await app.services.rhythm.process_due()
    cycle = await _open_cycle(app, pair_id)
    _move_to(clock, cycle.ends_at)
    await sender.run_once()
    await setup.mentor.click(MISSED)
    setup.mentee.new_texts()
    assert await setup.mentee.click(MET) == [
        "Петров Сергей Иванович уже ответил(а) за вашу пару. Ничего не изменено."
    ]
    cycles = await _cycles(app, pair_id)
    assert cycles[0].status == CycleStatus.MISSED
    async with app.database.read() as db:
        assert (await db.scalars(select(Meeting))).all() == []
    # Someone outside the pair cannot answer for it.
    stranger = person(5555)
    await stranger.send("/start")
    [forged] = await stranger.press(f"ci:{cycles[1].id}:met")
    assert forged == "Это вам недоступно."


async def test_postponed_asks_again_on_the_new_day(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
    sender: OutboxSender,
) -> None:
    setup, pair_id = await _pair(app, superadmin, person)
    await app.services.rhythm.process_due()
    cycle = await _open_cycle(app, pair_id)
    _move_to(clock, cycle.ends_at)
    await sender.run_once()
    setup.mentee.new_texts()
    [question] = await setup.mentee.click(POSTPONED)
    assert "На какой день перенесли встречу" in question
    [problem] = await setup.mentee.send("вчера")
    assert "Не удалось прочитать дату" in problem
    [problem] = await setup.mentee.send_photo()
    assert "ДД.ММ.ГГГГ" in problem
    zone = ZoneInfo("Asia/Krasnoyarsk")
    new_day = clock.now().astimezone(zone).date() + timedelta(days=5)
    [done] = await setup.mentee.send(new_day.strftime("%d.%m.%Y"))
    assert "встреча перенесена на" in done
    moved = await _open_cycle(app, pair_id)
    assert moved.status == CycleStatus.POSTPONED
    assert moved.postponed_to == new_day
    assert moved.ends_at.astimezone(zone).date() >= new_day
    assert _in_window(moved.ends_at, "Asia/Krasnoyarsk")
    pending = [r for r in await _rows(app, "checkin") if r.status == NotificationStatus.PENDING]
    assert len(pending) == 2
    assert {r.due_at for r in pending} == {moved.ends_at}
    _move_to(clock, moved.ends_at)
    await sender.run_once()
    assert any("Вы встречались с" in text for text in setup.mentor.new_texts())


async def test_quiet_pair_is_nudged_then_the_curator_is_alerted(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
    sender: OutboxSender,
) -> None:
    setup, pair_id = await _pair(app, superadmin, person)
    await app.services.rhythm.process_due()
    for _ in range(3):
        cycle = await _open_cycle(app, pair_id)
        _move_to(clock, cycle.ends_at + timedelta(days=2, minutes=1))
        assert (await app.services.rhythm.process_due())[1] == 1
    nudges = await _rows(app, "quiet_nudge")
    assert {n.recipient_id for n in nudges} == {
        setup.id_of(setup.mentee),
        setup.id_of(setup.mentor),
    }
    [alert] = await _rows(app, "pair_needs_curator")
    assert alert.recipient_id == setup.curator_id
    assert alert.payload["why"] == "quiet"
    assert alert.payload["silent_cycles"] == 3
    await sender.run_once()
    texts = setup.curator.new_texts()
    assert any("Они не встречаются уже 3 цикла подряд" in text for text in texts)
    # The nudge's "we need help" brings the curator in at once.
    setup.mentee.new_texts()
    await setup.mentee.click("🆘 Нужна помощь куратора")
    alerts = await _rows(app, "pair_needs_curator")
    assert [a.payload["why"] for a in alerts] == ["quiet", "help"]


async def test_pause_stops_reminders_and_resume_starts_a_fresh_cycle(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
) -> None:
    setup, pair_id = await _pair(app, superadmin, person)
    await app.services.rhythm.process_due()
    until = clock.now().date() + timedelta(days=10)
    await app.services.pairs.pause(setup.id_of(setup.mentee), pair_id, until)
    assert await _cycles(app, pair_id) == []
    pending = [
        r
        for kind in ("meeting_reminder", "checkin")
        for r in await _rows(app, kind)
        if r.status == NotificationStatus.PENDING
    ]
    assert pending == []
    assert await app.services.rhythm.process_due() == (0, 0)  # paused: nothing
    _move_to(clock, datetime.combine(until, datetime.min.time(), tzinfo=ZoneInfo("UTC")))
    clock.advance(hours=12)
    assert await app.services.pairs.resume_due() == 1
    assert await app.services.rhythm.process_due() == (1, 0)
    [cycle] = await _cycles(app, pair_id)
    assert cycle.starts_at >= clock.now() - timedelta(minutes=1)


async def test_an_agreed_date_is_reminded_a_day_and_an_hour_before(
    app: Application,
    superadmin: TelegramClient,
    person: PersonFactory,
    clock: FakeClock,
    sender: OutboxSender,
) -> None:
    setup, _pair_id = await _pair(app, superadmin, person)
    await app.services.rhythm.process_due()
    [reminder] = [r for r in await _rows(app, "meeting_reminder")][:1]
    _move_to(clock, reminder.due_at)
    await sender.run_once()
    setup.mentee.new_texts()
    [ask] = await setup.mentee.click("🗓 Мы договорились о дате")
    assert "ДД.ММ.ГГГГ ЧЧ:ММ" in ask
    [problem] = await setup.mentee.send("31.02.2026 16:00")
    assert "Не удалось прочитать" in problem
    zone = ZoneInfo("Asia/Krasnoyarsk")
    day = clock.now().astimezone(zone).date() + timedelta(days=3)
    [done] = await setup.mentee.send(f"{day:%d.%m.%Y} 16:00")
    assert f"встреча {day:%d.%m.%Y} 16:00" in done
    rows = await _rows(app, "agreed_meeting_reminder")
    at = datetime.combine(day, datetime.min.time(), tzinfo=zone).replace(hour=16)
    assert sorted((r.recipient_id, r.due_at) for r in rows) == sorted(
        (who, at - before)
        for who in (setup.id_of(setup.mentee), setup.id_of(setup.mentor))
        for before in (timedelta(days=1), timedelta(hours=1))
    )
    _move_to(clock, at - timedelta(hours=1))
    await sender.run_once()
    texts = setup.mentor.new_texts()
    assert any("Через час у вас встреча с Иванова Анна Петровна" in t for t in texts)
    async with app.database.read() as db:
        assert len((await db.scalars(select(AgreedMeeting))).all()) == 1
