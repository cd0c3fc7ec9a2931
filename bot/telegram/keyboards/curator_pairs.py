"""Buttons of the curator's /pairs, /order and /programme."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import (
    BroadcastCallback,
    CuratorPairsCallback,
    MeetingCallback,
    OrderCallback,
    PairCadenceCallback,
    PairManageCallback,
    ProgrammeSettingCallback,
    SurveyCallback,
)
from bot.telegram.keyboards.meetings import SHOW_LOG
from bot.telegram.keyboards.pairs import SHOW_CADENCE, petition_decision_keyboard
from bot.telegram.keyboards.plan import open_plan_button
from bot.telegram.mentoring_labels import change_reason_name
from models import ChangeReason, PairStatus
from services.organisations.programme import ProgrammeSettings
from services.pairs.views import PairDetails, PairPage, PairRow

CHOSEN = "✓ "
LABEL_MAX = 60
# PairManageCallback actions.
SHOW = "show"
PAUSE = "pause"
RESUME = "resume"
COMPLETE = "complete"
COMPLETE_YES = "complete_yes"
END = "end"
END_PREFIX = "end_"
# OrderCallback actions.
ORDER_ORGANISATION = "org"
TOGGLE = "toggle"
ALL = "all"
DONE = "done"
CANCEL = "cancel"
# ProgrammeSettingCallback settings.
SETTING_SHOW = "show"
SETTING_CAPACITY = "capacity"
SETTING_OFFER_TTL = "ttl"
SETTING_ORDER = "order"
# The second screen of /programme (handlers/programme.py): cadence, hours, holidays.
SETTING_RHYTHM = "rhythm"
# The questionnaires screen (handlers/programme_surveys.py): threshold, automatic questionnaires.
SETTING_SURVEYS = "surveys"
# The figures of the programme year the bot cannot know (handlers/programme_figures.py).
SETTING_FIGURES = "figures"
CAPACITY_CHOICES = (0, 1, 2, 3, 4, 5, 10)
OFFER_TTL_DAYS = (1, 2, 3, 5, 7)


def surname(full_name: str) -> str:
    """ "Петров Сергей Иванович" → "Петров": enough to tell pairs apart on a button."""
    return full_name.split()[0] if full_name.split() else "—"


def pair_label(number: int, row: PairRow) -> str:
    mark = "📝 " if row.petition_pending else ""
    return f"{mark}{number}. {surname(row.mentor_name)} → {surname(row.mentee_name)}"[:LABEL_MAX]


def pairs_page_keyboard(organisation_id: int, page: PairPage, first: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    sizes: list[int] = []
    for index, row in enumerate(page.rows):
        builder.button(
            text=pair_label(first + index, row),
            callback_data=PairManageCallback(pair_id=row.id, action=SHOW),
        )
        sizes.append(1)
    paging = 0
    if page.page > 0:
        builder.button(
            text="◀️ " + _("Previous"),
            callback_data=CuratorPairsCallback(organisation_id=organisation_id, page=page.page - 1),
        )
        paging += 1
    if page.page < page.pages - 1:
        builder.button(
            text=_("Next") + " ▶️",
            callback_data=CuratorPairsCallback(organisation_id=organisation_id, page=page.page + 1),
        )
        paging += 1
    if paging:
        sizes.append(paging)
    builder.adjust(*sizes)
    return builder.as_markup()


def _back(builder: InlineKeyboardBuilder, organisation_id: int) -> None:
    builder.button(
        text="« " + _("All pairs"),
        callback_data=CuratorPairsCallback(organisation_id=organisation_id),
    )


def pair_manage_keyboard(pair: PairDetails) -> InlineKeyboardMarkup:
    if pair.petition is not None and pair.status.is_live:
        builder = InlineKeyboardBuilder.from_markup(petition_decision_keyboard(pair.petition.id))
    else:
        builder = InlineKeyboardBuilder()
    sizes = [2] if pair.petition is not None and pair.status.is_live else []

    def add(text: str, action: str) -> None:
        builder.button(text=text, callback_data=PairManageCallback(pair_id=pair.id, action=action))
        sizes.append(1)

    if pair.status == PairStatus.ACTIVE:
        add("⏸ " + _("Pause"), PAUSE)
    if pair.status == PairStatus.PAUSED:
        add("▶️ " + _("Resume"), RESUME)
    if pair.status in (PairStatus.ACTIVE, PairStatus.PAUSED):
        add("🏁 " + _("Completed"), COMPLETE)
    if pair.status.is_live:
        add("⛔ " + _("End early"), END)
    if pair.started_at is not None:
        # The pair's own records, read-only for the curator (services check the role).
        builder.button(
            text="📒 " + _("Meeting log"),
            callback_data=MeetingCallback(action=SHOW_LOG, value=pair.id),
        )
        text, data = open_plan_button(pair.id)
        builder.button(text=text, callback_data=data)
        sizes.append(2)
    if pair.status in (PairStatus.ACTIVE, PairStatus.PAUSED):
        builder.button(
            text="🗓 " + _("How often they meet"),
            callback_data=PairCadenceCallback(pair_id=pair.id, days=SHOW_CADENCE),
        )
        builder.button(
            text="📋 " + _("Send this pair a questionnaire"),
            callback_data=SurveyCallback(
                organisation_id=pair.organisation_id, action="new", value=f"pair-{pair.id}"
            ),
        )
        sizes.extend((1, 1))
    if pair.status.is_live:
        builder.button(
            text="✉️ " + _("Write to this pair"),
            callback_data=BroadcastCallback(
                organisation_id=pair.organisation_id, action="to", value=f"pair-{pair.id}"
            ),
        )
        sizes.append(1)
    _back(builder, pair.organisation_id)
    sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def end_reasons_keyboard(pair_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for reason in ChangeReason:
        builder.button(
            text=change_reason_name(reason),
            callback_data=PairManageCallback(pair_id=pair_id, action=END_PREFIX + reason.value),
        )
    builder.button(
        text="« " + _("Back"), callback_data=PairManageCallback(pair_id=pair_id, action=SHOW)
    )
    builder.adjust(1)
    return builder.as_markup()


def complete_confirm_keyboard(pair_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text="🏁 " + _("Yes, the pair has completed"),
        callback_data=PairManageCallback(pair_id=pair_id, action=COMPLETE_YES),
    )
    builder.button(
        text="« " + _("Back"), callback_data=PairManageCallback(pair_id=pair_id, action=SHOW)
    )
    builder.adjust(1)
    return builder.as_markup()


def order_keyboard(rows: list[PairRow], chosen: set[int]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, row in enumerate(rows, start=1):
        builder.button(
            text=(CHOSEN if row.id in chosen else "") + pair_label(index, row),
            callback_data=OrderCallback(action=TOGGLE, value=row.id),
        )
    everything = bool(rows) and all(row.id in chosen for row in rows)
    builder.button(
        text=_("Clear all") if everything else _("Select all"),
        callback_data=OrderCallback(action=ALL),
    )
    count = len(chosen)
    builder.button(
        text=ngettext("Next: {count} pair", "Next: {count} pairs", count).format(count=count)
        + " ▶️",
        callback_data=OrderCallback(action=DONE),
    )
    builder.button(text=_("Cancel"), callback_data=OrderCallback(action=CANCEL))
    builder.adjust(*([1] * len(rows)), 1, 1, 1)
    return builder.as_markup()


def programme_keyboard(organisation_id: int, settings: ProgrammeSettings) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()

    def button(text: str, setting: str, value: str, current: bool) -> None:
        builder.button(
            text=(CHOSEN if current else "") + text,
            callback_data=ProgrammeSettingCallback(
                organisation_id=organisation_id, setting=setting, value=value
            ),
        )

    for capacity in CAPACITY_CHOICES:
        button(
            str(capacity), SETTING_CAPACITY, str(capacity), settings.default_capacity == capacity
        )
    for days in OFFER_TTL_DAYS:
        label = ngettext("{count} day", "{count} days", days).format(count=days)
        button(label, SETTING_OFFER_TTL, str(days * 24), settings.offer_ttl_hours == days * 24)
    button(_("Order required"), SETTING_ORDER, "1", settings.pairs_require_order)
    button(_("No order needed"), SETTING_ORDER, "0", not settings.pairs_require_order)
    button(_("⏰ Meetings and reminders…"), SETTING_RHYTHM, "", False)
    button(_("📋 Questionnaires…"), SETTING_SURVEYS, "", False)
    button(_("📐 Figures…"), SETTING_FIGURES, "", False)
    builder.adjust(len(CAPACITY_CHOICES), len(OFFER_TTL_DAYS), 2, 1, 1, 1)
    return builder.as_markup()
