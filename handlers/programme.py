"""/programme (curator): the organisation's rules for matching and pairs."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import ProgrammeSettingCallback
from bot.container import Services
from bot.keyboards.curator_pairs import (
    SETTING_CAPACITY,
    SETTING_OFFER_TTL,
    SETTING_ORDER,
    SETTING_SHOW,
    organisation_keyboard,
    programme_keyboard,
)
from bot.texts import Texts
from handlers.pairs import redraw
from services.errors import StaleAction
from services.people import PersonView

FIELDS = {
    SETTING_CAPACITY: "default_capacity",
    SETTING_OFFER_TTL: "offer_ttl_hours",
}


def _change(setting: str, value: str) -> dict[str, Any]:
    """The service's keyword for a button; anything else is a forged or stale button."""
    if setting in FIELDS and value.isdigit() and len(value) <= 4:
        return {FIELDS[setting]: int(value)}
    if setting == SETTING_ORDER and value in ("0", "1"):
        return {"pairs_require_order": value == "1"}
    raise StaleAction


async def cmd_programme(
    message: Message, person: PersonView, services: Services, texts: Texts, bot: Bot
) -> None:
    """/programme (curator): the settings, or first a choice of organisation."""
    organisations = await services.organisations.curated(person.id)
    if not organisations:
        await message.answer(_("You curate no organisation. Use /orgs to invite a curator."))
        return
    if len(organisations) > 1:
        await message.answer(
            _("Which organisation's programme do you want to set up?"),
            reply_markup=organisation_keyboard(
                organisations,
                lambda org_id: ProgrammeSettingCallback(
                    organisation_id=org_id, setting=SETTING_SHOW
                ),
            ),
        )
        return
    organisation = organisations[0]
    settings = await services.programme.get(person.id, organisation.id)
    text = texts.render(
        "curator_pairs/programme.j2",
        settings=settings,
        organisation_name=organisation.name,
        notice=None,
    )
    await message.answer(text, reply_markup=programme_keyboard(organisation.id, settings))


async def on_programme_setting(
    callback: CallbackQuery,
    callback_data: ProgrammeSettingCallback,
    person: PersonView,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """A setting's button: change it (or just show the settings) and redraw them."""
    organisation_id = callback_data.organisation_id
    if callback_data.setting == SETTING_SHOW:
        settings = await services.programme.get(person.id, organisation_id)
        notice = None
    else:
        changes = _change(callback_data.setting, callback_data.value)
        settings = await services.programme.change(person.id, organisation_id, **changes)
        notice = _("Saved.")
    organisation = await services.organisations.get(person.id, organisation_id)
    text = texts.render(
        "curator_pairs/programme.j2",
        settings=settings,
        organisation_name=organisation.name,
        notice=notice,
    )
    await callback.answer()
    await redraw(
        bot, person.telegram_id, callback, text, programme_keyboard(organisation_id, settings)
    )


def get_router() -> Router:
    router = Router(name="programme")
    router.message.register(cmd_programme, Command("programme"), StateFilter(None))
    router.callback_query.register(on_programme_setting, ProgrammeSettingCallback.filter())
    return router
