"""The municipal coordinator: invited by the superadmin to several organisations, sees their
numbers side by side and gets the roll-up documents, with no personal data in any of them and
no group smaller than three broken down; curators cannot appoint one."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl

from bot.app import Application
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, RecordingSession, TelegramClient
from tests.flows.helpers import create_organisation, invite_code
from tests.flows.test_stats import _school

SECOND_SCHOOL = "МБДОУ «Детский сад № 3»"


async def _coordinator(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> tuple[TelegramClient, TelegramClient]:
    curator, _curator_id, _ = await _school(superadmin, person, app, clock)
    await create_organisation(superadmin, name=SECOND_SCHOOL)
    coordinator = person(7001)
    for name in ("МБОУ «СОШ № 7»", SECOND_SCHOOL):
        await superadmin.send("/orgs")
        message_id, data = superadmin.keyboard_message(f"Пригласить куратора: {name}")
        # the coordinator button sits beside the curator's one
        [link] = await superadmin.press(
            data.replace(":curator", ":coordinator"), message_id=message_id
        )
        [joined] = await coordinator.send(f"/start {invite_code(link)}")
        assert "муниципальный координатор" in joined
        assert "/stats" in joined
    return curator, coordinator


async def test_the_roll_up_has_counts_only(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    clock: FakeClock,
    session: RecordingSession,
) -> None:
    curator, coordinator = await _coordinator(superadmin, person, app, clock)
    [screen] = await coordinator.send("/stats")
    assert "2 организации" in screen
    assert "МБОУ «СОШ № 7»: 10 · 3 · 6 · 66,7 %" in screen
    assert f"{SECOND_SCHOOL}: 0 · 0 · 0 · —" in screen
    # one of the two organisations provides mentors
    assert "1 из 2 — 50 %" in screen
    for surname in ("Орлова", "Анина", "Жукова"):
        assert surname not in screen

    await coordinator.send("/report")
    await coordinator.click("учебный год 2026/27")
    files = {name: data for chat, name, data in session.documents if chat == coordinator.user.id}
    assert sorted(files) == sorted(
        [
            "municipal_2026-09-01_2027-08-31.xlsx",
            "municipal_report_2026-09-01_2027-08-31.docx",
            "meetings.png",
            "compliance.png",
            "satisfaction.png",
            "before_after.png",
        ]
    )
    book = openpyxl.load_workbook(io.BytesIO(files["municipal_2026-09-01_2027-08-31.xlsx"]))
    rows: list[list[Any]] = [list(row) for row in book["Организации"].iter_rows(values_only=True)]
    kindergarten, school, total = rows[1], rows[2], rows[3]  # by name
    assert school[:6] == ["МБОУ «СОШ № 7»", 10, 2, 3, 3, 6]
    # satisfaction of 3 mentees is shown; a single mentor's answer is not
    assert abs(school[8] - 2 / 3) < 1e-9 and school[9] is None
    assert kindergarten[:6] == [SECOND_SCHOOL, 0, 0, 0, 0, 0]
    assert total[:6] == ["Итого", 10, 2, 3, 3, 6]
    assert total[9] is None  # nor in the totals, where a subtraction would reveal it

    # Nothing personal anywhere: no names, no usernames, no free text.
    everything = b"".join(
        zipfile.ZipFile(io.BytesIO(data)).read(member)
        for name, data in files.items()
        if name.endswith((".xlsx", ".docx"))
        for member in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if member.endswith(".xml")
    ).decode()
    for private in ("Орлова", "Петров", "Анина", "Дёмина", "Жукова", "Всё &lt;сразу&gt;", "Урок"):
        assert private not in everything

    # The coordinator is not a curator: the school's own commands are refused.
    [refused] = await coordinator.send("/participants")
    assert refused == "Это вам недоступно."
    [refused] = await coordinator.press("st:1:show:0")
    assert refused == "Это вам недоступно."
    # And a curator cannot appoint a coordinator.
    [refused] = await curator.press("oi:1:coordinator")
    assert refused == "Это вам недоступно."
