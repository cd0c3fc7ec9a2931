from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import ConsentCallback, ConsentSettingsCallback
from services.people.consent import RETENTION_CHOICES


def consent_keyboard(document_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text="✅ " + _("I agree"),
        callback_data=ConsentCallback(document_id=document_id, answer="yes"),
    )
    builder.button(
        text=_("Decline"), callback_data=ConsentCallback(document_id=document_id, answer="no")
    )
    builder.adjust(1)
    return builder.as_markup()


def renewal_refusal_keyboard(document_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Yes, withdraw and erase my data"),
        callback_data=ConsentCallback(document_id=document_id, answer="erase"),
    )
    builder.button(
        text=_("Back to the consent text"),
        callback_data=ConsentCallback(document_id=document_id, answer="show"),
    )
    builder.adjust(1)
    return builder.as_markup()


def retention_keyboard(organisation_id: int, current: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for years in RETENTION_CHOICES:
        label = ngettext("{count} year", "{count} years", years).format(count=years)
        builder.button(
            text=("✓ " if years == current else "") + label,
            callback_data=ConsentSettingsCallback(organisation_id=organisation_id, years=years),
        )
    builder.adjust(3)
    return builder.as_markup()
