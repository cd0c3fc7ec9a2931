"""Questionnaires asked by the form engine: each stored definition is known as a form in both
languages (registered at start-up and on upload, so a form in progress survives a restart), a
response keeps its answers as they are given, and Save submits it once. A curator's preview runs
the same form and stores nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram import forms
from bot.telegram.callbacks import PairActionCallback
from bot.telegram.form_purposes import Reply, purpose
from bot.telegram.html import Html, escape, format_html
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.pairs import PETITION
from bot.telegram.texts import Texts
from services.forms import registry
from services.forms.definitions import Answer
from services.questionnaires.answers import ResponseView
from services.questionnaires.as_form import as_form, language_of
from services.questionnaires.library import StoredDefinition
from services.questionnaires.schema import LANGUAGES, Measure, QuestionnaireDefinition

ANSWER = "questionnaire"
# The fit check's answer that offers the way to another mentor (builtin/fit_check.yaml).
NOT_A_GOOD_FIT = "not_good_fit"
PREVIEW = "questionnaire_preview"


def register_definitions(stored: Iterable[StoredDefinition]) -> None:
    for item in stored:
        for language in LANGUAGES:
            registry.register(as_form(item.definition, language))


def _intro(definition: QuestionnaireDefinition, language: str, resumed: bool) -> Html | None:
    """Above the first question (which carries the title): what it is for, or where we are."""
    parts = []
    if definition.intro is not None:
        parts.append(escape(definition.intro[language]))
    if resumed:
        parts.append(escape(_("Your earlier answers are kept: we go on from where you stopped.")))
    return Html("\n\n").join(parts) if parts else None


async def start_answering(
    bot: Bot,
    state: FSMContext,
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    response: ResponseView,
    *,
    timezone: str = forms.DEFAULT_TIMEZONE,
) -> None:
    """Open the response's questionnaire at the first question not answered yet."""
    definition = response.questionnaire.definition
    language = language_of(person.locale)
    spec = registry.register(as_form(definition, language))
    answered = {key: value for key, value in response.answers.items() if value is not None}
    await forms.start_form(
        bot,
        state,
        services,
        texts,
        person,
        spec,
        ANSWER,
        answers=response.answers,
        resume=True,
        timezone=timezone,
        intro=_intro(definition, language, resumed=bool(answered)),
        response_id=response.id,
    )


async def start_preview(
    bot: Bot,
    state: FSMContext,
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    stored: StoredDefinition,
) -> None:
    """The questionnaire as a participant sees it; Save stores nothing."""
    definition = stored.definition
    language = language_of(person.locale)
    spec = registry.register(as_form(definition, language))
    notice = format_html(
        "<i>{}</i>", _("Preview: this is how participants see it. Nothing you answer is stored.")
    )
    intro = _intro(definition, language, resumed=False)
    await forms.start_form(
        bot,
        state,
        services,
        texts,
        person,
        spec,
        PREVIEW,
        intro=notice if intro is None else Html("\n\n").join([notice, intro]),
    )


async def _keep(
    services: Services, person: TelegramPerson, context: dict[str, Any], answers: dict[str, Answer]
) -> None:
    await services.answers.keep(person.id, int(context["response_id"]), answers)


def _left() -> str:
    return _(
        "You left the questionnaire. Your answers so far are kept: open it again from the "
        "invitation to go on."
    )


@purpose(ANSWER, keep=_keep, cancelled=_left)
async def _submit(
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    context: dict[str, Any],
    answers: dict[str, Answer],
) -> Reply:
    response = await services.answers.submit(person.id, int(context["response_id"]), answers)
    thanks = _("Thank you! Your answers are saved.")
    if response.pair_id is not None and _not_a_good_fit(response):
        # The fit check's way out: the pair's own petition (another mentor / to be relieved).
        mentee = response.respondent_role == "mentee"
        offer = (
            _("If you would rather work with another mentor, you can ask the curator for one.")
            if mentee
            else _("If you would rather not go on with this pair, you can ask the curator.")
        )
        label = _("Ask for another mentor") if mentee else _("Ask to be relieved")
        button = InlineKeyboardButton(
            text="🔁 " + label,
            callback_data=PairActionCallback(pair_id=response.pair_id, action=PETITION).pack(),
        )
        return f"{thanks}\n\n{offer}", InlineKeyboardMarkup(inline_keyboard=[[button]])
    return thanks


def _not_a_good_fit(response: ResponseView) -> bool:
    fit = next(
        (q for q in response.questionnaire.definition.questions if q.measure == Measure.FIT),
        None,
    )
    return fit is not None and response.answers.get(fit.id) == NOT_A_GOOD_FIT


@purpose(PREVIEW)
async def _end_preview(
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    context: dict[str, Any],
    answers: dict[str, Answer],
) -> Reply:
    return _("That was the preview: nothing was stored.")
