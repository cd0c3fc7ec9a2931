"""Buttons of /profile: an Edit button per answer, a mentor's capacity and date of absence."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import ProfileCallback
from bot.telegram.labels import profile_field_name

# ProfileCallback actions: /profile's buttons (the form's are the engine's).
PROFILE_EDIT = "pedit"
CAPACITY = "cap"
UNAVAILABLE = "until"
CLEAR_UNAVAILABLE = "clear"
VIEW = "view"

CAPACITY_CHOICES = range(6)
CHECK = "✓ "


def _mark(chosen: bool, label: str) -> str:
    return CHECK + label if chosen else label


def profile_keyboard(
    fields: list[str], *, mentor: bool, capacity: int, unavailable: bool
) -> InlineKeyboardMarkup:
    """/profile: an Edit button per answer; for mentors, capacity 0–5 and a date of absence."""
    builder = InlineKeyboardBuilder()
    for field in fields:
        builder.button(
            text="✏️ " + profile_field_name(field),
            callback_data=ProfileCallback(action=PROFILE_EDIT, value=field),
        )
    builder.adjust(2)
    if mentor:
        builder.row(
            *(
                InlineKeyboardButton(
                    text=_mark(number == capacity, str(number)),
                    callback_data=ProfileCallback(action=CAPACITY, value=str(number)).pack(),
                )
                for number in CAPACITY_CHOICES
            )
        )
        builder.row(
            InlineKeyboardButton(
                text="📅 " + _("Unavailable until…"),
                callback_data=ProfileCallback(action=UNAVAILABLE).pack(),
            )
        )
        if unavailable:
            builder.row(_clear_button())
    return builder.as_markup()


def _clear_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=_("Clear the date"), callback_data=ProfileCallback(action=CLEAR_UNAVAILABLE).pack()
    )


def availability_keyboard(*, unavailable: bool) -> InlineKeyboardMarkup:
    """Under the question "unavailable until which date?"."""
    builder = InlineKeyboardBuilder()
    if unavailable:
        builder.row(_clear_button())
    builder.row(
        InlineKeyboardButton(
            text="« " + _("Back"), callback_data=ProfileCallback(action=VIEW).pack()
        )
    )
    return builder.as_markup()
