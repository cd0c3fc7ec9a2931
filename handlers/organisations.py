from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.deep_linking import create_start_link
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import (
    OrgCreateCallback,
    OrgCuratorInviteCallback,
    OrgPageCallback,
    TimezoneCallback,
)
from bot.telegram.filters import TypedText
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.organisations import (
    confirm_organisation_keyboard,
    organisations_keyboard,
    timezone_keyboard,
)
from bot.telegram.once import answer_already_done, claim
from bot.telegram.states import OrganisationCreation
from bot.telegram.texts import Texts, no_visible_text
from models import InviteRole
from services.core.errors import StaleAction, ValidationFailed
from services.organisations.registry import clean_address, clean_name
from services.organisations.timezones import RUSSIAN_TIMEZONES, validate_timezone


def _name_hint(reason: str) -> str:
    if reason == "too_long":
        return _("The name is too long: at most 200 characters.")
    if reason == "empty":
        return no_visible_text() + " " + _("Send the full name of the organisation.")
    return _("The name is too short. Send the full name of the organisation.")


async def cmd_org_new(
    message: Message, state: FSMContext, person: TelegramPerson, services: Services
) -> None:
    """/org_new (superadmin): start creating an organisation."""
    actor = person.actor
    actor.require_superadmin()
    await state.clear()
    await state.set_state(OrganisationCreation.name)
    await message.answer(
        _("New organisation. Send its full name, as in its charter.")
        + "\n"
        + _("Send /cancel to stop.")
    )


async def org_new_name(message: Message, state: FSMContext) -> None:
    """The name of the new organisation."""
    try:
        name = clean_name(message.text or "")
    except ValidationFailed as problem:
        await message.answer(_name_hint(problem.reason))
        return
    await state.update_data(name=name)
    await state.set_state(OrganisationCreation.address)
    await message.answer(
        _("Send the organisation's postal address. It is printed in the consent text.")
    )


async def org_new_address(message: Message, state: FSMContext) -> None:
    """The postal address of the new organisation."""
    try:
        address = clean_address(message.text or "")
    except ValidationFailed as problem:
        if problem.reason == "too_long":
            hint = _("The address is too long: at most 300 characters.")
        elif problem.reason == "empty":
            hint = no_visible_text() + " " + _("Send the full postal address.")
        else:
            hint = _("The address is too short. Send the full postal address.")
        await message.answer(hint)
        return
    await state.update_data(address=address)
    await state.set_state(OrganisationCreation.timezone)
    await message.answer(
        _(
            "Choose the organisation's time zone, or type its IANA name "
            "(for example, Asia/Novosibirsk)."
        ),
        reply_markup=timezone_keyboard(),
    )


async def org_new_timezone_typed(
    message: Message, state: FSMContext, texts: Texts, bot: Bot
) -> None:
    """A time zone typed as an IANA name."""
    try:
        timezone = validate_timezone(message.text or "")
    except ValidationFailed:
        await message.answer(
            _(
                "I do not know this time zone. Choose one of the buttons or type a name "
                "like Asia/Novosibirsk."
            ),
            reply_markup=timezone_keyboard(),
        )
        return
    await _ask_confirmation(bot, message.chat.id, state, texts, timezone)


async def on_org_new_timezone(
    callback: CallbackQuery,
    callback_data: TimezoneCallback,
    state: FSMContext,
    texts: Texts,
    bot: Bot,
) -> None:
    """A time zone button."""
    if not 0 <= callback_data.index < len(RUSSIAN_TIMEZONES):
        raise StaleAction
    await callback.answer()
    timezone = RUSSIAN_TIMEZONES[callback_data.index][0]
    await _ask_confirmation(bot, callback.from_user.id, state, texts, timezone)


async def _ask_confirmation(
    bot: Bot, chat_id: int, state: FSMContext, texts: Texts, timezone: str
) -> None:
    await state.update_data(timezone=timezone)
    await state.set_state(OrganisationCreation.confirm)
    data = await state.get_data()
    await bot.send_message(
        chat_id,
        texts.render(
            "organisations/confirm.j2",
            name=data["name"],
            address=data["address"],
            timezone=timezone,
        ),
        reply_markup=confirm_organisation_keyboard(),
    )


async def on_org_new_confirm(
    callback: CallbackQuery,
    callback_data: OrgCreateCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Create or abandon the organisation described in the summary."""
    data = await state.get_data()
    if not await claim(state, callback) or not {"name", "address", "timezone"} <= data.keys():
        # A second press (or one after the form is gone): the first press did the work.
        await answer_already_done(callback)
        return
    await state.clear()
    if callback_data.answer != "yes":
        await callback.answer()
        await bot.send_message(person.chat_id, _("Cancelled. Nothing was saved."))
        return
    organisation, invite = await services.organisations.create(
        person.id, name=data["name"], address=data["address"], timezone=data["timezone"]
    )
    await services.consent.refresh_documents(organisation.id)
    await callback.answer()
    link = await create_start_link(bot, invite.code)
    await bot.send_message(
        person.chat_id,
        texts.render(
            "organisations/created.j2",
            name=organisation.name,
            timezone=organisation.timezone,
            link=link,
            invite=invite,
        ),
    )


async def org_new_unexpected(message: Message) -> None:
    """Anything but text inside the organisation form: ask again."""
    await message.answer(
        _("Please answer with text, or send /cancel to stop creating the organisation.")
    )


async def cmd_orgs(
    message: Message, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """/orgs (superadmin): all organisations, with a curator invite for each."""
    page = await services.organisations.list_page(person.id, 0)
    await message.answer(
        texts.render("organisations/list.j2", page=page),
        reply_markup=organisations_keyboard(page),
    )


async def on_orgs_page(
    callback: CallbackQuery,
    callback_data: OrgPageCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """Paging through /orgs."""
    page = await services.organisations.list_page(person.id, callback_data.page)
    await callback.answer()
    if callback.message is not None:
        await bot.edit_message_text(
            text=texts.render("organisations/list.j2", page=page),
            chat_id=person.chat_id,
            message_id=callback.message.message_id,
            reply_markup=organisations_keyboard(page),
        )


async def on_org_curator_invite(
    callback: CallbackQuery,
    callback_data: OrgCuratorInviteCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """A new single-use curator (or coordinator) invite for an existing organisation."""
    role = {
        InviteRole.CURATOR.value: InviteRole.CURATOR,
        InviteRole.COORDINATOR.value: InviteRole.COORDINATOR,
    }.get(callback_data.role)
    if role is None:
        raise StaleAction
    invite = await services.invites.create(person.id, callback_data.organisation_id, role)
    await callback.answer()
    link = await create_start_link(bot, invite.code)
    await bot.send_message(
        person.chat_id,
        texts.render("invites/created.j2", invite=invite, link=link),
    )


def get_router() -> Router:
    router = Router(name="organisations")
    router.message.register(cmd_org_new, Command("org_new"))
    router.message.register(cmd_orgs, Command("orgs"))
    router.callback_query.register(on_orgs_page, OrgPageCallback.filter())
    router.callback_query.register(on_org_curator_invite, OrgCuratorInviteCallback.filter())

    router.message.register(org_new_name, StateFilter(OrganisationCreation.name), TypedText())
    router.message.register(org_new_address, StateFilter(OrganisationCreation.address), TypedText())
    router.message.register(
        org_new_timezone_typed, StateFilter(OrganisationCreation.timezone), TypedText()
    )
    router.callback_query.register(
        on_org_new_timezone, StateFilter(OrganisationCreation.timezone), TimezoneCallback.filter()
    )
    # No state filter: a second press after the form is gone must reach the handler to be told
    # calmly that the organisation exists, not that the button is dead.
    router.callback_query.register(on_org_new_confirm, OrgCreateCallback.filter())
    router.message.register(org_new_unexpected, StateFilter(*OrganisationCreation.__states__))
    return router
