"""Buttons under outbox notifications, built at send time in the recipient's language.

Services only put ids into a notification's payload; which buttons a kind of message carries is
Telegram glue, so it lives here, one table per feature.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup

from bot.telegram.keyboards import offers, pairs, plan, questionnaires, requests, rhythm
from bot.telegram.keyboards.common import NotificationKeyboard

BUILDERS: dict[str, NotificationKeyboard] = {
    **requests.NOTIFICATION_KEYBOARDS,
    **offers.NOTIFICATION_KEYBOARDS,
    **pairs.NOTIFICATION_KEYBOARDS,
    **rhythm.NOTIFICATION_KEYBOARDS,
    **plan.NOTIFICATION_KEYBOARDS,
    **questionnaires.NOTIFICATION_KEYBOARDS,
}


def keyboard_for(kind: str, payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    builder = BUILDERS.get(kind)
    return builder(payload) if builder else None
