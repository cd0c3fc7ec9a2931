from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.container import Services
from bot.telegram.commands import CommandMenus
from bot.telegram.consent_prompt import ask_for_consent
from bot.telegram.identity import TelegramPerson
from bot.telegram.labels import role_name
from bot.telegram.texts import Texts
from handlers import consent, profile
from services.core.errors import InviteNotUsable, NotAllowed


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
    """/start, with or without an invite code (a second /start leaves any form)."""
    await state.clear()
    code = (command.args or "").strip()
    if not code:
        if await consent.ask_pending(bot, person, services, texts):
            return
        if await _profile_missing(person, services):
            # A consented participant who left the form: pick it up again rather than greet.
            await profile.cmd_profile(message, state, person, services, texts, bot)
            return
        await message.answer(texts.render("start/welcome.j2"))
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
            )
        )
        if not joined.already_member:
            await menus.refresh_for(bot, person.id)
        return
    # A participant: the organisation's welcome, then the consent as a separate message.
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
    await message.answer(
        texts.render("start/org_welcome.j2", organisation=joined.organisation_name)
    )
    await ask_for_consent(bot, person.chat_id, request, texts)


async def cmd_help(
    message: Message, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """/help: what the bot can do for this person's roles."""
    actor = person.actor
    await message.answer(
        texts.render(
            "start/help.j2",
            curator=actor.is_curator_anywhere,
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
