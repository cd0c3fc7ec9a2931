"""Buttons of /meeting and /meetings: choosing the pair, correcting one's own entry, paging."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import MeetingCallback
from services.pairs.views import MyPair
from services.rhythm.meetings import MeetingLog

CHOOSE_FOR_RECORD = "pair"
SHOW_LOG = "log"
EDIT = "edit"
LABEL_MAX = 48


class MeetingPageCallback(CallbackData, prefix="mlp"):
    """A page of a pair's log (MeetingCallback carries one number; a page needs two)."""

    pair_id: int
    page: int


def choose_pair_keyboard(pairs: list[MyPair], action: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for pair in pairs:
        icon = "🧑‍🏫 " if pair.role == "mentee" else "🌱 "
        builder.button(
            text=icon + (pair.other_name or "—")[:LABEL_MAX],
            callback_data=MeetingCallback(action=action, value=pair.id),
        )
    builder.adjust(1)
    return builder.as_markup()


def log_keyboard(log: MeetingLog) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    editable = [entry for entry in log.entries if entry.editable]
    for entry in editable:
        builder.button(
            text="✏️ "
            + _("Correct the entry of {date}").format(date=entry.held_on.strftime("%d.%m")),
            callback_data=MeetingCallback(action=EDIT, value=entry.id),
        )
    sizes = [1] * len(editable)
    paging = []
    if log.page > 0:
        builder.button(
            text="◀️ " + _("Previous"),
            callback_data=MeetingPageCallback(pair_id=log.pair_id, page=log.page - 1),
        )
        paging.append(1)
    if log.page < log.pages - 1:
        builder.button(
            text=_("Next") + " ▶️",
            callback_data=MeetingPageCallback(pair_id=log.pair_id, page=log.page + 1),
        )
        paging.append(1)
    if paging:
        sizes.append(len(paging))
    if log.live:
        builder.button(
            text="➕ " + _("Record a meeting"),
            callback_data=MeetingCallback(action=CHOOSE_FOR_RECORD, value=log.pair_id),
        )
        sizes.append(1)
    if not sizes:
        return None
    builder.adjust(*sizes)
    return builder.as_markup()
