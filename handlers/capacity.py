"""/capacity (curator): how many mentees each mentor takes at once; change it or reset it."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import MentorCapacityCallback
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.capacity import (
    DEFAULT,
    PAGE,
    SET,
    SHOW,
    mentor_capacity_keyboard,
    mentors_keyboard,
)
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.redraw import message_id_of, send_or_edit
from bot.telegram.texts import Texts
from services.core.errors import StaleAction
from services.pairs.capacity import PAGE_SIZE, MentorCard, MentorPage


def _list_text(texts: Texts, page: MentorPage) -> str:
    return texts.render("capacity/list.j2", page=page, first_number=page.page * PAGE_SIZE + 1)


def _card_text(texts: Texts, card: MentorCard, *, notice: bool) -> str:
    return texts.render("capacity/card.j2", card=card, mentor=card.mentor, notice=notice)


async def cmd_capacity(
    message: Message, person: TelegramPerson, services: Services, texts: Texts
) -> None:
    """/capacity (curator): the mentors with their places, or first a choice of organisation."""
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("Which organisation's mentors do you want to see?"),
        lambda org_id: MentorCapacityCallback(organisation_id=org_id, action=PAGE),
    )
    if organisation_id is None:
        return
    page = await services.capacity.mentors(person.id, organisation_id, 0)
    await message.answer(
        _list_text(texts, page), reply_markup=mentors_keyboard(organisation_id, page, 1)
    )


async def on_mentor_capacity(
    callback: CallbackQuery,
    callback_data: MentorCapacityCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """A page of the list, a mentor's card, or a number of places: the same message is redrawn."""
    organisation_id = callback_data.organisation_id
    if callback_data.action == PAGE:
        page = await services.capacity.mentors(person.id, organisation_id, callback_data.value)
        text = _list_text(texts, page)
        markup = mentors_keyboard(organisation_id, page, page.page * PAGE_SIZE + 1)
    elif callback_data.action in (SHOW, SET):
        if callback_data.action == SHOW:
            card = await services.capacity.mentor(
                person.id, organisation_id, callback_data.mentor_id
            )
        else:
            value = callback_data.value
            card = await services.capacity.set_capacity(
                person.id,
                organisation_id,
                callback_data.mentor_id,
                None if value == DEFAULT else value,
            )
        text = _card_text(texts, card, notice=callback_data.action == SET)
        markup = mentor_capacity_keyboard(organisation_id, card)
    else:
        raise StaleAction
    await callback.answer()
    await send_or_edit(bot, person.chat_id, text, markup, message_id_of(callback))


def get_router() -> Router:
    router = Router(name="capacity")
    router.message.register(cmd_capacity, Command("capacity"), StateFilter(None))
    router.callback_query.register(on_mentor_capacity, MentorCapacityCallback.filter())
    return router
