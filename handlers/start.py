from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram import forms
from bot.telegram.commands import CommandMenus
from bot.telegram.consent_prompt import ask_for_consent
from bot.telegram.html import format_html
from bot.telegram.identity import TelegramPerson
from bot.telegram.labels import profile_role_name, role_name
from bot.telegram.states import FormStates
from bot.telegram.texts import Texts
from handlers import consent, profile
from models import InviteRole, ProfileRole, RoleKind
from services.core.errors import InviteNotUsable, NotAllowed
from services.forms.flow import Progress


async def form_in_progress(
    state: FSMContext, services: Services, person: TelegramPerson
) -> Progress | str | None:
    """The form this person is filling in: the engine's form (kept in the database), the step of
    another multi-step command (its FSM state), or None. The one place that decides it."""
    progress = await services.forms.current(person.id)
    if progress is not None and not progress.submitted:
        return progress
    return await state.get_state()


async def cmd_start(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    menus: CommandMenus,
    bot: Bot,
) -> None:
    """/start, with or without an invite code. A form in progress is kept, never cleared."""
    code = (command.args or "").strip()
    if not code:
        await _start_again(message, state, person, services, texts, bot)
        return
    try:
        joined = await services.invites.redeem(person.id, code)
    except InviteNotUsable as problem:
        await message.answer(texts.render("start/invite_problem.j2", problem=problem.problem.value))
        return
    if joined.role.is_staff:
        await message.answer(
            texts.render(
                "start/joined.j2",
                organisation=joined.organisation_name,
                role=role_name(joined.role),
                already=joined.already_member,
                coordinator=joined.role == InviteRole.COORDINATOR,
            )
        )
        if not joined.already_member:
            await menus.refresh_for(bot, person.id)
        return
    await services.consent.refresh_documents(joined.organisation_id)
    requests = await services.consent.pending(person.id, person.locale)
    request = next((r for r in requests if r.organisation_id == joined.organisation_id), None)
    if request is None:
        await message.answer(
            texts.render(
                "start/joined.j2",
                organisation=joined.organisation_name,
                role=role_name(joined.role),
                already=True,
            )
        )
        return
    # A participant: the organisation's welcome and the consent's introduction in one message,
    # then the consent document as a separate message.
    welcome = texts.render("start/org_welcome.j2", organisation=joined.organisation_name)
    await ask_for_consent(bot, person.chat_id, request, texts, prefix=welcome)


async def _start_again(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """/start without a code: a consent still to answer comes first (nothing else works before
    it), then a form in progress, then who they are."""
    if not person.actor.roles and not person.actor.is_superadmin:
        # Nobody yet (a first contact, say): no consent, form or role to look up.
        await message.answer(texts.render("start/welcome.j2"))
        return
    if person.needs_consent and await consent.ask_pending(bot, person, services, texts):
        return
    in_form = await form_in_progress(state, services, person)
    if in_form is not None:
        reminder = format_html(
            _(
                "You have a form in progress. Answer its question to go on, "
                "or send /cancel to leave it."
            )
        )
        if isinstance(in_form, Progress):
            # The question that was waiting, again, under the reminder.
            await state.set_state(FormStates.answering)
            await forms.show(bot, services, texts, message.chat.id, in_form, intro=reminder)
        else:
            await message.answer(reminder)
        return
    if await _profile_missing(person, services):
        # A consented participant who left the form: pick it up again rather than greet.
        await profile.cmd_profile(message, state, person, services, texts, bot)
        return
    introduction = await services.organisations.introduce(person.id)
    if not introduction.known:
        await message.answer(texts.render("start/welcome.j2"))
        return
    await message.answer(
        texts.render(
            "start/greeting.j2",
            name=introduction.full_name,
            memberships=introduction.memberships,
            membership_role=_membership_role,
            superadmin=introduction.is_superadmin,
            curator=introduction.is_curator,
            coordinator=person.actor.has_role(RoleKind.COORDINATOR),
        )
    )


def _membership_role(role: str) -> str:
    if role == ProfileRole.BOTH:
        return profile_role_name(role)
    return role_name(role)


async def cmd_help(
    message: Message, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """/help: what the bot can do for this person's roles."""
    actor = person.actor
    await message.answer(
        texts.render(
            "start/help.j2",
            curator=actor.is_curator_anywhere,
            coordinator=actor.has_role(RoleKind.COORDINATOR),
            superadmin=actor.is_superadmin,
        )
    )


async def _profile_missing(person: TelegramPerson, services: Services) -> bool:
    if await services.profiles.get(person.id) is not None:
        return False
    try:
        await services.profiles.organisation_for_form(person.id)
    except NotAllowed:
        return False
    return True


def get_router() -> Router:
    router = Router(name="start")
    router.message.register(cmd_start, CommandStart())
    router.message.register(cmd_help, Command("help"))
    return router
