"""/programme (curator): the organisation's rules for matching and pairs."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.container import Services
from bot.telegram.callbacks import ProgrammeSettingCallback
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.curator_pairs import (
    SETTING_CAPACITY,
    SETTING_OFFER_TTL,
    SETTING_ORDER,
    SETTING_SHOW,
    programme_keyboard,
)
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.states import ProgrammeFigures, ProgrammeHolidays
from bot.telegram.texts import Texts
from handlers.pairs import redraw
from handlers.programme_figures import FIGURE_SETTINGS, on_figures_setting, programme_figure
from handlers.programme_surveys import SURVEY_SETTINGS, on_survey_setting
from services.core.errors import StaleAction, ValidationFailed
from services.organisations.programme import WINDOW_HOURS, WINDOW_STARTS, ProgrammeSettings
from services.organisations.sending_window import SendingWindow, parse_holidays

FIELDS = {
    SETTING_CAPACITY: "default_capacity",
    SETTING_OFFER_TTL: "offer_ttl_hours",
}


RHYTHM = "rhythm"
CADENCE = "cadence"
WINDOW = "window"
SATURDAY = "sat"
QUIET = "quiet"
HOLIDAYS = "holidays"
NO_HOLIDAYS = "noholidays"
CADENCE_CHOICES = (7, 10, 14)
QUIET_CHOICES = {"2": (2, 3), "3": (3, 4)}


def _change(setting: str, value: str) -> dict[str, Any]:
    """The service's keyword for a button; anything else is a forged or stale button."""
    if setting in FIELDS and value.isdigit() and len(value) <= 4:
        return {FIELDS[setting]: int(value)}
    if setting == SETTING_ORDER and value in ("0", "1"):
        return {"pairs_require_order": value == "1"}
    raise StaleAction


async def cmd_programme(
    message: Message, person: TelegramPerson, services: Services, texts: Texts, bot: Bot
) -> None:
    """/programme (curator): the settings, or first a choice of organisation."""
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("Which organisation's programme do you want to set up?"),
        lambda org_id: ProgrammeSettingCallback(organisation_id=org_id, setting=SETTING_SHOW),
    )
    if organisation_id is None:
        return
    organisation = await services.organisations.get(person.id, organisation_id)
    settings = await services.programme.get(person.id, organisation.id)
    text = texts.render(
        "curator_pairs/programme.j2",
        settings=settings,
        organisation_name=organisation.name,
        notice=None,
    )
    await message.answer(text, reply_markup=programme_keyboard(organisation.id, settings))


async def on_programme_setting(
    callback: CallbackQuery,
    callback_data: ProgrammeSettingCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    state: FSMContext,
    bot: Bot,
) -> None:
    """A setting's button: change it (or just show the settings) and redraw them."""
    organisation_id = callback_data.organisation_id
    if callback_data.setting in RHYTHM_SETTINGS:
        await on_rhythm_setting(callback, callback_data, person, services, texts, state, bot)
        return
    if callback_data.setting in SURVEY_SETTINGS:
        await on_survey_setting(callback, callback_data, person, services, texts, bot)
        return
    if callback_data.setting in FIGURE_SETTINGS:
        await on_figures_setting(callback, callback_data, person, services, texts, state, bot)
        return
    if callback_data.setting == SETTING_SHOW:
        settings = await services.programme.get(person.id, organisation_id)
        notice = None
    else:
        changes = _change(callback_data.setting, callback_data.value)
        settings = await services.programme.change(person.id, organisation_id, **changes)
        notice = _("Saved.")
    organisation = await services.organisations.get(person.id, organisation_id)
    text = texts.render(
        "curator_pairs/programme.j2",
        settings=settings,
        organisation_name=organisation.name,
        notice=notice,
    )
    await callback.answer()
    await redraw(bot, person.chat_id, callback, text, programme_keyboard(organisation_id, settings))


RHYTHM_SETTINGS = frozenset({RHYTHM, CADENCE, WINDOW, SATURDAY, QUIET, HOLIDAYS, NO_HOLIDAYS})


async def _rhythm_screen(
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    organisation_id: int,
    notice: str | None,
) -> tuple[str, InlineKeyboardMarkup]:
    settings = await services.programme.get(person.id, organisation_id)
    window = await services.window.get(person.id, organisation_id)
    organisation = await services.organisations.get(person.id, organisation_id)
    text = texts.render(
        "programme/rhythm.j2",
        settings=settings,
        window=window,
        holidays=[day.strftime("%d.%m.%Y") for day in sorted(window.holidays)],
        timezone=window.timezone,
        organisation_name=organisation.name,
        notice=notice,
    )
    return text, _rhythm_keyboard(organisation_id, settings, window)


def _rhythm_keyboard(
    organisation_id: int, settings: ProgrammeSettings, window: SendingWindow
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()

    def button(text: str, setting: str, value: str = "", current: bool = False) -> None:
        builder.button(
            text=("✓ " if current else "") + text,
            callback_data=ProgrammeSettingCallback(
                organisation_id=organisation_id, setting=setting, value=value
            ),
        )

    for days in CADENCE_CHOICES:
        label = ngettext("{count} day", "{count} days", days).format(count=days)
        button(label, CADENCE, str(days), settings.cadence_days == days)
    for start in WINDOW_STARTS:
        button(
            f"{start:02d}–{start + WINDOW_HOURS:02d}",
            WINDOW,
            str(start),
            window.start.hour == start,
        )
    saturday = 5 in window.weekdays
    button(_("Mon–Fri"), SATURDAY, "0", not saturday)
    button(_("Mon–Sat"), SATURDAY, "1", saturday)
    for code, (nudge, alert) in QUIET_CHOICES.items():
        label = _("quiet: {nudge} / {alert}").format(nudge=nudge, alert=alert)
        button(label, QUIET, code, settings.quiet_nudge_cycles == nudge)
    button(_("📅 Set holidays"), HOLIDAYS)
    button(_("Clear holidays"), NO_HOLIDAYS)
    button(_("« Back"), SETTING_SHOW)
    builder.adjust(len(CADENCE_CHOICES), len(WINDOW_STARTS), 2, len(QUIET_CHOICES), 2, 1)
    return builder.as_markup()


async def on_rhythm_setting(
    callback: CallbackQuery,
    callback_data: ProgrammeSettingCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    state: FSMContext,
    bot: Bot,
) -> None:
    """The meetings-and-reminders screen of /programme and its buttons."""
    organisation_id, setting, value = (
        callback_data.organisation_id,
        callback_data.setting,
        callback_data.value,
    )
    notice: str | None = _("Saved.")
    if setting == RHYTHM:
        notice = None
    elif setting == CADENCE and value in {str(days) for days in CADENCE_CHOICES}:
        await services.programme.change(person.id, organisation_id, cadence_days=int(value))
    elif setting == WINDOW and value.isdigit() and len(value) <= 2:
        await services.window.change(person.id, organisation_id, start_hour=int(value))
    elif setting == SATURDAY and value in ("0", "1"):
        await services.window.change(person.id, organisation_id, saturday=value == "1")
    elif setting == QUIET and value in QUIET_CHOICES:
        nudge, alert = QUIET_CHOICES[value]
        await services.programme.change(
            person.id, organisation_id, quiet_nudge_cycles=nudge, quiet_alert_cycles=alert
        )
    elif setting == NO_HOLIDAYS:
        await services.window.change(person.id, organisation_id, holidays=frozenset())
    elif setting == HOLIDAYS:
        await services.window.get(person.id, organisation_id)  # curators only
        await callback.answer()
        await state.set_state(ProgrammeHolidays.dates)
        await state.set_data({"organisation_id": organisation_id})
        await bot.send_message(
            person.chat_id,
            _(
                "Send the holidays as dates DD.MM.YYYY separated by commas or one per line, "
                "e.g. 04.11.2026, 31.12.2026. They replace the current list. /cancel leaves it."
            ),
        )
        return
    else:
        raise StaleAction
    text, markup = await _rhythm_screen(person, services, texts, organisation_id, notice)
    await callback.answer()
    await redraw(bot, person.chat_id, callback, text, markup)


async def programme_holidays(
    message: Message, person: TelegramPerson, services: Services, texts: Texts, state: FSMContext
) -> None:
    """The list of holidays typed by the curator."""
    if message.text is None or message.text.startswith("/"):
        await message.answer(_("Please send the dates as text, DD.MM.YYYY, or /cancel."))
        return
    try:
        holidays = parse_holidays(message.text)
    except ValueError:
        await message.answer(
            _("I could not read all the dates. Please send them as DD.MM.YYYY, e.g. 04.11.2026.")
        )
        return
    data = await state.get_data()
    organisation_id = int(data["organisation_id"])
    try:
        await services.window.change(person.id, organisation_id, holidays=holidays)
    except ValidationFailed:
        await message.answer(_("That is too many dates: at most 60 a year."))
        return
    await state.clear()
    text, markup = await _rhythm_screen(person, services, texts, organisation_id, _("Saved."))
    await message.answer(text, reply_markup=markup)


def get_router() -> Router:
    router = Router(name="programme")
    router.message.register(programme_holidays, StateFilter(ProgrammeHolidays.dates))
    router.message.register(programme_figure, StateFilter(ProgrammeFigures.value))
    router.message.register(cmd_programme, Command("programme"), StateFilter(None))
    router.callback_query.register(on_programme_setting, ProgrammeSettingCallback.filter())
    return router
