from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import (
    OrgCreateCallback,
    OrgCuratorInviteCallback,
    OrgPageCallback,
    TimezoneCallback,
)
from models import InviteRole
from services.organisations.registry import OrganisationPage
from services.organisations.timezones import RUSSIAN_TIMEZONES


def timezone_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, (zone, offset) in enumerate(RUSSIAN_TIMEZONES):
        city = zone.split("/")[1].replace("_", " ")
        builder.button(text=f"{city} (UTC+{offset})", callback_data=TimezoneCallback(index=index))
    builder.adjust(2)
    return builder.as_markup()


def confirm_organisation_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Create"), callback_data=OrgCreateCallback(answer="yes"))
    builder.button(text=_("Cancel"), callback_data=OrgCreateCallback(answer="no"))
    builder.adjust(2)
    return builder.as_markup()


def organisations_keyboard(page: OrganisationPage) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for organisation in page.items:
        builder.button(
            text=_("Curator invite: {name}").format(name=organisation.name[:40]),
            callback_data=OrgCuratorInviteCallback(organisation_id=organisation.id),
        )
        builder.button(
            text="🏙 " + _("Coordinator"),
            callback_data=OrgCuratorInviteCallback(
                organisation_id=organisation.id, role=InviteRole.COORDINATOR.value
            ),
        )
    navigation = []
    if page.page > 0:
        navigation.append(("« " + _("Back"), page.page - 1))
    if page.page + 1 < page.pages:
        navigation.append((_("Next") + " »", page.page + 1))
    for text, target in navigation:
        builder.button(text=text, callback_data=OrgPageCallback(page=target))
    builder.adjust(*([2] * len(page.items)), len(navigation) or 1)
    return builder.as_markup()
