"""Curators create, list and revoke invite links; teachers join with them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.app import Application
from bot.telegram.callbacks import InviteRevokeCallback, InviteRoleCallback
from models import AuditEntry, Invite, ProgrammeRole, RoleAssignment, RoleKind
from tests.conftest import PersonFactory
from tests.fakes import FakeClock, TelegramClient
from tests.flows.helpers import create_organisation, curator_invite, invite_code, make_curator


async def _curator(superadmin: TelegramClient, person: PersonFactory) -> TelegramClient:
    curator = person(2001)
    await make_curator(superadmin, curator)
    return curator


async def test_teacher_joins_with_a_mentee_invite(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = await _curator(superadmin, person)
    replies = await curator.send("/invite")
    assert "Для кого приглашение" in replies[-1]
    assert curator.buttons() == [
        "Наставляемый",
        "Наставник",
        "Наставник или наставляемый",
        "Куратор",
        "Руководитель организации",
    ]
    replies = await curator.click("Наставляемый")
    assert "любой" in replies[-1]  # multi-use: may go to the staff chat
    code = invite_code(replies[-1])

    teacher = person(4001)
    replies = await teacher.send(f"/start {code}")
    assert "Добро пожаловать" in replies[0]
    assert "согласие" in replies[1]
    colleague = person(4002, language_code="en")
    replies = await colleague.send(f"/start {code}")
    assert "Welcome to the mentorship programme" in replies[0]

    async with app.database.read() as db:
        participants = (
            await db.scalars(
                select(RoleAssignment).where(RoleAssignment.role == RoleKind.PARTICIPANT)
            )
        ).all()
        invite = await db.scalar(select(Invite).where(Invite.code == code))
    assert {p.programme_role for p in participants} == {ProgrammeRole.MENTEE}
    assert len(participants) == 2
    assert invite is not None and invite.uses == 2


async def test_unknown_expired_and_revoked_codes_explain_what_to_do(
    superadmin: TelegramClient, person: PersonFactory, clock: FakeClock
) -> None:
    curator = await _curator(superadmin, person)
    teacher = person(4001)

    replies = await teacher.send("/start nosuchcode123")
    assert "не знаю такой ссылки" in replies[-1]
    assert "новую ссылку" in replies[-1]

    replies = await teacher.send("/start " + "x" * 500)
    assert "не знаю такой ссылки" in replies[-1]

    revoked = await curator_invite(curator, "Наставник")
    await curator.send("/invites")
    await curator.click("Отозвать №1")
    replies = await curator.click("Да, отозвать")
    assert "отозвано" in replies[-1]
    replies = await teacher.send(f"/start {revoked}")
    assert "отозвал" in replies[-1]

    expiring = await curator_invite(curator, "Наставник")
    clock.advance(days=30, seconds=1)
    replies = await teacher.send(f"/start {expiring}")
    assert "истёк" in replies[-1]
    assert "новую ссылку" in replies[-1]


async def test_invite_list_shows_only_working_links(
    superadmin: TelegramClient, person: PersonFactory, clock: FakeClock
) -> None:
    curator = await _curator(superadmin, person)
    replies = await curator.send("/invites")
    assert "нет" in replies[-1]
    await curator_invite(curator, "Наставник")
    clock.advance(days=20)
    await curator_invite(curator, "Наставляемый")
    replies = await curator.send("/invites")
    assert replies[-1].count("https://t.me/") == 2
    assert "использована 0 раз" in replies[-1]
    clock.advance(days=11)  # the first one has expired
    replies = await curator.send("/invites")
    assert replies[-1].count("https://t.me/") == 1
    assert "наставляемый" in replies[-1]


async def test_keep_it_does_not_revoke(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = await _curator(superadmin, person)
    code = await curator_invite(curator, "Наставник")
    await curator.send("/invites")
    await curator.click("Отозвать №1")
    replies = await curator.click("Оставить")
    assert "продолжает действовать" in replies[-1]
    teacher = person(4001)
    replies = await teacher.send(f"/start {code}")
    assert "Добро пожаловать" in replies[0]


async def test_participant_cannot_invite(superadmin: TelegramClient, person: PersonFactory) -> None:
    curator = await _curator(superadmin, person)
    code = await curator_invite(curator, "Наставник")
    teacher = person(4001)
    await teacher.send(f"/start {code}")
    await teacher.click("✅ Я согласен(на)")
    await teacher.send("/cancel")  # leave the profile form that starts after consent
    assert await teacher.send("/invite") == ["Это вам недоступно."]
    assert await teacher.send("/invites") == ["Это вам недоступно."]


async def test_forged_buttons_change_nothing(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = await _curator(superadmin, person)
    code = await curator_invite(curator, "Наставник")
    async with app.database.read() as db:
        invite = await db.scalar(select(Invite).where(Invite.code == code))
    assert invite is not None

    # A curator of another school presses a revoke button crafted for this invite.
    other_curator = person(2002)
    other_code = await create_organisation(superadmin, name="Школа № 2")
    await other_curator.send(f"/start {other_code}")
    forged = InviteRevokeCallback(invite_id=invite.id, step="yes").pack()
    replies = await other_curator.press(forged)
    assert replies == ["Это вам недоступно."]
    # ...or asks for an invite into the other school.
    forged_role = InviteRoleCallback(organisation_id=invite.organisation_id, role="curator")
    assert await other_curator.press(forged_role.pack()) == ["Это вам недоступно."]

    # Garbage, an unknown role, a missing object.
    assert await curator.press("no:such:button") == ["Эта кнопка больше не действует."]
    bad_role = InviteRoleCallback(organisation_id=invite.organisation_id, role="king").pack()
    assert await curator.press(bad_role) == ["Эта кнопка больше не действует."]
    missing = InviteRevokeCallback(invite_id=99_999, step="yes").pack()
    assert await curator.press(missing) == ["Эта кнопка больше не действует."]

    teacher = person(4001)
    replies = await teacher.send(f"/start {code}")
    assert "Добро пожаловать" in replies[0]
    async with app.database.read() as db:
        assert (await db.scalar(select(Invite).where(Invite.code == code))).revoked_at is None  # type: ignore[union-attr]


async def test_double_press_on_revoke_revokes_once(
    superadmin: TelegramClient, person: PersonFactory, app: Application
) -> None:
    curator = await _curator(superadmin, person)
    await curator_invite(curator, "Наставник")
    await curator.send("/invites")
    await curator.click("Отозвать №1")
    message_id, data = curator.keyboard_message("Да, отозвать")
    results = await asyncio.gather(
        curator.press(data, message_id=message_id), curator.press(data, message_id=message_id)
    )
    texts = sorted(text for replies in results for text in replies)
    assert "Эта кнопка больше не действует." in texts
    assert any("отозвано" in text for text in texts)
    async with app.database.read() as db:
        revocations = (
            await db.scalars(select(AuditEntry).where(AuditEntry.action == "invite.revoked"))
        ).all()
    assert len(revocations) == 1


async def test_curator_of_two_schools_chooses_one(
    superadmin: TelegramClient, person: PersonFactory
) -> None:
    curator = person(2001)
    for name in ("Школа № 1", "Школа № 2"):
        code = await create_organisation(superadmin, name=name)
        await curator.send(f"/start {code}")
    replies = await curator.send("/invite")
    assert "Для какой организации" in replies[-1]
    await curator.click("Школа № 2")
    replies = await curator.click("Наставник")
    assert "Школа № 2" in replies[-1]


async def test_invite_expiry_defaults_to_thirty_days(
    superadmin: TelegramClient, person: PersonFactory, app: Application, clock: FakeClock
) -> None:
    curator = await _curator(superadmin, person)
    code = await curator_invite(curator, "Наставник")
    async with app.database.read() as db:
        invite = await db.scalar(select(Invite).where(Invite.code == code))
    assert invite is not None
    assert invite.expires_at - clock.now() == timedelta(days=30)
    assert invite.max_uses is None
    assert len(code) >= 16
