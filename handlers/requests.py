"""/request: the mentee's request — the form, the live request, suggestions, choosing a mentor;
/request_for: a curator files a request on a mentee's behalf after talking to them.

The answers live only in the FSM data until Submit (or Save), so /cancel leaves nothing behind.
One code path asks every question, whether it comes up in the form or from the summary's Edit
buttons, for a new request and for a live one being edited.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import (
    ChooseMentorCallback,
    FileForCallback,
    RequestActionCallback,
    RequestFormCallback,
)
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import requests as keyboards
from bot.telegram.labels import subject_name
from bot.telegram.mentoring_labels import reasons_text
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.redraw import send_or_edit
from bot.telegram.request_form import (
    STEPS,
    SUMMARY,
    TEXT_LIMITS,
    Form,
    apply_text,
    choose,
    current_answer,
    display,
    problem_text,
    question,
    toggle,
)
from bot.telegram.states import RequestForm
from bot.telegram.texts import Texts, format_local
from services.core.clock import Clock
from services.core.errors import RequestProblem, RequestUnavailable, StaleAction, ValidationFailed
from services.requests.draft import RequestDraft
from services.requests.filing import RequestView, Suggestion

DAY_SECONDS = 24 * 60 * 60


def _unexpected_hint(message: Message, step: str) -> str:
    if message.text and message.text.startswith("/"):
        return _(
            "This command does not work inside the form. Answer the question, "
            "or send /cancel to leave the form."
        )
    if step in TEXT_LIMITS:
        return _("Please answer with text.")
    return _("Please use the buttons below.")


# --- the form --------------------------------------------------------------------------------


async def _ask(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    texts: Texts,
    form: Form,
    step: str,
    *,
    hint: str | None = None,
    message_id: int | None = None,
) -> None:
    await state.set_state(getattr(RequestForm, step))
    await state.set_data(form.to_state())
    current = current_answer(form, step)
    text = texts.render(
        "requests/question.j2",
        hint=hint,
        question=question(step),
        current=current,
        mentee_name=form.mentee_name,
    )
    markup = keyboards.question_keyboard(
        step,
        form.draft,
        back=form.can_go_back(step),
        # While editing from the summary, Back already keeps the answer.
        keep=current is not None and not form.editing,
    )
    await send_or_edit(bot, chat_id, text, markup, message_id)


async def _show_summary(
    bot: Bot, chat_id: int, state: FSMContext, texts: Texts, form: Form, *, hint: str | None = None
) -> None:
    await state.set_state(RequestForm.summary)
    await state.set_data(form.to_state())
    saving = form.request_id is not None
    text = texts.render(
        "requests/summary.j2",
        r=display(form.draft),
        mentee_name=form.mentee_name,
        saving=saving,
        hint=hint,
    )
    await bot.send_message(chat_id, text, reply_markup=keyboards.summary_keyboard(saving=saving))


async def _advance(bot: Bot, chat_id: int, state: FSMContext, texts: Texts, form: Form) -> None:
    """After an answer: the next unanswered question, or the summary."""
    form.end_edit()
    step = form.next_step()
    if step is not None:
        await _ask(bot, chat_id, state, texts, form, step)
    else:
        await _show_summary(bot, chat_id, state, texts, form)


async def _load(state: FSMContext) -> tuple[Form, str]:
    """The form and its current step; a form whose data were lost counts as a stale action."""
    raw_state = await state.get_state() or ""
    try:
        form = Form.from_state(await state.get_data())
    except (KeyError, TypeError, ValueError):
        await state.clear()
        raise StaleAction from None
    return form, raw_state.removeprefix(f"{RequestForm.__full_group_name__}:")


async def _start_form(bot: Bot, chat_id: int, state: FSMContext, texts: Texts, form: Form) -> None:
    await state.clear()
    await bot.send_message(chat_id, texts.render("requests/intro.j2", mentee_name=form.mentee_name))
    await _ask(bot, chat_id, state, texts, form, STEPS[0])


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
    await _start_form(bot, message.chat.id, state, texts, Form(draft=RequestDraft()))


async def form_text(message: Message, state: FSMContext, texts: Texts, bot: Bot) -> None:
    """A typed answer to the current question."""
    form, step = await _load(state)
    if step not in TEXT_LIMITS:
        await _reask(bot, message, state, texts, form, step)
        return
    text = message.text or ""
    try:
        apply_text(form, step, text)
    except ValidationFailed as problem:
        hint = problem_text(problem.reason, step, text)
        await _ask(bot, message.chat.id, state, texts, form, step, hint=hint)
        return
    await _advance(bot, message.chat.id, state, texts, form)


async def _reask(
    bot: Bot, message: Message, state: FSMContext, texts: Texts, form: Form, step: str
) -> None:
    hint = _unexpected_hint(message, step)
    if step == SUMMARY:
        await _show_summary(bot, message.chat.id, state, texts, form, hint=hint)
    else:
        await _ask(bot, message.chat.id, state, texts, form, step, hint=hint)


async def form_unexpected(message: Message, state: FSMContext, texts: Texts, bot: Bot) -> None:
    """A photo, a sticker, or a command inside the form: ask again."""
    form, step = await _load(state)
    await _reask(bot, message, state, texts, form, step)


async def on_form_button(
    callback: CallbackQuery,
    callback_data: RequestFormCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Any button of the form; one that does not belong to the current question is stale."""
    form, step = await _load(state)
    action, value = callback_data.action, callback_data.value
    chat_id = person.chat_id
    message_id = callback.message.message_id if callback.message is not None else None

    if action == keyboards.TOPIC and step == "topics":
        toggle(form, value)
        await callback.answer()
        await _ask(bot, chat_id, state, texts, form, step, message_id=message_id)
    elif action == keyboards.DONE and step == "topics" and value == step:
        if not form.draft.topics:
            await callback.answer(_("Please tick at least one topic."), show_alert=True)
            return
        form.answered.add(step)
        await callback.answer()
        await _advance(bot, chat_id, state, texts, form)
    elif keyboards.STEP_OF_CHOICE.get(action) == step:
        choose(form, step, value)
        await callback.answer()
        await _advance(bot, chat_id, state, texts, form)
    elif action == keyboards.KEEP and value == step and current_answer(form, step) is not None:
        await callback.answer()
        await _advance(bot, chat_id, state, texts, form)
    elif action == keyboards.BACK and value == step and step != SUMMARY:
        if form.editing:
            await callback.answer()
            form.undo_edit()
            await _show_summary(bot, chat_id, state, texts, form)
        else:
            previous = form.previous_step(step)  # none before the first question: stale
            await callback.answer()
            await _ask(bot, chat_id, state, texts, form, previous)
    elif action == keyboards.EDIT and step == SUMMARY and value in STEPS:
        await callback.answer()
        form.begin_edit()
        await _ask(bot, chat_id, state, texts, form, value)
    elif action == keyboards.SUBMIT and step == SUMMARY and form.request_id is None:
        await _submit(callback, state, person, services, texts, bot, form)
    elif action == keyboards.SAVE and step == SUMMARY and form.request_id is not None:
        view = await services.requests.update(person.id, form.request_id, form.draft)
        await state.clear()
        await callback.answer()
        await _show_request(bot, chat_id, texts, view, notice=_("Saved."))
    elif action == keyboards.CANCEL and step == SUMMARY:
        await state.clear()
        await callback.answer()
        await bot.send_message(chat_id, _("Cancelled. Nothing was saved."))
    else:
        raise StaleAction


async def _submit(
    callback: CallbackQuery,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
    form: Form,
) -> None:
    """File the request; the mentee sees their suggestions at once, a curator where to go next."""
    try:
        view = await services.requests.submit(person.id, form.draft, mentee_id=form.mentee_id)
    except RequestUnavailable as problem:
        # Someone filed meanwhile (a second form, or the mentee and the curator at once).
        await state.clear()
        if form.mentee_id is None or problem.problem != RequestProblem.ALREADY_OPEN:
            raise
        await callback.answer(
            _("This teacher already has an open request. Nothing was filed."), show_alert=True
        )
        return
    await state.clear()
    await callback.answer()
    chat_id = person.chat_id
    if form.mentee_id is not None:
        await bot.send_message(
            chat_id, texts.render("requests/filed_for.j2", mentee_name=form.mentee_name)
        )
        return
    suggestions = await services.requests.suggestions(person.id, view.id)
    await _show_suggestions(bot, chat_id, texts, view.id, suggestions, submitted=True)


# --- the live request ------------------------------------------------------------------------


async def _show_request(
    bot: Bot,
    chat_id: int,
    texts: Texts,
    view: RequestView,
    *,
    notice: str | None = None,
    message_id: int | None = None,
) -> None:
    text = texts.render("requests/view.j2", v=view, r=display(view.draft), notice=notice)
    await send_or_edit(bot, chat_id, text, keyboards.request_keyboard(view), message_id)


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


async def _show_suggestions(
    bot: Bot,
    chat_id: int,
    texts: Texts,
    request_id: int,
    suggestions: list[Suggestion],
    *,
    submitted: bool,
) -> None:
    text = texts.render(
        "requests/suggestions.j2",
        suggestions=_suggestion_lines(suggestions),
        submitted=submitted,
    )
    # With no suggestion after submitting, the service has told the curators already.
    curator = bool(suggestions) or not submitted
    markup = keyboards.suggestions_keyboard(request_id, suggestions, curator=curator)
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
        await state.clear()
        await _show_summary(bot, chat_id, state, texts, Form.prefilled(view.draft, view.id))
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
    form = Form(draft=RequestDraft(), mentee_id=callback_data.mentee_id, mentee_name=name)
    await _start_form(bot, chat_id, state, texts, form)


def get_router() -> Router:
    router = Router(name="requests")
    not_a_command = F.text & ~F.text.startswith("/")
    router.message.register(cmd_request, Command("request"), StateFilter(None))
    router.message.register(cmd_request_for, Command("request_for"), StateFilter(None))
    router.message.register(form_text, StateFilter(RequestForm), not_a_command)
    router.message.register(form_unexpected, StateFilter(RequestForm))
    router.callback_query.register(
        on_form_button, StateFilter(RequestForm), RequestFormCallback.filter()
    )
    router.callback_query.register(on_request_action, RequestActionCallback.filter())
    router.callback_query.register(on_choose_mentor, ChooseMentorCallback.filter())
    router.callback_query.register(on_file_for, FileForCallback.filter())
    return router
