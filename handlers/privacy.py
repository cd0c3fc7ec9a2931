"""/privacy: what is stored about the person, a download of it, and withdrawal of consent."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram import labels
from bot.telegram.callbacks import PrivacyCallback
from bot.telegram.commands import CommandMenus
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.common import LANGUAGE_NAMES
from bot.telegram.keyboards.privacy import privacy_keyboard, withdraw_confirm_keyboard
from bot.telegram.labels import role_name
from bot.telegram.texts import Texts
from models import RoleKind
from services.core.errors import StaleAction
from services.people.privacy import ConsentRecord, PrivacyOverview

EXPORT_FILENAME = "nastavnik-my-data.json"


def _role_label(kind: RoleKind, programme_role: str | None) -> str:
    if kind == RoleKind.PARTICIPANT and programme_role:
        return role_name(programme_role)
    names = {
        RoleKind.PARTICIPANT: _("participant"),
        RoleKind.CURATOR: role_name("curator"),
        RoleKind.HEAD: role_name("head"),
        RoleKind.COORDINATOR: _("municipal coordinator"),
        RoleKind.SUPERADMIN: _("administrator of the bot"),
    }
    return names[kind]


def _moments(profile: dict[str, Any]) -> dict[str, Any]:
    """The export keeps ISO strings; the screen shows them in the organisation's time zone."""
    shown = dict(profile)
    for key in ("completed_at", "updated_at"):
        shown[key] = datetime.fromisoformat(profile[key]) if profile[key] else None
    until = profile["unavailable_until"]
    shown["unavailable_until"] = date.fromisoformat(until) if until else None
    return shown


def _consent_state(overview: PrivacyOverview) -> list[tuple[str, ConsentRecord | None]]:
    """Each organisation with the person's latest decision, or None if they have not answered."""
    latest: dict[str, ConsentRecord | None] = {
        name: None for name, kind, _programme_role in overview.roles if kind == RoleKind.PARTICIPANT
    }
    for record in overview.consents:
        latest[record.organisation_name] = record
    return list(latest.items())


def _nothing_but_contact(overview: PrivacyOverview) -> bool:
    return not (overview.full_name or overview.roles or overview.consents or overview.profiles)


async def cmd_privacy(
    message: Message, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """/privacy: everything stored, who sees it, and the buttons to download it or withdraw."""
    overview = await services.privacy.overview(person.id)
    context: dict[str, Any] = {
        "o": overview,
        "timezone": overview.timezone or "UTC",
        "in_utc": overview.timezone is None,
        "language": LANGUAGE_NAMES.get(overview.locale, overview.locale),
    }
    if _nothing_but_contact(overview):
        text = texts.render("privacy/empty.j2", **context)
    else:
        text = texts.render(
            "privacy/overview.j2",
            **context,
            roles=[
                (organisation, _role_label(kind, programme_role))
                for organisation, kind, programme_role in overview.roles
            ],
            consent_state=_consent_state(overview),
            profiles=[_moments(profile) for profile in overview.profiles],
            labels=labels,
        )
    await message.answer(text, reply_markup=privacy_keyboard(can_withdraw=overview.has_agreed))


async def on_privacy(
    callback: CallbackQuery,
    callback_data: PrivacyCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
    menus: CommandMenus,
) -> None:
    """The /privacy buttons: download, withdraw (asks first), and the answer to the question."""
    chat_id = person.chat_id
    action = callback_data.action
    if action == "export":
        data = await services.privacy.export(person.id)
        content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        await callback.answer()
        await bot.send_document(
            chat_id,
            BufferedInputFile(content, filename=EXPORT_FILENAME),
            caption=_("Everything the bot stores about you, in JSON."),
        )
        return
    if action == "withdraw":
        overview = await services.privacy.overview(person.id)
        if not overview.has_agreed:
            raise StaleAction
        await callback.answer()
        await bot.send_message(
            chat_id,
            texts.render("privacy/withdraw_confirm.j2", organisations=overview.organisation_names),
            reply_markup=withdraw_confirm_keyboard(),
        )
        return
    if action == "withdraw_yes":
        withdrawal = await services.privacy.withdraw(person.id)
        # Whatever form was open belongs to a person who no longer exists.
        await state.clear()
        await callback.answer()
        await _drop_buttons(callback, bot, chat_id)
        await bot.send_message(
            chat_id, texts.render("privacy/withdrawn.j2", number=withdrawal.number)
        )
        await menus.reset_for(bot, chat_id)
        return
    if action == "withdraw_no":
        await callback.answer()
        await _drop_buttons(callback, bot, chat_id)
        await bot.send_message(
            chat_id, _("Nothing has changed: your consent and your data stay as they were.")
        )
        return
    raise StaleAction


async def _drop_buttons(callback: CallbackQuery, bot: Bot, chat_id: int) -> None:
    """The question is answered; its buttons must not be pressed a second time."""
    if callback.message is None:
        return
    try:
        await bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=callback.message.message_id, reply_markup=None
        )
    except TelegramBadRequest:
        # Too old to edit: harmless, the service refuses a second answer anyway.
        return


def get_router() -> Router:
    router = Router(name="privacy")
    router.message.register(cmd_privacy, Command("privacy"))
    router.callback_query.register(on_privacy, PrivacyCallback.filter())
    return router
