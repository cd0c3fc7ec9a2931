"""Buttons of /mypairs, petitions, and the pair notifications."""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import (
    PairActionCallback,
    PairCadenceCallback,
    PetitionDecisionCallback,
    PetitionReasonCallback,
)
from bot.telegram.keyboards.common import NotificationKeyboard
from bot.telegram.mentoring_labels import change_reason_name
from bot.telegram.pair_labels import reasons_for
from models import PairStatus, PetitionKind
from services.pairs.cadence import CadenceOptions
from services.pairs.views import MyPair

SHOW = "show"
PETITION = "petition"
PAUSE = "pause"
RESUME = "resume"
APPROVE = "yes"
REJECT = "no"
# PairCadenceCallback days: show the choices / back to the organisation's cadence.
SHOW_CADENCE = -1
ORGANISATION_CADENCE = 0
LABEL_MAX = 48


def _actions(builder: InlineKeyboardBuilder, pair: MyPair, suffix: str = "") -> int:
    """The buttons one live pair offers its person; returns how many."""
    count = 0
    if pair.status == PairStatus.ACTIVE:
        builder.button(
            text="⏸ " + _("Pause") + suffix,
            callback_data=PairActionCallback(pair_id=pair.id, action=PAUSE),
        )
        count += 1
    if pair.status == PairStatus.PAUSED:
        builder.button(
            text="▶️ " + _("Resume") + suffix,
            callback_data=PairActionCallback(pair_id=pair.id, action=RESUME),
        )
        count += 1
    if pair.status in (PairStatus.ACTIVE, PairStatus.PAUSED):
        builder.button(
            text="🗓 " + _("How often we meet") + suffix,
            callback_data=PairCadenceCallback(pair_id=pair.id, days=SHOW_CADENCE),
        )
        count += 1
    if not pair.my_petition_pending:
        label = _("Ask for another mentor") if pair.role == "mentee" else _("Ask to be relieved")
        builder.button(
            text="🔁 " + label + suffix,
            callback_data=PairActionCallback(pair_id=pair.id, action=PETITION),
        )
        count += 1
    return count


def my_pairs_keyboard(pairs: list[MyPair]) -> InlineKeyboardMarkup | None:
    """One live pair: its actions at once. Several: a button per pair opens its actions."""
    live = [pair for pair in pairs if pair.status.is_live]
    if not live:
        return None
    builder = InlineKeyboardBuilder()
    if len(live) == 1:
        sizes = [1] * _actions(builder, live[0])
    else:
        for pair in live:
            icon = "🧑‍🏫 " if pair.role == "mentee" else "🌱 "
            builder.button(
                text=icon + (pair.other_name or "—")[:LABEL_MAX],
                callback_data=PairActionCallback(pair_id=pair.id, action=SHOW),
            )
        sizes = [1] * len(live)
    builder.adjust(*sizes)
    return builder.as_markup() if sizes else None


def pair_actions_keyboard(pair: MyPair) -> InlineKeyboardMarkup | None:
    if not pair.status.is_live:
        return None
    builder = InlineKeyboardBuilder()
    count = _actions(builder, pair)
    builder.adjust(1)
    return builder.as_markup() if count else None


def cadence_keyboard(options: CadenceOptions) -> InlineKeyboardMarkup:
    """The cadences a pair may choose, the current one ticked, and the organisation's."""
    builder = InlineKeyboardBuilder()
    for days in options.choices:
        label = ngettext("every {count} day", "every {count} days", days).format(count=days)
        if days == options.organisation_default:
            label += " " + _("(programme default)")
        builder.button(
            text=("✓ " if days == options.current else "") + label,
            callback_data=PairCadenceCallback(
                pair_id=options.pair_id,
                days=ORGANISATION_CADENCE if days == options.organisation_default else days,
            ),
        )
    builder.adjust(1)
    return builder.as_markup()


def petition_reasons_keyboard(pair_id: int, kind: PetitionKind) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for reason in reasons_for(kind):
        builder.button(
            text=change_reason_name(reason),
            callback_data=PetitionReasonCallback(pair_id=pair_id, reason=reason.value),
        )
    builder.adjust(1)
    return builder.as_markup()


def petition_decision_keyboard(petition_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text="✅ " + _("Approve"),
        callback_data=PetitionDecisionCallback(petition_id=petition_id, decision=APPROVE),
    )
    builder.button(
        text="❌ " + _("Reject"),
        callback_data=PetitionDecisionCallback(petition_id=petition_id, decision=REJECT),
    )
    builder.adjust(2)
    return builder.as_markup()


def _petition_filed(payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    return petition_decision_keyboard(int(payload["petition_id"]))


NOTIFICATION_KEYBOARDS: dict[str, NotificationKeyboard] = {
    "petition_filed": _petition_filed,
}
