"""/report: the curator picks a period and gets the workbook (checked cell by cell on the known
school), the Word documents and the charts, behind a "preparing…" message that goes away; the
period typed by hand; refusals; the audit record."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import Any

import openpyxl
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import DeleteMessage
from sqlalchemy import select

from bot.app import Application
from models import AuditEntry
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, RecordingSession, TelegramClient, api_error
from tests.flows.helpers import make_curator
from tests.flows.test_stats import PNG, _school


def _files(session: RecordingSession, chat_id: int) -> dict[str, bytes]:
    return {name: data for chat, name, data in session.documents if chat == chat_id}


def _sheet(book: openpyxl.Workbook, name: str) -> list[list[Any]]:
    return [list(row) for row in book[name].iter_rows(values_only=True)]


def _day(value: object) -> date:
    """A cell Excel holds as a date (openpyxl reads it back as a datetime)."""
    assert isinstance(value, datetime), f"{value!r} is not a date cell"
    return value.date()


async def test_the_documents_of_the_programme_year(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    clock: FakeClock,
    session: RecordingSession,
) -> None:
    curator, curator_id, school = await _school(superadmin, person, app, clock)
    [ask] = await curator.send("/report")
    assert "За какой период" in ask
    assert curator.buttons() == [
        "4 квартал 2026",
        "3 квартал 2026",
        "учебный год 2026/27",
        "учебный год 2025/26",
        "📅 Другие даты…",
    ]
    replies = await curator.click("учебный год 2026/27")
    assert any("Готовлю документы" in reply for reply in replies)
    files = _files(session, curator.user.id)
    assert sorted(files) == sorted(
        [
            "mentoring_2026-09-01_2027-08-31.xlsx",
            "analytical_report_2026-09-01_2027-08-31.docx",
            "quarterly_report_2026-09-01_2027-08-31.docx",
            "order_draft_2027-08-31.docx",
            "meetings.png",
            "compliance.png",
            "satisfaction.png",
            "before_after.png",
        ]
    )
    assert all(data.startswith(PNG) for name, data in files.items() if name.endswith(".png"))
    # The "preparing…" message was replaced by the files.
    assert any(
        isinstance(method, DeleteMessage) and method.chat_id == curator.user.id
        for method in session.requests
    )

    book = openpyxl.load_workbook(io.BytesIO(files["mentoring_2026-09-01_2027-08-31.xlsx"]))
    assert book.sheetnames == [
        "О документе",
        "Показатели",
        "Реестр наставников",
        "База наставляемых",
        "Пары",
        "Журнал встреч",
        "Анкеты",
        "Столбцы",
    ]
    about = dict((row[0], row[1]) for row in _sheet(book, "О документе"))
    assert about["Организация"] == "МБОУ «СОШ № 7»"
    assert about["Период"] == "учебный год 2026/27"
    assert about["Сформирован"] == "03.12.2026 10:00"

    indicators = _sheet(book, "Показатели")
    assert indicators[0][:7] == [
        "Показатель",
        "Числитель",
        "Знаменатель",
        "Знаменатель взят",
        "Значение",
        "Год цели",
        "Цель",
    ]
    by_name = {row[0]: row for row in indicators[1:]}
    young = by_name["Молодые специалисты в программе в роли наставляемых"]
    # the year is not over: today's year's target applies (2026: 90 %)
    assert young[1:8] == [2, 4, "посчитан по профилям в боте", 0.5, 2026, 0.9, "нет"]
    covered = by_name["Охват педагогов наставничеством (наставники и наставляемые)"]
    assert covered[1:8] == [5, 8, "посчитан по профилям в боте", 0.625, 2026, 0.6, "да"]
    mentees = by_name["Удовлетворённость наставляемых"]
    assert mentees[1:3] == [2, 3] and abs(mentees[4] - 2 / 3) < 1e-9
    assert "не ниже 7 из 10" in mentees[8]
    assert book["Показатели"]["E2"].number_format == "0.0%"
    assert book["Показатели"].freeze_panes == "A2"
    assert book["Показатели"].auto_filter.ref is not None

    mentors = _sheet(book, "Реестр наставников")
    assert [row[0] for row in mentors[1:]] == [
        "Орлова Мария Ивановна",
        "Петров Олег Сергеевич",
        "Сидорова Нина Павловна",
    ]
    # Орлова: 20 years, places 2 (the default), two pairs now (P1 active, P3 awaiting the order)
    assert mentors[1][3:5] == [20, 2]
    assert mentors[1][6:10] == [2, 2, 2, "да"]

    mentees_base = _sheet(book, "База наставляемых")
    names = [row[0] for row in mentees_base[1:]]
    assert names == [
        "Анина Анна Андреевна",
        "Борисов Борис Борисович",
        "Волкова Вера Викторовна",
        "Дёмина Дарья Денисовна",
        "Егоров Егор Евгеньевич",
        "Сидорова Нина Павловна",  # mentor and mentee
    ]
    demina = mentees_base[4]
    assert _day(demina[4]) == date(2026, 11, 1)  # a real date
    assert demina[6] == "Всё <сразу> & вдруг"  # the words as typed
    assert mentees_base[1][10] == "Орлова Мария Ивановна"

    pairs = _sheet(book, "Пары")
    assert len(pairs) == 4  # header + the three pairs that worked this year
    first = pairs[1]
    assert first[7] == "12-од" and _day(first[8]) == date(2026, 9, 10)
    assert first[11] == 4 and _day(first[12]) == date(2026, 10, 30)

    log = _sheet(book, "Журнал встреч")
    assert len(log) == 7  # header + six meetings in the period
    days = [_day(row[0]) for row in log[1:]]
    assert days == sorted(days)
    assert log[1][7] == "Урок <открытый> & разбор"

    results = _sheet(book, "Анкеты")
    satisfied = [row for row in results[1:] if str(row[3]).startswith("Удовлетворены")]
    assert [(row[0], row[4], row[7]) for row in satisfied] == [
        ("Анкета удовлетворённости наставляемого", 3, "2 из 3"),
        # a single answer is not broken down
        ("Анкета удовлетворённости наставника", 1, "меньше 3 ответов"),
    ]

    explained = _sheet(book, "Столбцы")
    assert ("Пары", "№ приказа") in {(row[0], row[1]) for row in explained}

    # The Word documents are real documents; the quarterly report has no personal data.
    for name in ("analytical_report", "quarterly_report", "order_draft"):
        [data] = [content for file, content in files.items() if file.startswith(name)]
        assert zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    [quarterly] = [content for file, content in files.items() if file.startswith("quarterly")]
    xml = zipfile.ZipFile(io.BytesIO(quarterly)).read("word/document.xml").decode()
    names = [*school.mentors, *school.mentees]
    surnames = [name.split()[0] for name in names if name.count(" ") == 2]
    for surname in [*surnames, "Жукова"]:
        assert surname not in xml
    [order] = [content for file, content in files.items() if file.startswith("order_draft")]
    xml = zipfile.ZipFile(io.BytesIO(order)).read("word/document.xml").decode()
    assert "Волкова" in xml and "Анина" not in xml  # only the pair awaiting its order

    async with app.database.read() as db:
        entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "report.made"))
    assert entry is not None and entry.actor_id == curator_id
    assert entry.details["first"] == "2026-09-01"


async def test_typed_dates_and_bad_input(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    clock: FakeClock,
    session: RecordingSession,
) -> None:
    curator, _curator_id, _ = await _school(superadmin, person, app, clock)
    await curator.send("/report")
    [ask] = await curator.click("📅 Другие даты…")
    assert "01.09.2026 – 31.12.2026" in ask
    [wrong] = await curator.send("31.12.2026 – 01.09.2026")
    assert "не удалось прочитать" in wrong.lower()
    [wrong] = await curator.send_photo()
    assert "не удалось прочитать" in wrong.lower()
    [wrong] = await curator.send("01.01.2020 – 31.12.2026")
    assert "не удалось прочитать" in wrong.lower()
    await curator.send("01.10.2026 – 31.10.2026")
    files = _files(session, curator.user.id)
    name = "mentoring_2026-10-01_2026-10-31.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(files[name]))
    log = _sheet(book, "Журнал встреч")
    # the October meetings only
    assert [_day(row[0]) for row in log[1:]] == [date(2026, 10, 2), date(2026, 10, 30)]


async def test_others_are_refused(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    clock: FakeClock,
    session: RecordingSession,
) -> None:
    _curator, _curator_id, school = await _school(superadmin, person, app, clock)
    teacher = person(4001)
    [refused] = await teacher.send("/report")
    assert refused == "Это вам недоступно."
    [forged] = await teacher.press(f"rb:{school.organisation_id}:20260901-20270831")
    assert forged == "Это вам недоступно."
    [forged] = await teacher.press("rb:0:20260901-20270831")
    assert forged == "Это вам недоступно."
    other = person(2002)
    await make_curator(superadmin, other)
    [refused] = await other.press(f"rb:{school.organisation_id}:20260901-20270831")
    assert refused == "Это вам недоступно."
    [stale] = await other.press(f"rb:{school.organisation_id}:garbage")
    assert stale in ("Это вам недоступно.", "Эта кнопка больше не действует.")
    assert session.documents == []


async def test_a_preparing_message_already_gone_is_no_trouble(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    clock: FakeClock,
    session: RecordingSession,
) -> None:
    curator, _curator_id, _ = await _school(superadmin, person, app, clock)
    session.fail_next(
        api_error(TelegramBadRequest, "Bad Request: message to delete not found"),
        when=lambda method: isinstance(method, DeleteMessage),
    )
    await curator.send("/report")
    replies = await curator.click("учебный год 2026/27")
    assert not any("что-то пошло не так" in reply for reply in replies)
    assert "mentoring_2026-09-01_2027-08-31.xlsx" in _files(session, curator.user.id)
