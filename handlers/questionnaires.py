"""/questionnaires (curator): the questionnaires the organisation uses — list, one questionnaire's
questions, a preview as a participant sees it, its file to download, and a new file (or a new
version) uploaded in the chat and checked, with every problem in words."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram import files
from bot.telegram.callbacks import QuestionnaireCallback
from bot.telegram.filters import HasDocument
from bot.telegram.html import Html
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import questionnaires as keyboards
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.questionnaire_forms import register_definitions, start_preview
from bot.telegram.questionnaire_problems import problems_text
from bot.telegram.redraw import send_or_edit
from bot.telegram.states import QuestionnaireUpload
from bot.telegram.survey_results import render_results
from bot.telegram.texts import Texts
from services.core.clock import Clock
from services.core.errors import StaleAction
from services.questionnaires.as_form import language_of
from services.questionnaires.library import StoredDefinition
from services.questionnaires.schema import (
    MAX_FILE_BYTES,
    Audience,
    DefinitionInvalid,
    Kind,
    Problem,
    QuestionDefinition,
)

ORGANISATION_KEY = "questionnaire_organisation_id"
_AUDIENCES: dict[Audience, Callable[[], str]] = {
    Audience.MENTEE: lambda: _("mentees"),
    Audience.MENTOR: lambda: _("mentors"),
    Audience.CURATOR: lambda: _("curators"),
    Audience.ANY: lambda: _("mentors and mentees"),
}


def _kind_words(question: QuestionDefinition) -> str:
    kinds: dict[Kind, Callable[[], str]] = {
        Kind.SCALE: lambda: _("scale {low}–{high}").format(low=question.min, high=question.max),
        Kind.CHOICE: lambda: _("one choice"),
        Kind.MULTI: lambda: _("several choices"),
        Kind.YES_NO: lambda: _("yes or no"),
        Kind.NUMBER: lambda: _("number {low}–{high}").format(low=question.min, high=question.max),
        Kind.TEXT: lambda: _("short text"),
        Kind.LONG_TEXT: lambda: _("long text"),
    }
    return kinds[question.kind]()


async def _list_screen(
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    organisation_id: int,
    notice: str | None = None,
) -> tuple[Html, InlineKeyboardMarkup]:
    organisation = await services.organisations.get(person.id, organisation_id)
    listed = await services.questionnaires.listing(person.id, organisation_id)
    language = language_of(person.locale)
    items = [
        {
            "title": item.current.definition.title[language],
            "version": item.current.definition.version,
            "builtin": item.current.builtin,
            "answered": item.answered,
            "audience": _AUDIENCES[item.current.definition.audience](),
        }
        for item in listed
    ]
    text = texts.render(
        "questionnaires/list.j2", organisation=organisation.name, items=items, notice=notice
    )
    return text, keyboards.list_keyboard(organisation_id, listed, language)


def _card(
    texts: Texts, person: TelegramPerson, stored: StoredDefinition, notice: str | None = None
) -> Html:
    definition = stored.definition
    language = language_of(person.locale)
    return texts.render(
        "questionnaires/card.j2",
        notice=notice,
        title=definition.title[language],
        code=definition.id,
        version=definition.version,
        builtin=stored.builtin,
        audience=_AUDIENCES[definition.audience](),
        intro=None if definition.intro is None else definition.intro[language],
        questions=[
            {
                "text": question.text[language],
                "kind": _kind_words(question),
                "required": question.required,
                "shown_if": question.show_if is not None,
            }
            for question in definition.questions
        ],
    )


async def cmd_questionnaires(
    message: Message, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("Which organisation's questionnaires?"),
        lambda org_id: QuestionnaireCallback(organisation_id=org_id, action=keyboards.LIST),
    )
    if organisation_id is None:
        return
    text, markup = await _list_screen(services, texts, person, organisation_id)
    await message.answer(text, reply_markup=markup)


async def on_questionnaire(
    callback: CallbackQuery,
    callback_data: QuestionnaireCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    organisation_id, action, code = (
        callback_data.organisation_id,
        callback_data.action,
        callback_data.code,
    )
    chat_id = person.chat_id
    message_id = callback.message.message_id if callback.message else None
    if action == keyboards.LIST:
        text, markup = await _list_screen(services, texts, person, organisation_id)
        await callback.answer()
        await send_or_edit(bot, chat_id, text, markup, message_id)
        return
    if action == keyboards.UPLOAD:
        # The service checks the curator's role again when the file comes.
        await services.questionnaires.listing(person.id, organisation_id)
        await state.set_state(QuestionnaireUpload.file)
        await state.update_data({ORGANISATION_KEY: organisation_id})
        await callback.answer()
        await bot.send_message(
            chat_id,
            _(
                "Send the questionnaire file (.yaml) as a document in one message. "
                "A new questionnaire needs a new id; a new version of one needs its id and a "
                "higher version. /cancel to stop."
            ),
        )
        return
    if action == keyboards.RESULTS:
        found = await services.results.for_questionnaire(person.id, organisation_id, code)
        await callback.answer()
        await send_or_edit(
            bot,
            chat_id,
            render_results(texts, found, language_of(person.locale)),
            keyboards.card_keyboard(organisation_id, code),
            message_id,
        )
        return
    if action not in (keyboards.SHOW, keyboards.PREVIEW, keyboards.DOWNLOAD):
        raise StaleAction
    stored = await services.questionnaires.for_curator(person.id, organisation_id, code)
    if action == keyboards.SHOW:
        await callback.answer()
        await send_or_edit(
            bot,
            chat_id,
            _card(texts, person, stored),
            keyboards.card_keyboard(organisation_id, code),
            message_id,
        )
        return
    if action == keyboards.DOWNLOAD:
        name, source = await services.questionnaires.source(person.id, organisation_id, code)
        await callback.answer()
        await bot.send_document(
            chat_id,
            BufferedInputFile(source.encode("utf-8"), filename=name),
            caption=_(
                "Edit the texts, raise «version» by one and send the file back after "
                "/questionnaires → Upload a file."
            ),
        )
        return
    await callback.answer()
    await start_preview(bot, state, services, texts, person, stored)


async def on_file(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    clock: Clock,
    bot: Bot,
) -> None:
    """The questionnaire file: saved as a new version, or every problem in words."""
    document = message.document
    assert document is not None  # the filter
    organisation_id = (await state.get_data()).get(ORGANISATION_KEY)
    if not isinstance(organisation_id, int):
        await state.clear()
        raise StaleAction
    name = document.file_name or "questionnaire.yaml"
    if document.file_size is not None and document.file_size > MAX_FILE_BYTES:
        problem = Problem(name, "file_too_large", (), message="the file is too large")
        await message.answer(problems_text(name, [problem]))
        return
    content = await files.download(bot, document, clock)
    if content is None:
        await message.answer(
            _("Telegram did not give me the file just now. Please send it once more.")
        )
        return
    try:
        stored = await services.questionnaires.upload(person.id, organisation_id, content, name)
    except DefinitionInvalid as invalid:
        await message.answer(problems_text(name, invalid.problems))
        return
    register_definitions([stored])
    await state.clear()
    notice = _("Saved. New invitations use this version; answers already given keep theirs.")
    await message.answer(
        _card(texts, person, stored, notice=notice),
        reply_markup=keyboards.card_keyboard(organisation_id, stored.definition.id),
    )


async def on_not_a_file(message: Message) -> None:
    await message.answer(
        _("Please send the questionnaire as a .yaml file (a document), or /cancel to stop.")
    )


async def on_cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("Cancelled. Nothing was saved."))


def get_router() -> Router:
    router = Router(name="questionnaires")
    router.message.register(cmd_questionnaires, Command("questionnaires"))
    router.callback_query.register(on_questionnaire, QuestionnaireCallback.filter())
    waiting = StateFilter(QuestionnaireUpload.file)
    router.message.register(on_cancel, Command("cancel"), waiting)
    router.message.register(on_file, waiting, HasDocument())
    router.message.register(on_not_a_file, waiting)
    return router
