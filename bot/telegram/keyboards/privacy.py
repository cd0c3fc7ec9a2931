"""Buttons of /privacy: download the data, withdraw consent, and the confirmation."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import PrivacyCallback


def privacy_keyboard(*, can_withdraw: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text="📥 " + _("Download my data"), callback_data=PrivacyCallback(action="export")
    )
    if can_withdraw:
        builder.button(text=_("Withdraw consent"), callback_data=PrivacyCallback(action="withdraw"))
    builder.adjust(1)
    return builder.as_markup()


def withdraw_confirm_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Yes, withdraw"), callback_data=PrivacyCallback(action="withdraw_yes"))
    builder.button(
        text=_("No, keep everything"), callback_data=PrivacyCallback(action="withdraw_no")
    )
    builder.adjust(1)
    return builder.as_markup()
