from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import (
    InviteOrganisationCallback,
    InviteRevokeCallback,
    InviteRoleCallback,
)
from bot.telegram.labels import role_name
from models import InviteRole
from services.organisations.invites import InviteView
from services.organisations.registry import OrganisationView


def organisation_choice_keyboard(
    organisations: list[OrganisationView], purpose: str
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for organisation in organisations:
        builder.button(
            text=organisation.name[:60],
            callback_data=InviteOrganisationCallback(
                organisation_id=organisation.id, purpose=purpose
            ),
        )
    builder.adjust(1)
    return builder.as_markup()


def invite_role_keyboard(organisation_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for role in InviteRole:
        if role == InviteRole.COORDINATOR:
            continue  # appointed by the superadmin from /orgs
        builder.button(
            text=role_name(role).capitalize(),
            callback_data=InviteRoleCallback(organisation_id=organisation_id, role=role.value),
        )
    builder.adjust(2, 1, 2)
    return builder.as_markup()


def invite_list_keyboard(invites: list[InviteView]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for number, invite in enumerate(invites, start=1):
        builder.button(
            text=_("Revoke #{number}").format(number=number),
            callback_data=InviteRevokeCallback(invite_id=invite.id, step="ask"),
        )
    builder.adjust(3)
    return builder.as_markup()


def revoke_confirm_keyboard(invite_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Yes, revoke"), callback_data=InviteRevokeCallback(invite_id=invite_id, step="yes")
    )
    builder.button(
        text=_("Keep it"), callback_data=InviteRevokeCallback(invite_id=invite_id, step="no")
    )
    builder.adjust(2)
    return builder.as_markup()
