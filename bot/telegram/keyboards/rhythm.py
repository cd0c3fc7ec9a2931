"""Buttons of the pair's rhythm: "did you meet?" and the quiet-pair nudge."""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import AgreedMeetingCallback, CheckinCallback, QuietPairCallback
from bot.telegram.keyboards.common import NotificationKeyboard
from bot.telegram.keyboards.questionnaires import response_keyboard
from models import CycleStatus


def checkin_keyboard(payload: dict[str, Any]) -> InlineKeyboardMarkup:
    cycle_id = int(payload["cycle_id"])
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✅ We met"), callback_data=CheckinCallback(cycle_id=cycle_id, answer="met")
    )
    builder.button(
        text=_("📅 Postponed"),
        callback_data=CheckinCallback(cycle_id=cycle_id, answer=CycleStatus.POSTPONED.value),
    )
    builder.button(
        text=_("✖️ We didn't meet"),
        callback_data=CheckinCallback(cycle_id=cycle_id, answer=CycleStatus.MISSED.value),
    )
    builder.adjust(1)
    return builder.as_markup()


def reminder_keyboard(payload: dict[str, Any]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("🗓 We agreed on a date"),
        callback_data=AgreedMeetingCallback(pair_id=int(payload["pair_id"]), action="set"),
    )
    return builder.as_markup()


def quiet_keyboard(payload: dict[str, Any]) -> InlineKeyboardMarkup:
    pair_id = int(payload["pair_id"])
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("👍 We're fine"), callback_data=QuietPairCallback(pair_id=pair_id, answer="fine")
    )
    builder.button(
        text=_("⏸ Pause until…"), callback_data=QuietPairCallback(pair_id=pair_id, answer="pause")
    )
    builder.button(
        text=_("🆘 We need the curator's help"),
        callback_data=QuietPairCallback(pair_id=pair_id, answer="help"),
    )
    builder.adjust(1)
    return builder.as_markup()


def _met_keyboard(payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    """Under "they noted you met": the person's own questionnaire about the meeting."""
    response_id = payload.get("response_id")
    if payload.get("answer") != "met" or not isinstance(response_id, int):
        return None
    return response_keyboard(response_id)


NOTIFICATION_KEYBOARDS: dict[str, NotificationKeyboard] = {
    "checkin_answered": _met_keyboard,
    "checkin": checkin_keyboard,
    "meeting_reminder": reminder_keyboard,
    "quiet_nudge": quiet_keyboard,
}
