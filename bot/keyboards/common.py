from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import LanguageCallback

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
