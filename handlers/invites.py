from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.deep_linking import create_start_link
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import (
    InviteOrganisationCallback,
    InviteRevokeCallback,
    InviteRoleCallback,
)
from bot.telegram.html import format_html
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.invites import (
    invite_list_keyboard,
    invite_role_keyboard,
    organisation_choice_keyboard,
    revoke_confirm_keyboard,
)
from bot.telegram.once import answer_already_done, claim
from bot.telegram.texts import Texts
from models import InviteRole
from services.core.errors import StaleAction
from services.organisations.registry import OrganisationView


async def _curated(
    message: Message, person: TelegramPerson, services: Services
) -> list[OrganisationView]:
    organisations = await services.organisations.curated(person.id)
    if not organisations:
        # Only a superadmin who curates nowhere gets here; others were refused by the service.
        await message.answer(_("You curate no organisation. Use /orgs to invite a curator."))
    return organisations


async def cmd_invite(
    message: Message, person: TelegramPerson, services: Services, texts: Texts, bot: Bot
) -> None:
    """/invite (curator): choose a role and get a link to share."""
    organisations = await _curated(message, person, services)
    if not organisations:
        return
    if len(organisations) == 1:
        await _ask_role(bot, person.chat_id, organisations[0])
        return
    await message.answer(
        _("Which organisation is the invite for?"),
        reply_markup=organisation_choice_keyboard(organisations, "new"),
    )


async def cmd_invites(
    message: Message, person: TelegramPerson, services: Services, texts: Texts, bot: Bot
) -> None:
    """/invites (curator): links that still work, with a button to revoke each."""
    organisations = await _curated(message, person, services)
    if not organisations:
        return
    if len(organisations) == 1:
        await _show_list(bot, person, services, texts, organisations[0].id)
        return
    await message.answer(
        _("Which organisation's invites do you want to see?"),
        reply_markup=organisation_choice_keyboard(organisations, "list"),
    )


async def on_invite_organisation(
    callback: CallbackQuery,
    callback_data: InviteOrganisationCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """An organisation chosen for /invite or /invites."""
    organisation = await services.organisations.get(person.id, callback_data.organisation_id)
    await callback.answer()
    if callback_data.purpose == "list":
        await _show_list(bot, person, services, texts, organisation.id)
    else:
        await _ask_role(bot, person.chat_id, organisation)


async def _ask_role(bot: Bot, chat_id: int, organisation: OrganisationView) -> None:
    await bot.send_message(
        chat_id,
        format_html(_("Who is the invite for? ({organisation})"), organisation=organisation.name),
        reply_markup=invite_role_keyboard(organisation.id),
    )


async def _show_list(
    bot: Bot, person: TelegramPerson, services: Services, texts: Texts, organisation_id: int
) -> None:
    invites = await services.invites.list_active(person.id, organisation_id)
    links = [await create_start_link(bot, invite.code) for invite in invites]
    await bot.send_message(
        person.chat_id,
        texts.render("invites/list.j2", invites=list(zip(invites, links, strict=True))),
        reply_markup=invite_list_keyboard(invites) if invites else None,
    )


async def on_invite_role(
    callback: CallbackQuery,
    callback_data: InviteRoleCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """A role chosen: create the invite and show the link (once per button: a double tap)."""
    try:
        role = InviteRole(callback_data.role)
    except ValueError:
        raise StaleAction from None
    if not await claim(state, callback):
        await answer_already_done(callback)
        return
    invite = await services.invites.create(person.id, callback_data.organisation_id, role)
    await callback.answer()
    link = await create_start_link(bot, invite.code)
    await bot.send_message(
        person.chat_id, texts.render("invites/created.j2", invite=invite, link=link)
    )


async def on_invite_revoke(
    callback: CallbackQuery,
    callback_data: InviteRevokeCallback,
    person: TelegramPerson,
    services: Services,
    bot: Bot,
) -> None:
    """Revoke an invite, after a confirmation."""
    if callback_data.step == "ask":
        await callback.answer()
        await bot.send_message(
            person.chat_id,
            _("Revoke this invite? People who have not used it yet will not be able to join."),
            reply_markup=revoke_confirm_keyboard(callback_data.invite_id),
        )
        return
    if callback_data.step == "no":
        await callback.answer(_("The invite still works."))
        return
    if callback_data.step != "yes":
        raise StaleAction
    await services.invites.revoke(person.id, callback_data.invite_id)
    await callback.answer()
    await bot.send_message(
        person.chat_id,
        _("The invite is revoked. Create a new one with /invite."),
    )


def get_router() -> Router:
    router = Router(name="invites")
    router.message.register(cmd_invite, Command("invite"))
    router.message.register(cmd_invites, Command("invites"))
    router.callback_query.register(on_invite_organisation, InviteOrganisationCallback.filter())
    router.callback_query.register(on_invite_role, InviteRoleCallback.filter())
    router.callback_query.register(on_invite_revoke, InviteRevokeCallback.filter())
    return router
