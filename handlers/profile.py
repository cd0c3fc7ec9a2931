"""The profile form after consent, and /profile: view, edit, a mentor's availability.

The form is data (bot/telegram/profile_forms.py) asked by the one form engine; nothing is saved
until the person confirms the summary, so /cancel (or a second /start) leaves nothing behind. An
answer changed from /profile opens the form at that one question and is saved when it is given.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import ProfileCallback
from bot.telegram.filters import TypedText
from bot.telegram.forms import Reply, purpose, start_form, unexpected_hint
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import profile as keyboards
from bot.telegram.profile_forms import (
    DATE_FORMAT,
    PROFILE,
    answers_of,
    draft_from_answers,
    profile_options,
)
from bot.telegram.profile_words import confirm_label, date_problem_text, display, summary
from bot.telegram.redraw import send_or_edit
from bot.telegram.states import ProfileAvailability
from bot.telegram.texts import Texts
from models import ProfileRole, ProgrammeRole
from services.core.errors import NotAllowed, StaleAction, ValidationFailed
from services.forms.definitions import Answer
from services.forms.flow import visible
from services.people.profiles import ProfileView, parse_date

PRESET_ROLES = {ProgrammeRole.MENTEE: ProfileRole.MENTEE, ProgrammeRole.MENTOR: ProfileRole.MENTOR}


# --- the form ----------------------------------------------------------------------------------


async def start_profile(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    *,
    preset: ProgrammeRole | None,
    intro: str | None = None,
) -> None:
    """Begin the profile form right after consent; `intro` (the consent recorded, say) goes at
    the top of the first question's message instead of a message of its own."""
    if await services.profiles.get(person.id) is not None:
        # A renewed consent: the profile is there already.
        await state.clear()
        already = _("Your profile is already filled in. Send /profile to view or change it.")
        await bot.send_message(chat_id, f"{intro.rstrip()}\n\n{already}" if intro else already)
        return
    organisation_id = await services.profiles.organisation_for_form(person.id)
    role = PRESET_ROLES.get(preset) if preset is not None else None
    own_intro = texts.render("profile/intro.j2")
    await start_form(
        bot,
        state,
        services,
        texts,
        person,
        PROFILE,
        "profile",
        answers={"role": role.value} if role is not None else None,
        fixed=("role",) if role is not None else (),
        options=profile_options(),
        intro=f"{intro.rstrip()}\n\n{own_intro}" if intro else own_intro,
        organisation_id=organisation_id,
    )


@purpose("profile", summary=summary, confirm=confirm_label)
async def save_profile(
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    context: dict[str, Any],
    answers: dict[str, Answer],
) -> Reply:
    """Confirm under the summary: the profile is saved and the curator sees it."""
    view = await services.profiles.save(
        person.id, int(context["organisation_id"]), draft_from_answers(answers)
    )
    role = view.draft.role
    return texts.render(
        "profile/saved.j2",
        mentee=role is not None and role.is_mentee,
        mentor=role is not None and role.mentors,
    )


async def _current_profile(services: Services, texts: Texts, person: TelegramPerson) -> Reply:
    view = await services.profiles.get(person.id)
    if view is None:
        raise StaleAction
    return _profile_reply(texts, view)


async def _leave_edit(
    services: Services, texts: Texts, person: TelegramPerson, context: dict[str, Any]
) -> Reply:
    """Back from one answer changed from /profile: the profile as it is."""
    return await _current_profile(services, texts, person)


@purpose("profile_edit", summary=summary, confirm=confirm_label, leave=_leave_edit)
async def save_profile_answer(
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    context: dict[str, Any],
    answers: dict[str, Answer],
) -> Reply:
    """One answer changed from /profile: saved as soon as it (and what it asks for) is given."""
    current = await services.profiles.get(person.id)
    if current is None:
        raise StaleAction
    draft = draft_from_answers(answers, base=current.draft)
    view = await services.profiles.save(person.id, current.organisation_id, draft)
    return _profile_reply(texts, view, notice=_("Saved."))


# --- /profile --------------------------------------------------------------------------------


def _fields(view: ProfileView) -> list[str]:
    """The answers of this profile, each with its Edit button (they depend on the role)."""
    return [question.id for question in visible(PROFILE, answers_of(view.draft))]


def _profile_reply(
    texts: Texts, view: ProfileView, *, notice: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    draft = view.draft
    shown = display(draft)
    markup = keyboards.profile_keyboard(
        _fields(view),
        mentor=shown["mentor"],
        capacity=shown["capacity"],
        unavailable=draft.unavailable_until is not None,
    )
    return texts.render("profile/view.j2", p=shown, notice=notice), markup


async def _show_profile(
    bot: Bot,
    chat_id: int,
    texts: Texts,
    view: ProfileView,
    *,
    notice: str | None = None,
    message_id: int | None = None,
) -> None:
    text, markup = _profile_reply(texts, view, notice=notice)
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
    await message.answer(_("You have not filled in your profile yet. Let us do it now."))
    await start_profile(bot, message.chat.id, state, person, services, texts, preset=preset)


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
    action, value = callback_data.action, callback_data.value
    chat_id = person.chat_id
    message_id = callback.message.message_id if callback.message is not None else None
    if action == keyboards.PROFILE_EDIT:
        view = await services.profiles.get(person.id)
        if view is None or value not in _fields(view):
            raise StaleAction
        await callback.answer()
        await start_form(
            bot,
            state,
            services,
            texts,
            person,
            PROFILE,
            "profile_edit",
            answers=answers_of(view.draft),
            options=profile_options(),
            at=value,
            organisation_id=view.organisation_id,
        )
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
        hint = unexpected_hint(message, None)
    else:
        hint = date_problem_text("format")
    await _ask_date(bot, message.chat.id, state, services, texts, person, hint=hint)


def get_router() -> Router:
    router = Router(name="profile")
    router.message.register(cmd_profile, Command("profile"), StateFilter(None, ProfileAvailability))
    router.message.register(
        availability_date, StateFilter(ProfileAvailability.unavailable_until), TypedText()
    )
    router.message.register(
        availability_unexpected, StateFilter(ProfileAvailability.unavailable_until)
    )
    router.callback_query.register(on_profile_button, ProfileCallback.filter())
    return router
