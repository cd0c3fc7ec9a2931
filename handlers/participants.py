"""/participants (curator): who has joined and where each person stands; reminders."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.container import Services
from bot.telegram.callbacks import ParticipantsActionCallback, ParticipantsCallback
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.participants import (
    STATUSES_BY_CODE,
    participants_keyboard,
)
from bot.telegram.labels import participant_status_name, profile_role_name, role_name
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.redraw import message_id_of, send_or_edit
from bot.telegram.texts import Texts
from services.core.errors import StaleAction
from services.organisations.participants import PAGE_SIZE, ParticipantStatus

ROLE_FILTERS = frozenset({"", "mentee", "mentor"})


def participant_role_name(role: str) -> str:
    """A row's role is a profile role (`both`) or, before the profile, an invite's (`either`)."""
    return profile_role_name(role) if role == "both" else role_name(role)


async def cmd_participants(
    message: Message, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """/participants (curator): the list, or first a choice of organisation."""
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("Which organisation's participants do you want to see?"),
        lambda org_id: ParticipantsCallback(organisation_id=org_id),
    )
    if organisation_id is None:
        return
    text, markup = await _page(
        person, services, texts, ParticipantsCallback(organisation_id=organisation_id)
    )
    await message.answer(text, reply_markup=markup)


async def on_participants_page(
    callback: CallbackQuery,
    callback_data: ParticipantsCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """An organisation chosen, a filter or a page: the same message shows the new list."""
    text, markup = await _page(person, services, texts, callback_data)
    await callback.answer()
    await send_or_edit(bot, person.chat_id, text, markup, message_id_of(callback))


async def _page(
    person: TelegramPerson, services: Services, texts: Texts, query: ParticipantsCallback
) -> tuple[str, InlineKeyboardMarkup]:
    if query.role not in ROLE_FILTERS:
        raise StaleAction
    if query.status and query.status not in STATUSES_BY_CODE:
        raise StaleAction
    status = STATUSES_BY_CODE[query.status] if query.status else None
    page = await services.participants.list_page(
        person.id, query.organisation_id, role=query.role or None, status=status, page=query.page
    )
    text = texts.render(
        "participants/list.j2",
        page=page,
        first_number=page.page * PAGE_SIZE + 1,
        statuses=list(ParticipantStatus),
        filtered=bool(query.role or query.status),
        role_filter=query.role,
        status_filter=status,
        role_label=participant_role_name,
        status_label=participant_status_name,
    )
    markup = participants_keyboard(
        query.organisation_id, page, role=query.role, status=query.status
    )
    return text, markup


async def on_participants_action(
    callback: CallbackQuery,
    callback_data: ParticipantsActionCallback,
    person: TelegramPerson,
    services: Services,
    bot: Bot,
) -> None:
    """ "Remind those waiting for consent"."""
    if callback_data.action != "remind":
        raise StaleAction
    reminders = await services.participants.remind_waiting(person.id, callback_data.organisation_id)
    await callback.answer()
    skipped = reminders.waiting - reminders.queued
    if not reminders.waiting:
        text = _("Nobody is waiting for consent: there is no one to remind.")
    elif not reminders.queued:
        text = _(
            "No reminders queued: everyone waiting for consent was already reminded in the "
            "last 3 days. You can remind them again later."
        )
    else:
        text = ngettext(
            "{count} reminder queued; it goes out within minutes.",
            "{count} reminders queued; they go out within minutes.",
            reminders.queued,
        ).format(count=reminders.queued)
        if skipped:
            text += " " + ngettext(
                "{count} more participant was already reminded in the last 3 days.",
                "{count} more participants were already reminded in the last 3 days.",
                skipped,
            ).format(count=skipped)
    await bot.send_message(person.chat_id, text)


def get_router() -> Router:
    router = Router(name="participants")
    router.message.register(cmd_participants, Command("participants"))
    router.callback_query.register(on_participants_page, ParticipantsCallback.filter())
    router.callback_query.register(on_participants_action, ParticipantsActionCallback.filter())
    return router
