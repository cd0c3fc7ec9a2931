"""The figures screen of /programme: the numbers of the programme year the bot cannot know
(teachers, young specialists, teachers under 35, young specialists who left), typed by the
curator; the reports' indicators use them as denominators."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.documents.words import period_name
from bot.telegram.callbacks import ProgrammeSettingCallback
from bot.telegram.html import Html
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.curator_pairs import SETTING_FIGURES, SETTING_SHOW
from bot.telegram.redraw import send_or_edit
from bot.telegram.states import ProgrammeFigures
from bot.telegram.texts import Texts
from services.core.errors import StaleAction, ValidationFailed
from services.reports.figures import MAX_FIGURE

FIGURE = "figure"
CLEAR = "-"
FIGURE_SETTINGS = frozenset({SETTING_FIGURES, FIGURE})
_NAMES: dict[str, Callable[[], str]] = {
    "teachers": lambda: _("Teachers in the organisation"),
    "young_specialists": lambda: _("Young specialists (up to 3 years of experience)"),
    "young_teachers": lambda: _("Teachers under 35 in their first three years"),
    "young_left": lambda: _("Young specialists who left the profession this year"),
}


def _keyboard(organisation_id: int) -> InlineKeyboardMarkup:
    def button(text: str, setting: str, value: str = "") -> list[InlineKeyboardButton]:
        data = ProgrammeSettingCallback(
            organisation_id=organisation_id, setting=setting, value=value
        )
        return [InlineKeyboardButton(text=text, callback_data=data.pack())]

    return InlineKeyboardMarkup(
        inline_keyboard=[
            *(button(words(), FIGURE, name) for name, words in _NAMES.items()),
            button("« " + _("Back"), SETTING_SHOW),
        ]
    )


async def _screen(
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    organisation_id: int,
    notice: str | None,
) -> Html:
    organisation = await services.organisations.get(person.id, organisation_id)
    year, figures = await services.figures.current(person.id, organisation_id)
    return texts.render(
        "programme/figures.j2",
        organisation_name=organisation.name,
        year=period_name(year),
        lines=[
            {
                "name": words(),
                "value": _("not entered") if (v := getattr(figures, name)) is None else str(v),
            }
            for name, words in _NAMES.items()
        ],
        notice=notice,
    )


async def on_figures_setting(
    callback: CallbackQuery,
    callback_data: ProgrammeSettingCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    state: FSMContext,
    bot: Bot,
) -> None:
    organisation_id, setting, name = (
        callback_data.organisation_id,
        callback_data.setting,
        callback_data.value,
    )
    message_id = callback.message.message_id if callback.message else None
    if setting == SETTING_FIGURES:
        text = await _screen(person, services, texts, organisation_id, None)
        await callback.answer()
        await send_or_edit(bot, person.chat_id, text, _keyboard(organisation_id), message_id)
        return
    if setting != FIGURE or name not in _NAMES:
        raise StaleAction
    year, _figures = await services.figures.current(person.id, organisation_id)  # curators only
    await callback.answer()
    await state.set_state(ProgrammeFigures.value)
    await state.set_data(
        {"organisation_id": organisation_id, "year": year.first.year, "name": name}
    )
    await bot.send_message(
        person.chat_id,
        _(
            "{figure}: send it as a number from 0 to {maximum}, or a dash (-) to clear it. "
            "/cancel leaves it as it is."
        ).format(figure=_NAMES[name](), maximum=MAX_FIGURE),
    )


async def programme_figure(
    message: Message, person: TelegramPerson, services: Services, texts: Texts, state: FSMContext
) -> None:
    """The number the curator typed."""
    data = await state.get_data()
    organisation_id, year, name = int(data["organisation_id"]), int(data["year"]), data["name"]
    typed = (message.text or "").strip().replace(" ", "")
    if typed != CLEAR and not (typed.isdecimal() and len(typed) <= 6):
        await message.answer(
            _("Please send the figure as a number, e.g. 12, a dash (-) to clear it, or /cancel.")
        )
        return
    try:
        await services.figures.change(
            person.id, organisation_id, year, name, None if typed == CLEAR else int(typed)
        )
    except ValidationFailed as problem:
        if problem.reason == "above_young_specialists":
            await message.answer(
                _("More young specialists cannot have left than there are: please check both.")
            )
        else:
            await message.answer(
                _("That number is too large: at most {maximum}.").format(maximum=MAX_FIGURE)
            )
        return
    await state.clear()
    text = await _screen(person, services, texts, organisation_id, _("Saved."))
    await message.answer(text, reply_markup=_keyboard(organisation_id))
