"""/programme's meetings-and-reminders screen: cadence, hours, Saturday, quiet thresholds,
holidays — and the rhythm follows them."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import Application
from models import Organisation, PairCycle
from services.organisations.programme import ProgrammeSettings
from services.organisations.windows import window_of
from tests.conftest import PersonFactory
from tests.fakes import TelegramClient
from tests.flows.pairing import programme


async def _organisation(app: Application) -> Organisation:
    async with app.database.read() as db:
        organisation: Organisation | None = await db.scalar(select(Organisation))
    assert organisation is not None
    return organisation


async def test_curator_sets_the_rhythm_and_the_cycles_follow_it(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person)
    curator = setup.curator
    await curator.send("/programme")
    [screen] = await curator.click("⏰ Встречи и напоминания…")
    assert "<b>Пары встречаются не реже чем раз в:</b> 14 дней\n\nВ конце каждого" in screen
    assert "с 09:00 до 19:00, с понедельника по пятницу (Asia/Krasnoyarsk)" in screen
    await curator.click("10 дней")
    await curator.click("10–20")
    await curator.click("Пн–Сб")
    [screen] = await curator.click("тишина: 3 / 4")
    assert "напоминание после 3 циклов без встречи, куратору — после 4" in screen
    [ask] = await curator.click("📅 Задать праздники")
    assert "ДД.ММ.ГГГГ" in ask
    [problem] = await curator.send("04.11.2026, 32.12.2026")
    assert "Не удалось прочитать все даты" in problem
    [saved] = await curator.send("04.11.2026\n31.12.2026")
    assert "04.11.2026, 31.12.2026" in saved
    organisation = await _organisation(app)
    settings = ProgrammeSettings.of(organisation)
    assert (settings.cadence_days, settings.quiet_nudge_cycles, settings.quiet_alert_cycles) == (
        10,
        3,
        4,
    )
    window = window_of(organisation)
    assert (window.start.hour, window.end.hour) == (10, 20)
    assert 5 in window.weekdays
    assert window.holidays == {date(2026, 11, 4), date(2026, 12, 31)}

    pair_id = await setup.pair(setup.mentee, setup.mentor)
    await app.services.rhythm.process_due()
    async with app.database.read() as db:
        cycle = await db.scalar(select(PairCycle).where(PairCycle.pair_id == pair_id))
    assert cycle is not None
    local = cycle.ends_at.astimezone(ZoneInfo("Asia/Krasnoyarsk"))
    assert local.date() == date(2026, 9, 11)  # started on 01.09, ten days later
    assert 10 <= local.hour < 20


async def test_only_curators_change_the_rhythm(
    app: Application, superadmin: TelegramClient, person: PersonFactory
) -> None:
    setup = await programme(app, superadmin, person)
    organisation = await _organisation(app)
    forged = f"ps:{organisation.id}:cadence:7"
    assert await setup.mentee.press(forged) == ["Это вам недоступно."]
    assert await setup.curator.press(f"ps:{organisation.id}:cadence:30") == [
        "Эта кнопка больше не действует."
    ]
    assert ProgrammeSettings.of(await _organisation(app)).cadence_days == 14
