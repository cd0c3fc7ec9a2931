from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import LanguageCallback
from services.organisations.registry import OrganisationView

LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}

# Builds the buttons of one kind of outbox notification from its payload (ids only).
NotificationKeyboard = Callable[[dict[str, Any]], InlineKeyboardMarkup | None]


def language_keyboard(current: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, name in LANGUAGE_NAMES.items():
        mark = "✓ " if code == current else ""
        builder.button(text=f"{mark}{name}", callback_data=LanguageCallback(locale=code))
    builder.adjust(2)
    return builder.as_markup()


def cancel_hint() -> str:
    return _("Send /cancel to stop.")


ORGANISATION_LABEL_MAX = 60


def organisation_choice_keyboard(
    organisations: list[OrganisationView], make: Callable[[int], CallbackData]
) -> InlineKeyboardMarkup:
    """One button per organisation (a curator of several chooses which one a command is about)."""
    builder = InlineKeyboardBuilder()
    for organisation in organisations:
        builder.button(
            text=organisation.name[:ORGANISATION_LABEL_MAX], callback_data=make(organisation.id)
        )
    builder.adjust(1)
    return builder.as_markup()
