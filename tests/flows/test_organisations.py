"""A superadmin creates an organisation and appoints its curator by invite."""

from __future__ import annotations

from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.app import Application
from models import AuditEntry, Invite, Organisation, RoleAssignment, RoleKind
from services.outbox.sender import OutboxSender
from tests.conftest import PersonFactory
from tests.fakes import RecordingSession, TelegramClient
from tests.flows.helpers import create_organisation, invite_code


async def test_superadmin_creates_organisation_and_curator_joins(
    superadmin: TelegramClient,
    person: PersonFactory,
    app: Application,
    sender: OutboxSender,
    session: RecordingSession,
) -> None:
    await superadmin.send("/org_new")
    replies = await superadmin.send("МБДОУ «ДС № 71 «Антошка»")
    assert "адрес" in replies[-1]
    replies = await superadmin.send("663300, г. Норильск, ул. Ленина, 22")
    assert "часовой пояс" in replies[-1]
    assert "Krasnoyarsk (UTC+7)" in superadmin.buttons()
    replies = await superadmin.click("Krasnoyarsk (UTC+7)")
    assert "Asia/Krasnoyarsk" in replies[-1]
    assert "Антошка" in replies[-1]
    replies = await superadmin.click("Создать")
    assert "создана" in replies[-1]
    # The link expires in 30 days, shown in the organisation's own time zone (UTC+7).
    assert "01.10.2026 13:00" in replies[-1]
    code = invite_code(replies[-1])

    curator = person(2001)
    replies = await curator.send(f"/start {code}")
    assert "Антошка" in replies[-1]
    assert "куратор" in replies[-1]

    async with app.database.read() as db:
        organisation = (await db.scalars(select(Organisation))).one()
        assert organisation.timezone == "Asia/Krasnoyarsk"
        roles = (await db.scalars(select(RoleAssignment))).all()
        assert [(r.role, r.organisation_id) for r in roles if r.role == RoleKind.CURATOR] == [
            (RoleKind.CURATOR, organisation.id)
        ]
        actions = [entry.action for entry in await db.scalars(select(AuditEntry))]
    assert "organisation.created" in actions
    assert "invite.created" in actions
    assert "role.granted" in actions

    # The superadmin hears that the curator was appointed, through the outbox.
    await sender.run_once()
    notices = [
        m.text
        for m in session.requests
        if isinstance(m, SendMessage) and m.chat_id == superadmin.user.id
    ]
    assert any("куратор" in text and "Антошка" in text for text in notices)


async def test_typed_timezone_is_validated(superadmin: TelegramClient) -> None:
    await superadmin.send("/org_new")
    await superadmin.send("Гимназия № 1")
    await superadmin.send("г. Бодайбо, ул. Урицкого, 3")
    replies = await superadmin.send("Mars/Olympus")
    assert "не знаю такого часового пояса" in replies[-1]
    replies = await superadmin.send("asia/irkutsk")
    assert "Asia/Irkutsk" in replies[-1]


async def test_name_and_address_validation(superadmin: TelegramClient) -> None:
    await superadmin.send("/org_new")
    replies = await superadmin.send("Я")
    assert "слишком короткое" in replies[-1]
    replies = await superadmin.send("Ш" * 201)
    assert "слишком длинное" in replies[-1]
    replies = await superadmin.send_photo()
    assert "ответьте текстом" in replies[-1]
    await superadmin.send("Школа № 5")
    replies = await superadmin.send("ул")
    assert "Адрес слишком короткий" in replies[-1]


async def test_cancel_in_the_middle_keeps_nothing(
    superadmin: TelegramClient, app: Application
) -> None:
    await superadmin.send("/org_new")
    await superadmin.send("Школа № 5")
    replies = await superadmin.send("/cancel")
    assert "Ничего не сохранено" in replies[-1]
    replies = await superadmin.send("г. Москва, ул. Тверская, 1")
    assert "/help" in replies[-1]  # no longer inside the form
    async with app.database.read() as db:
        assert (await db.scalars(select(Organisation))).all() == []


async def test_help_inside_the_form_keeps_the_form(superadmin: TelegramClient) -> None:
    await superadmin.send("/org_new")
    replies = await superadmin.send("/help")
    assert "/org_new" in replies[-1]
    replies = await superadmin.send("/unknown_command")
    assert "ответьте текстом" in replies[-1]
    replies = await superadmin.send("Школа № 5")
    assert "адрес" in replies[-1]


async def test_participant_cannot_create_organisations(
    person: PersonFactory, app: Application
) -> None:
    teacher = person(3001)
    replies = await teacher.send("/org_new")
    assert replies == ["Это вам недоступно."]
    replies = await teacher.send("/orgs")
    assert replies == ["Это вам недоступно."]


async def test_orgs_lists_and_pages(superadmin: TelegramClient, person: PersonFactory) -> None:
    for number in range(12):
        await create_organisation(superadmin, name=f"Школа № {number + 1}")
    replies = await superadmin.send("/orgs")
    assert "(1/2)" in replies[-1]
    assert "Школа № 12" in replies[-1]
    replies = await superadmin.click("Далее »")
    assert "(2/2)" in replies[-1]
    assert "Школа № 1 " in replies[-1] + " "
    replies = await superadmin.click("Пригласить куратора: Школа № 1")
    code = invite_code(replies[-1])
    curator = person(2002)
    replies = await curator.send(f"/start {code}")
    assert "Школа № 1" in replies[-1]


async def test_staff_invite_works_once(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    code = await create_organisation(superadmin)
    first, second = person(2003), person(2004)
    await first.send(f"/start {code}")
    replies = await second.send(f"/start {code}")
    assert "уже использована" in replies[-1]
    # The person who used it can open it again and is told they are already in.
    replies = await first.send(f"/start {code}")
    assert "уже участвуете" in replies[-1]
    async with app.database.read() as db:
        invite = (await db.scalars(select(Invite))).one()
    assert invite.uses == 1


async def test_invisible_name_and_address_are_asked_again(
    superadmin: TelegramClient, app: Application
) -> None:
    await superadmin.send("/org_new")
    replies = await superadmin.send("\u200b\u200b\u200b")
    assert replies == ["В сообщении нет видимого текста. Отправьте полное название организации."]
    replies = await superadmin.send("\u200f\u200d\u0301 \u00a0")
    assert replies[-1].startswith("В сообщении нет видимого текста.")
    # Asked again: a real name now goes on to the address, cleaned of what was invisible.
    replies = await superadmin.send("\u200bГимназия\u00a0№ 1\u200b")
    assert "адрес" in replies[-1]
    replies = await superadmin.send("\x00\x01")
    assert replies == ["В сообщении нет видимого текста. Отправьте полный почтовый адрес."]
    await superadmin.send("г. Бодайбо, ул. Урицкого, 3")
    await superadmin.click("Krasnoyarsk (UTC+7)")
    await superadmin.click("Создать")
    async with app.database.read() as db:
        organisation = (await db.scalars(select(Organisation))).one()
    assert organisation.name == "Гимназия № 1"
