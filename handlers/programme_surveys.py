"""The questionnaires screen of /programme: the satisfaction threshold and which questionnaires
the bot sends by itself at a pair's moments."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import ProgrammeSettingCallback
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.curator_pairs import SETTING_SHOW
from bot.telegram.redraw import send_or_edit
from bot.telegram.texts import Texts
from services.core.errors import StaleAction
from services.organisations.programme import SATISFACTION_THRESHOLDS, ProgrammeSettings

SURVEYS = "surveys"
THRESHOLD = "threshold"
AUTOMATIC = "auto"
SURVEY_SETTINGS = frozenset({SURVEYS, THRESHOLD, AUTOMATIC})
_SWITCHES: dict[str, tuple[str, Callable[[], str]]] = {
    "entry": ("auto_entry", lambda: _("Entry diagnosis")),
    "fit": ("auto_fit", lambda: _("Fit check")),
    "pulse": ("auto_pulse", lambda: _("Pulse")),
    "exit": ("auto_exit", lambda: _("Exit and satisfaction")),
}


def _keyboard(organisation_id: int, settings: ProgrammeSettings) -> InlineKeyboardMarkup:
    def button(text: str, setting: str, value: str = "") -> InlineKeyboardButton:
        data = ProgrammeSettingCallback(
            organisation_id=organisation_id, setting=setting, value=value
        )
        return InlineKeyboardButton(text=text, callback_data=data.pack())

    thresholds = [
        button(
            ("✓ " if settings.satisfaction_threshold == value else "") + f"≥ {value}",
            THRESHOLD,
            str(value),
        )
        for value in SATISFACTION_THRESHOLDS
    ]
    switches = [
        button(("✅ " if getattr(settings, field) else "⬜ ") + words(), AUTOMATIC, code)
        for code, (field, words) in _SWITCHES.items()
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[
            thresholds,
            switches[:2],
            switches[2:],
            [button("« " + _("Back"), SETTING_SHOW)],
        ]
    )


async def on_survey_setting(
    callback: CallbackQuery,
    callback_data: ProgrammeSettingCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    organisation_id, setting, value = (
        callback_data.organisation_id,
        callback_data.setting,
        callback_data.value,
    )
    notice: str | None = _("Saved.")
    if setting == SURVEYS:
        settings = await services.programme.get(person.id, organisation_id)
        notice = None
    elif setting == THRESHOLD and value in {str(v) for v in SATISFACTION_THRESHOLDS}:
        settings = await services.programme.change(
            person.id, organisation_id, satisfaction_threshold=int(value)
        )
    elif setting == AUTOMATIC and value in _SWITCHES:
        field = _SWITCHES[value][0]
        current = await services.programme.get(person.id, organisation_id)
        settings = await services.programme.change(
            person.id, organisation_id, **{field: not getattr(current, field)}
        )
    else:
        raise StaleAction
    organisation = await services.organisations.get(person.id, organisation_id)
    text = texts.render(
        "programme/surveys.j2",
        settings=settings,
        organisation_name=organisation.name,
        notice=notice,
    )
    await callback.answer()
    message_id = callback.message.message_id if callback.message else None
    await send_or_edit(bot, person.chat_id, text, _keyboard(organisation_id, settings), message_id)
