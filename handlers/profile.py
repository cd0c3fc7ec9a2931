"""The profile form after consent, and /profile: view, edit, a mentor's availability.

The answers live only in the FSM data until the person confirms the summary, so /cancel (or a
second /start) leaves nothing behind. One code path asks every question, whether it comes up in
the form, from the summary's Edit buttons, or from /profile.
"""

from __future__ import annotations

from datetime import date, timedelta

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import ProfileCallback
from bot.telegram.html import Html, format_html
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import profile as keyboards
from bot.telegram.once import answer_already_done, claim, is_spent
from bot.telegram.profile_form import (
    CHOICES,
    DATE_FORMAT,
    PRESET_ROLES,
    SUMMARY,
    TOGGLES,
    TYPED_STEPS,
    Form,
    apply_text,
    choose,
    current_answer,
    date_problem_text,
    display,
    problem_text,
    question,
    remove_custom_subject,
    toggle,
)
from bot.telegram.redraw import send_or_edit
from bot.telegram.states import ProfileAvailability, ProfileForm
from bot.telegram.texts import Texts
from models import ProgrammeRole
from services.core.errors import NotAllowed, StaleAction, ValidationFailed
from services.people.profiles import ProfileDraft, ProfileView, parse_date


def _unexpected_hint(message: Message, step: str) -> str:
    if message.text and message.text.startswith("/"):
        return _(
            "This command does not work inside the form. Answer the question, "
            "or send /cancel to leave the form."
        )
    if step in ("position", "subjects"):
        return _("Please choose a button or answer with text.")
    if step in TYPED_STEPS:
        return _("Please answer with text.")
    return _("Please use the buttons below.")


# --- asking and moving through the form ------------------------------------------------------


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
    await state.set_state(getattr(ProfileForm, step))
    await state.set_data(form.to_state())
    text = texts.render(
        "profile/question.j2",
        hint=hint,
        question=question(step),
        current=current_answer(form, step),
    )
    markup = keyboards.question_keyboard(step, form.draft, back=form.can_go_back(step))
    await send_or_edit(bot, chat_id, text, markup, message_id)


async def _show_summary(
    bot: Bot, chat_id: int, state: FSMContext, texts: Texts, form: Form, *, hint: str | None = None
) -> None:
    await state.set_state(ProfileForm.summary)
    await state.set_data(form.to_state())
    text = texts.render("profile/summary.j2", p=display(form.draft), hint=hint)
    # A role the invite set is shown but has no Edit button: steps() leaves it out.
    await bot.send_message(chat_id, text, reply_markup=keyboards.summary_keyboard(form.steps()))


async def _advance(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    form: Form,
) -> None:
    """After an answer: the next unanswered question, or the summary, or (from /profile) save."""
    step = form.next_step()
    if step is not None:
        await _ask(bot, chat_id, state, texts, form, step)
        return
    if form.mode == "profile":
        view = await services.profiles.save(person.id, form.organisation_id, form.draft)
        await state.clear()
        await _show_profile(bot, chat_id, texts, view, notice=_("Saved."))
        return
    form.mode, form.snapshot = "form", None
    await _show_summary(bot, chat_id, state, texts, form)


async def _load(state: FSMContext) -> tuple[Form, str]:
    """The form and its current step; a form whose data were lost counts as a stale action."""
    raw_state = await state.get_state() or ""
    data = await state.get_data()
    try:
        form = Form.from_state(data)
    except (KeyError, TypeError, ValueError):
        await state.clear()
        raise StaleAction from None
    return form, raw_state.removeprefix(f"{ProfileForm.__full_group_name__}:")


async def start_profile(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    *,
    preset: ProgrammeRole | None,
    prefix: Html | None = None,
) -> None:
    """Begin the profile form right after consent. `prefix` (e.g. "consent recorded"), the
    form's introduction and its first question go out as one message."""
    if await services.profiles.get(person.id) is not None:
        # A renewed consent: the profile is there already.
        await state.clear()
        done = format_html(
            _("Your profile is already filled in. Send /profile to view or change it.")
        )
        await bot.send_message(chat_id, format_html("{}\n\n{}", prefix, done) if prefix else done)
        return
    organisation_id = await services.profiles.organisation_for_form(person.id)
    role = PRESET_ROLES.get(preset) if preset is not None else None
    form = Form(
        draft=ProfileDraft(role=role),
        organisation_id=organisation_id,
        preset=role is not None,
        mode="form",
        answered={"role"} if role is not None else set(),
    )
    await state.clear()
    intro = texts.render("profile/intro.j2")
    if prefix is not None:
        intro = format_html("{}\n\n{}", prefix, intro)
    await _ask(bot, chat_id, state, texts, form, form.steps()[0], hint=intro)


async def reshow(bot: Bot, chat_id: int, state: FSMContext, texts: Texts, hint: Html) -> None:
    """The question the person was answering, again, under `hint` (used by /start)."""
    form, step = await _load(state)
    if step == SUMMARY:
        await _show_summary(bot, chat_id, state, texts, form, hint=hint)
    else:
        await _ask(bot, chat_id, state, texts, form, step, hint=hint)


# --- typed answers ---------------------------------------------------------------------------


async def form_text(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """A typed answer to the current question."""
    form, step = await _load(state)
    chat_id = message.chat.id
    if step not in TYPED_STEPS:
        await _reask(bot, message, state, texts, form, step)
        return
    try:
        answered = apply_text(form, step, message.text or "")
    except ValidationFailed as problem:
        await _ask(
            bot, chat_id, state, texts, form, step, hint=problem_text(problem.reason, step, form)
        )
        return
    if not answered:
        await _ask(bot, chat_id, state, texts, form, step)
        return
    await _advance(bot, chat_id, state, person, services, texts, form)


async def _reask(
    bot: Bot, message: Message, state: FSMContext, texts: Texts, form: Form, step: str
) -> None:
    hint = _unexpected_hint(message, step)
    if step == SUMMARY:
        await _show_summary(bot, message.chat.id, state, texts, form, hint=hint)
    else:
        await _ask(bot, message.chat.id, state, texts, form, step, hint=hint)


async def form_unexpected(message: Message, state: FSMContext, texts: Texts, bot: Bot) -> None:
    """A photo, a sticker, or a command the form does not know: ask again."""
    form, step = await _load(state)
    await _reask(bot, message, state, texts, form, step)


# --- buttons inside the form -----------------------------------------------------------------


async def on_form_button(
    callback: CallbackQuery,
    callback_data: ProfileCallback,
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

    if action in TOGGLES and TOGGLES[action][0] == step:
        hint = toggle(form, action, value)
        if hint:
            await callback.answer(hint, show_alert=True)
            return
        await callback.answer()
        await _ask(bot, chat_id, state, texts, form, step, message_id=message_id)
    elif action == keyboards.CUSTOM_SUBJECT and step == "subjects":
        remove_custom_subject(form, value)
        await callback.answer()
        await _ask(bot, chat_id, state, texts, form, step, message_id=message_id)
    elif action in CHOICES and CHOICES[action] == step:
        choose(form, step, value)
        await callback.answer()
        await _advance(bot, chat_id, state, person, services, texts, form)
    elif action == keyboards.DONE and value == step and step in keyboards.MULTI_SELECT_STEPS:
        if not getattr(form.draft, step):
            await callback.answer(_("Please tick at least one option."), show_alert=True)
            return
        form.answered.add(step)
        await callback.answer()
        await _advance(bot, chat_id, state, person, services, texts, form)
    elif action == keyboards.BACK and value == step:
        await callback.answer()
        await _back(bot, chat_id, state, services, texts, person, form, step)
    elif action == keyboards.EDIT and step == SUMMARY:
        if value not in form.steps():
            raise StaleAction
        await callback.answer()
        form.begin_edit("edit")
        await _ask(bot, chat_id, state, texts, form, value)
    elif action == keyboards.CONFIRM and step == SUMMARY:
        if not await claim(state, callback):
            await answer_already_done(callback)
            return
        view = await services.profiles.save(person.id, form.organisation_id, form.draft)
        await state.clear()
        await callback.answer()
        role = view.draft.role
        await bot.send_message(
            chat_id,
            texts.render(
                "profile/saved.j2",
                mentee=role is not None and role.is_mentee,
                mentor=role is not None and role.mentors,
            ),
        )
    else:
        raise StaleAction


async def _back(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    form: Form,
    step: str,
) -> None:
    """Back: the previous question; while editing, back to where the edit began, unchanged."""
    if form.mode == "profile":
        await state.clear()
        await _show_current_profile(bot, chat_id, services, texts, person)
        return
    if form.mode == "edit":
        form.undo_edit()
        await _show_summary(bot, chat_id, state, texts, form)
        return
    steps = form.steps()
    if step == SUMMARY:
        await _ask(bot, chat_id, state, texts, form, steps[-1])
        return
    if step not in steps or steps.index(step) == 0:
        raise StaleAction
    await _ask(bot, chat_id, state, texts, form, steps[steps.index(step) - 1])


# --- /profile --------------------------------------------------------------------------------


async def _show_profile(
    bot: Bot,
    chat_id: int,
    texts: Texts,
    view: ProfileView,
    *,
    notice: str | None = None,
    message_id: int | None = None,
) -> None:
    draft = view.draft
    shown = display(draft)
    fields = Form(draft, view.organisation_id, preset=False, mode="profile").steps()
    markup = keyboards.profile_keyboard(
        fields,
        mentor=shown["mentor"],
        capacity=shown["capacity"],
        unavailable=draft.unavailable_until is not None,
    )
    text = texts.render("profile/view.j2", p=shown, notice=notice)
    await send_or_edit(bot, chat_id, text, markup, message_id)


async def _show_current_profile(
    bot: Bot, chat_id: int, services: Services, texts: Texts, person: TelegramPerson
) -> None:
    view = await services.profiles.get(person.id)
    if view is None:
        raise StaleAction
    await _show_profile(bot, chat_id, texts, view)


async def cmd_profile(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """/profile: the saved profile with Edit buttons, or the way to get one."""
    await state.clear()
    view = await services.profiles.get(person.id)
    if view is not None:
        await _show_profile(bot, message.chat.id, texts, view)
        return
    try:
        organisation_id = await services.profiles.organisation_for_form(person.id)
    except NotAllowed:
        await message.answer(
            _(
                "The profile is for participants of the mentorship programme. To join, open "
                "the invite link from your programme curator."
            )
        )
        return
    preset = await services.profiles.invited_role(person.id, organisation_id)
    not_yet = format_html(_("You have not filled in your profile yet. Let us do it now."))
    await start_profile(
        bot, message.chat.id, state, person, services, texts, preset=preset, prefix=not_yet
    )


def _date_example(today: date) -> str:
    return (today + timedelta(days=14)).strftime(DATE_FORMAT)


async def _ask_date(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    *,
    hint: str | None = None,
) -> None:
    view = await services.profiles.get(person.id)
    if view is None or view.draft.role is None or not view.draft.role.mentors:
        raise NotAllowed
    today = await services.profiles.local_today(person.id)
    await state.set_state(ProfileAvailability.unavailable_until)
    until = view.draft.unavailable_until
    text = texts.render(
        "profile/question.j2",
        hint=hint,
        question=_(
            "Until which date do you take no new mentees (holiday, sick leave)? "
            "Send it as DD.MM.YYYY, for example {example}."
        ).format(example=_date_example(today)),
        current=until.strftime(DATE_FORMAT) if until else None,
    )
    await bot.send_message(
        chat_id, text, reply_markup=keyboards.availability_keyboard(unavailable=until is not None)
    )


async def on_profile_button(
    callback: CallbackQuery,
    callback_data: ProfileCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """/profile's buttons: edit an answer, capacity, the date of absence."""
    if callback_data.action == keyboards.CONFIRM and await is_spent(state, callback):
        # The form's Confirm pressed again after the profile was saved.
        await answer_already_done(callback)
        return
    action, value = callback_data.action, callback_data.value
    chat_id = person.chat_id
    message_id = callback.message.message_id if callback.message is not None else None
    if action == keyboards.PROFILE_EDIT:
        view = await services.profiles.get(person.id)
        if view is None:
            raise StaleAction
        form = Form(view.draft, view.organisation_id, preset=False, mode="profile")
        form.answered = set(form.steps())
        if value not in form.answered:
            raise StaleAction
        await callback.answer()
        form.begin_edit("profile")
        await _ask(bot, chat_id, state, texts, form, value)
    elif action == keyboards.CAPACITY:
        if not value.isdigit() or int(value) not in keyboards.CAPACITY_CHOICES:
            raise StaleAction
        view = await services.profiles.set_availability(person.id, capacity=int(value))
        await state.clear()
        await callback.answer(_("Saved."))
        await _show_profile(bot, chat_id, texts, view, message_id=message_id)
    elif action == keyboards.UNAVAILABLE:
        await _ask_date(bot, chat_id, state, services, texts, person)
        await callback.answer()
    elif action == keyboards.CLEAR_UNAVAILABLE:
        view = await services.profiles.set_availability(person.id, clear_unavailable=True)
        await state.clear()
        await callback.answer()
        await _show_profile(bot, chat_id, texts, view, notice=_("The date is cleared."))
    elif action == keyboards.VIEW:
        await state.clear()
        await callback.answer()
        await _show_current_profile(bot, chat_id, services, texts, person)
    else:
        raise StaleAction


async def availability_date(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """The typed date until which a mentor takes no new mentees."""
    today = await services.profiles.local_today(person.id)
    try:
        until = parse_date(message.text or "", today)
    except ValidationFailed as problem:
        hint = date_problem_text(problem.reason)
        await _ask_date(bot, message.chat.id, state, services, texts, person, hint=hint)
        return
    view = await services.profiles.set_availability(person.id, unavailable_until=until)
    await state.clear()
    await _show_profile(bot, message.chat.id, texts, view, notice=_("Saved."))


async def availability_unexpected(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Anything but a typed date while a date is expected."""
    if message.text and message.text.startswith("/"):
        hint = _unexpected_hint(message, "unavailable_until")
    else:
        hint = date_problem_text("format")
    await _ask_date(bot, message.chat.id, state, services, texts, person, hint=hint)


def get_router() -> Router:
    router = Router(name="profile")
    not_a_command = F.text & ~F.text.startswith("/")
    router.message.register(cmd_profile, Command("profile"), StateFilter(None, ProfileAvailability))
    router.message.register(form_text, StateFilter(ProfileForm), not_a_command)
    router.message.register(form_unexpected, StateFilter(ProfileForm))
    router.message.register(availability_date, ProfileAvailability.unavailable_until, not_a_command)
    router.message.register(availability_unexpected, ProfileAvailability.unavailable_until)
    router.callback_query.register(
        on_form_button, StateFilter(ProfileForm), ProfileCallback.filter()
    )
    router.callback_query.register(on_profile_button, ProfileCallback.filter())
    return router
