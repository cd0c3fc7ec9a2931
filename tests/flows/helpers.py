"""Journeys several flow tests start from."""

from __future__ import annotations

import re

from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select

from bot.app import Application
from models import MeetingFormat, MenteeCategory, Person, ProfileRole
from services.people.profiles import ProfileDraft
from tests.fakes import BOT_USERNAME, TelegramClient
from tests.identity import of_telegram

LINK = re.compile(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)")


def invite_code(text: str) -> str:
    match = LINK.search(text)
    assert match, f"no invite link in {text!r}"
    return match.group(1)


async def create_organisation(
    superadmin: TelegramClient,
    name: str = "МБОУ «СОШ № 7»",
    address: str = "663300, г. Норильск, ул. Ленина, 1",
    timezone_button: str = "Krasnoyarsk (UTC+7)",
) -> str:
    """Create an organisation through /org_new; returns the curator invite code."""
    await superadmin.send("/org_new")
    await superadmin.send(name)
    await superadmin.send(address)
    await superadmin.click(timezone_button)
    replies = await superadmin.click("Создать")
    return invite_code(replies[-1])


async def make_curator(superadmin: TelegramClient, curator: TelegramClient) -> None:
    code = await create_organisation(superadmin)
    await curator.send(f"/start {code}")


async def curator_invite(curator: TelegramClient, role_button: str) -> str:
    await curator.send("/invite")
    replies = await curator.click(role_button)
    return invite_code(replies[-1])


async def join_with_consent(
    teacher: TelegramClient, code: str, agree: str = "✅ Я согласен(на)"
) -> None:
    """Open the invite and agree. The profile form that follows is left unanswered."""
    await teacher.send(f"/start {code}")
    await teacher.click(agree)


async def complete_profile(
    app: Application,
    telegram_id: int,
    full_name: str = "Иванова Анна Петровна",
    role: ProfileRole = ProfileRole.MENTEE,
    **answers: object,
) -> int:
    """Store a complete profile through the service (as the form would); returns the person id.
    `answers` override any ProfileDraft field (subjects, experience_years, offered_domains…)."""
    async with app.database.read() as db:
        person_id = await db.scalar(select(Person.id).where(of_telegram(telegram_id)))
    assert person_id is not None
    organisation_id = await app.services.profiles.organisation_for_form(person_id)
    draft = ProfileDraft(
        full_name=full_name,
        position="учитель",
        subjects=("Математика", "Физика"),
        experience_years=2,
        organisation_years=1,
        role=role,
        mentee_category=MenteeCategory.YOUNG_SPECIALIST if role.is_mentee else None,
        needed_domains=("methodological", "ict") if role.is_mentee else (),
        offered_domains=("subject",) if role.mentors else (),
        meeting_format=MeetingFormat.IN_PERSON,
        days=("mon", "wed"),
        times=("morning",),
        capacity=2 if role.mentors else None,
    ).with_changes(**answers)
    await app.services.profiles.save(person_id, organisation_id, draft)
    return person_id


async def consented_teacher(
    superadmin: TelegramClient,
    curator: TelegramClient,
    teacher: TelegramClient,
    role_button: str = "Наставляемый",
) -> list[str]:
    """Make the organisation and its curator unless `curator` already is one, invite the teacher
    in the role of `role_button`, open the link and agree to the consent. Returns the bot's
    answers to the agreement: the profile form's introduction and its first question."""
    seen = len(curator.session.requests)
    await curator.send("/invite")
    offered = [
        button.text
        for method in curator.session.requests[seen:]
        if isinstance(method, SendMessage) and isinstance(method.reply_markup, InlineKeyboardMarkup)
        for row in method.reply_markup.inline_keyboard
        for button in row
    ]
    if role_button not in offered:
        await make_curator(superadmin, curator)
    code = await curator_invite(curator, role_button)
    await teacher.send(f"/start {code}")
    english = (teacher.user.language_code or "").startswith("en")
    return await teacher.click("✅ I agree" if english else "✅ Я согласен(на)")
