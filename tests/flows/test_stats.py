"""/stats: a school's live numbers, exactly, with each indicator's numerator, denominator and
its source; the figures the curator enters in /programme; the charts; refusals."""

from __future__ import annotations

from bot.app import Application
from services.reports.indicators import Indicator, Source
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, RecordingSession, TelegramClient
from tests.flows.helpers import make_curator
from tests.flows.pairing import person_id
from tests.reports_dataset import LOOK_AT, School, seed_school

PNG = b"\x89PNG\r\n\x1a\n"


async def _school(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> tuple[TelegramClient, int, School]:
    curator = person(2001)
    await make_curator(superadmin, curator)
    curator_id = await person_id(app, curator.user.id)
    [organisation] = await app.services.organisations.curated(curator_id)
    school = await seed_school(app, organisation.id)
    clock.advance(seconds=(LOOK_AT - clock.now()).total_seconds())
    curator.new_texts()
    return curator, curator_id, school


async def test_the_numbers_are_exactly_those_of_the_school(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    _curator, curator_id, school = await _school(superadmin, person, app, clock)
    stats = await app.services.stats.for_organisation(curator_id, school.organisation_id)
    counts = stats.counts
    assert (stats.period.first.isoformat(), stats.period.last.isoformat()) == (
        "2026-09-01",
        "2026-12-03",
    )
    assert counts.roles == {"mentor": 2, "both": 1, "mentee": 5, "no_profile": 2}
    assert counts.statuses == {"active": 8, "unreachable": 1, "withdrawn": 1}
    assert (counts.teachers_with_profile, counts.young_with_profile) == (8, 4)
    assert (counts.requests_live, counts.requests_waiting_long) == (2, 1)
    assert (counts.requests_oldest_days, counts.requests_filed) == (31, 4)
    # the pair of last programme year is not counted
    assert counts.pairs == {"active": 1, "completed": 1, "pending_order": 1}
    assert (counts.pairs_started, counts.pairs_completed, counts.quiet_pairs) == (3, 1, 0)
    assert (counts.mentors_in_pairs, counts.mentees_in_pairs, counts.covered) == (2, 3, 5)
    assert counts.young_mentees_in_pairs == 2
    assert (counts.cycles_met, counts.cycles_missed, counts.compliance) == (4, 2, 66.7)
    assert counts.cycles_by_month == {"2026-09": (2, 2), "2026-10": (2, 4)}
    assert counts.meetings == 6
    assert counts.meetings_by_month == {"2026-09": 3, "2026-10": 2, "2026-11": 1}
    assert (counts.responses_opened, counts.responses_submitted, counts.completion) == (5, 4, 80.0)
    mentees, mentors = counts.satisfaction["mentee"], counts.satisfaction["mentor"]
    assert (mentees.n, mentees.satisfied, mentees.scores) == (3, 2, {9: 1, 6: 1, 8: 1})
    assert (mentors.n, mentors.satisfied) == (1, 1)

    values = {value.indicator: value for value in stats.indicators}
    young = values[Indicator.YOUNG_SPECIALISTS]
    assert (young.numerator, young.denominator, young.source) == (2, 4, Source.PROFILES)
    assert (young.percent, young.target, young.target_year) == (50.0, 90, 2026)
    covered = values[Indicator.TEACHERS_COVERED]
    assert (covered.numerator, covered.denominator, covered.percent) == (5, 8, 62.5)
    assert covered.met is True  # 60 % from 2024 on
    under_35 = values[Indicator.YOUNG_TEACHERS]
    assert (under_35.denominator, under_35.source, under_35.percent) == (None, Source.NONE, None)
    satisfied = values[Indicator.MENTEE_SATISFACTION]
    assert (satisfied.numerator, satisfied.denominator, satisfied.source) == (
        2,
        3,
        Source.RESPONSES,
    )
    assert values[Indicator.RETENTION].denominator is None


async def test_the_screen_and_the_entered_figures(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    curator, _curator_id, _ = await _school(superadmin, person, app, clock)
    [screen] = await curator.send("/stats")
    assert "учебный год 2026/27" in screen
    assert "Участники: 10" in screen
    assert "молодые специалисты" in screen.lower()
    assert "2 из 4 — 50 % (цель 2026: 90 %)" in screen
    assert "посчитан по профилям" in screen
    assert "5 из 8 — 62,5 % (цель 2026: 60 %)" in screen

    # The curator enters the number of young specialists in /programme → Figures.
    await curator.send("/programme")
    await curator.click("📐 Численность…")
    [ask] = await curator.click("Молодых специалистов (стаж до 3 лет)")
    assert "числом" in ask
    [wrong] = await curator.send("девять")
    assert "Пришлите число" in wrong
    [saved] = await curator.send("5")
    assert "Сохранено" in saved and "5" in saved
    [screen] = await curator.send("/stats")
    assert "2 из 5 — 40 % (цель 2026: 90 %)" in screen
    assert "введён куратором" in screen

    # Young specialists who left the profession give the retention.
    await curator.send("/programme")
    await curator.click("📐 Численность…")
    await curator.click("Ушли из профессии (молодые специалисты, за год)")
    await curator.send("1")
    [screen] = await curator.send("/stats")
    assert "4 из 5 — 80 % (цель 2026: 99 %)" in screen


async def test_charts_are_pictures(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    clock: FakeClock,
    session: RecordingSession,
) -> None:
    curator, _curator_id, _ = await _school(superadmin, person, app, clock)
    await curator.send("/stats")
    await curator.click("📈 Графики")
    files = [(name, data) for chat, name, data in session.documents if chat == curator.user.id]
    assert [name for name, _data in files] == [
        "meetings.png",
        "compliance.png",
        "satisfaction.png",
        "before_after.png",
    ]
    assert all(data.startswith(PNG) for _name, data in files)


async def test_others_are_refused(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    _curator, _curator_id, school = await _school(superadmin, person, app, clock)
    teacher = person(4001)
    [refused] = await teacher.send("/stats")
    assert refused == "Это вам недоступно."
    [forged] = await teacher.press(f"st:{school.organisation_id}:show:0")
    assert forged == "Это вам недоступно."
    [forged] = await teacher.press(f"st:{school.organisation_id}:charts:0")
    assert forged == "Это вам недоступно."
    [forged] = await teacher.press("st:0:rollup:0")
    assert forged == "Это вам недоступно."
    # a curator of another school
    other = person(2002)
    await make_curator(superadmin, other)
    [refused] = await other.press(f"st:{school.organisation_id}:show:0")
    assert refused == "Это вам недоступно."


async def test_figures_refuse_what_is_not_a_figure(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    curator, curator_id, school = await _school(superadmin, person, app, clock)
    await curator.send("/programme")
    await curator.click("📐 Численность…")
    await curator.click("Педагогов в организации")
    for wrong in ("<b>60</b>", "6" * 5000, "-5", "1e3"):
        [answer] = await curator.send(wrong)
        assert answer.startswith("Пришлите число")
    [answer] = await curator.send_photo()
    assert answer.startswith("Пришлите число")
    [answer] = await curator.send("100001")
    assert "Слишком большое число" in answer
    [saved] = await curator.send("60")
    assert "<b>60</b>" in saved
    # more young specialists leaving than there are is refused, the form stays open
    await curator.click("Молодых специалистов (стаж до 3 лет)")
    await curator.send("3")
    await curator.click("Ушли из профессии (молодые специалисты, за год)")
    [answer] = await curator.send("4")
    assert "не может быть больше" in answer
    [cancelled] = await curator.send("/cancel")
    assert cancelled
    year, figures = await app.services.figures.current(curator_id, school.organisation_id)
    assert (year.first.year, figures.teachers, figures.young_specialists) == (2026, 60, 3)
    assert figures.young_left is None
    # a dash clears a figure
    await curator.send("/programme")
    await curator.click("📐 Численность…")
    await curator.click("Педагогов в организации")
    await curator.send("-")
    _year, figures = await app.services.figures.current(curator_id, school.organisation_id)
    assert figures.teachers is None
    # a teacher cannot set them, even with a forged button
    teacher = person(4001)
    [refused] = await teacher.press(f"ps:{school.organisation_id}:figure:teachers")
    assert refused == "Это вам недоступно."
