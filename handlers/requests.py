"""/request: the mentee's request — the form, the live request, suggestions, choosing a mentor;
/request_for: a curator files a request on a mentee's behalf after talking to them.

The form is data (bot/telegram/request_forms.py) asked by the one form engine; nothing is stored
until Submit (or Save, when a live request is changed), so /cancel leaves nothing behind.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import (
    ChooseMentorCallback,
    FileForCallback,
    RequestActionCallback,
)
from bot.telegram.forms import Reply, purpose, start_form
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import requests as keyboards
from bot.telegram.labels import subject_name
from bot.telegram.mentoring_labels import reasons_text
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.redraw import send_or_edit
from bot.telegram.request_forms import REQUEST, display, request_options, submit_label, summary
from bot.telegram.texts import Texts, format_local
from services.core.clock import Clock
from services.core.errors import RequestProblem, RequestUnavailable, StaleAction
from services.forms.definitions import Answer
from services.requests.draft import answers_of, draft_from_answers
from services.requests.filing import RequestView, Suggestion

DAY_SECONDS = 24 * 60 * 60


# --- the form --------------------------------------------------------------------------------


async def _start_request_form(
    bot: Bot,
    state: FSMContext,
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    *,
    mentee_id: int | None = None,
    mentee_name: str = "",
) -> None:
    """A new request: the mentee's own, or (with `mentee_id`) a curator's on their behalf."""
    await start_form(
        bot,
        state,
        services,
        texts,
        person,
        REQUEST,
        "request",
        options=request_options(),
        intro=texts.render("requests/intro.j2", mentee_name=mentee_name),
        heading=_("Request for {name}").format(name=mentee_name) if mentee_name else None,
        mentee_id=mentee_id,
        mentee_name=mentee_name,
    )


async def cmd_request(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """/request: the live request with its buttons, or the form for a new one."""
    view = await services.requests.current(person.id)
    if view is not None:
        await _show_request(bot, message.chat.id, texts, view)
        return
    await services.requests.check_can_request(person.id)
    await _start_request_form(bot, state, services, texts, person)


@purpose("request", summary=summary, confirm=submit_label)
async def save_request(
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    context: dict[str, Any],
    answers: dict[str, Answer],
) -> Reply:
    """File the request; the mentee sees their suggestions at once, a curator where to go next."""
    mentee_id = context.get("mentee_id")
    try:
        view = await services.requests.submit(
            person.id,
            draft_from_answers(answers),
            mentee_id=int(mentee_id) if mentee_id is not None else None,
        )
    except RequestUnavailable as problem:
        # Someone filed meanwhile (a second form, or the mentee and the curator at once).
        if mentee_id is None or problem.problem != RequestProblem.ALREADY_OPEN:
            raise
        return _("This teacher already has an open request. Nothing was filed.")
    if mentee_id is not None:
        return texts.render("requests/filed_for.j2", mentee_name=context.get("mentee_name", ""))
    suggestions = await services.requests.suggestions(person.id, view.id)
    return _suggestions_reply(texts, view.id, suggestions, submitted=True)


@purpose("request_edit", summary=summary)
async def save_request_changes(
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    context: dict[str, Any],
    answers: dict[str, Answer],
) -> Reply:
    """Save the changed answers of the live request and show it."""
    view = await services.requests.update(
        person.id, int(context["request_id"]), draft_from_answers(answers)
    )
    return _request_reply(texts, view, notice=_("Saved."))


# --- the live request ------------------------------------------------------------------------


def _request_reply(
    texts: Texts, view: RequestView, *, notice: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    text = texts.render("requests/view.j2", v=view, r=display(view.draft), notice=notice)
    return text, keyboards.request_keyboard(view)


async def _show_request(
    bot: Bot,
    chat_id: int,
    texts: Texts,
    view: RequestView,
    *,
    notice: str | None = None,
    message_id: int | None = None,
) -> None:
    text, markup = _request_reply(texts, view, notice=notice)
    await send_or_edit(bot, chat_id, text, markup, message_id)


def _suggestion_lines(suggestions: list[Suggestion]) -> list[dict[str, object]]:
    return [
        {
            "name": suggestion.name,
            "subjects": ", ".join(subject_name(subject) for subject in suggestion.subjects),
            "experience_years": suggestion.experience_years,
            "score": suggestion.score,
            "reasons": reasons_text(suggestion.reasons),
        }
        for suggestion in suggestions
    ]


def _suggestions_reply(
    texts: Texts, request_id: int, suggestions: list[Suggestion], *, submitted: bool
) -> tuple[str, InlineKeyboardMarkup | None]:
    text = texts.render(
        "requests/suggestions.j2",
        suggestions=_suggestion_lines(suggestions),
        submitted=submitted,
    )
    # With no suggestion after submitting, the service has told the curators already.
    curator = bool(suggestions) or not submitted
    return text, keyboards.suggestions_keyboard(request_id, suggestions, curator=curator)


async def _show_suggestions(
    bot: Bot,
    chat_id: int,
    texts: Texts,
    request_id: int,
    suggestions: list[Suggestion],
    *,
    submitted: bool,
) -> None:
    text, markup = _suggestions_reply(texts, request_id, suggestions, submitted=submitted)
    await bot.send_message(chat_id, text, reply_markup=markup)


async def _own_live_request(
    services: Services, person: TelegramPerson, request_id: int
) -> RequestView:
    """The person's live request, if the button is about it; else the button is stale."""
    view = await services.requests.current(person.id)
    if view is None or view.id != request_id:
        raise StaleAction
    return view


async def on_request_action(
    callback: CallbackQuery,
    callback_data: RequestActionCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """The buttons under a live request: edit, withdraw (asks first), suggestions, curator."""
    request_id, action = callback_data.request_id, callback_data.action
    chat_id = person.chat_id
    message_id = callback.message.message_id if callback.message is not None else None
    if action == keyboards.SHOW:
        view = await _own_live_request(services, person, request_id)
        await callback.answer()
        await _show_request(bot, chat_id, texts, view, message_id=message_id)
    elif action == keyboards.EDIT_REQUEST:
        view = await _own_live_request(services, person, request_id)
        await callback.answer()
        await start_form(
            bot,
            state,
            services,
            texts,
            person,
            REQUEST,
            "request_edit",
            answers=answers_of(view.draft),
            options=request_options(),
            review=True,
            request_id=view.id,
        )
    elif action == keyboards.WITHDRAW:
        await _own_live_request(services, person, request_id)
        await callback.answer()
        await bot.send_message(
            chat_id,
            _(
                "Withdraw your request? If a mentor is considering it now, "
                "their invitation is cancelled."
            ),
            reply_markup=keyboards.withdraw_keyboard(request_id),
        )
    elif action == keyboards.WITHDRAW_YES:
        await services.requests.withdraw(person.id, request_id)
        await callback.answer()
        await send_or_edit(
            bot,
            chat_id,
            _("Your request is withdrawn. When you need help again, send /request."),
            None,
            message_id,
        )
    elif action == keyboards.SUGGEST:
        suggestions = await services.requests.suggestions(person.id, request_id)
        await callback.answer()
        await _show_suggestions(bot, chat_id, texts, request_id, suggestions, submitted=False)
    elif action == keyboards.TO_CURATOR:
        await services.requests.leave_to_curator(person.id, request_id)
        await callback.answer()
        await bot.send_message(
            chat_id,
            _("Done: the curator will choose a mentor for you. I will write when there is news."),
        )
    else:
        raise StaleAction


async def on_choose_mentor(
    callback: CallbackQuery,
    callback_data: ChooseMentorCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    clock: Clock,
    bot: Bot,
) -> None:
    """ "Ask <name>": the request goes to this mentor, who has a few days to answer."""
    name = await services.requests.choose(
        person.id, callback_data.request_id, callback_data.mentor_id
    )
    view = await services.requests.current(person.id)
    days, until = 0, ""
    if view is not None and view.offer_expires_at is not None:
        seconds = (view.offer_expires_at - clock.now()).total_seconds()
        days = max(1, round(seconds / DAY_SECONDS))
        until = format_local(view.offer_expires_at, view.timezone)
    await callback.answer()
    await bot.send_message(
        person.chat_id, texts.render("requests/sent.j2", name=name, days=days, until=until)
    )


# --- /request_for: a curator files on a mentee's behalf --------------------------------------


async def _mentee_page(
    person: TelegramPerson, services: Services, texts: Texts, organisation_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    mentees = await services.curator_requests.mentees_without_request(person.id, organisation_id)
    shown, page, pages = keyboards.mentee_page(mentees, page)
    text = texts.render("requests/file_for.j2", total=len(mentees), page=page, pages=pages)
    markup = keyboards.file_for_keyboard(organisation_id, shown, page=page, pages=pages)
    return text, markup


async def cmd_request_for(
    message: Message, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """/request_for (curator): mentees without a request, or first a choice of organisation."""
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("For which organisation do you file a request?"),
        lambda org_id: FileForCallback(organisation_id=org_id),
    )
    if organisation_id is None:
        return
    text, markup = await _mentee_page(person, services, texts, organisation_id, 0)
    await message.answer(text, reply_markup=markup)


async def on_file_for(
    callback: CallbackQuery,
    callback_data: FileForCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """An organisation or a page of the list (mentee 0), or the mentee to file for: the form."""
    organisation_id = callback_data.organisation_id
    chat_id = person.chat_id
    if callback_data.mentee_id == 0:
        text, markup = await _mentee_page(
            person, services, texts, organisation_id, callback_data.page
        )
        await callback.answer()
        message_id = callback.message.message_id if callback.message is not None else None
        await send_or_edit(bot, chat_id, text, markup, message_id)
        return
    mentees = dict(
        await services.curator_requests.mentees_without_request(person.id, organisation_id)
    )
    name = mentees.get(callback_data.mentee_id)
    if name is None:
        # Filed meanwhile, or no longer a mentee with consent.
        raise StaleAction
    await callback.answer()
    await _start_request_form(
        bot, state, services, texts, person, mentee_id=callback_data.mentee_id, mentee_name=name
    )


def get_router() -> Router:
    router = Router(name="requests")
    router.message.register(cmd_request, Command("request"), StateFilter(None))
    router.message.register(cmd_request_for, Command("request_for"), StateFilter(None))
    router.callback_query.register(on_request_action, RequestActionCallback.filter())
    router.callback_query.register(on_choose_mentor, ChooseMentorCallback.filter())
    router.callback_query.register(on_file_for, FileForCallback.filter())
    return router
