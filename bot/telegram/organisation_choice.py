"""Which organisation a curator's command is about: the one they curate, or a choice."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.keyboards.common import organisation_choice_keyboard
from services.people.directory import PersonView


async def curated_organisation(
    message: Message,
    person: PersonView,
    services: Services,
    question: str,
    make: Callable[[int], CallbackData],
) -> int | None:
    """The organisation's id when the person curates exactly one. Otherwise they are told (none:
    only a superadmin gets here, others were refused by the service) or asked `question` with a
    button per organisation, whose data `make` builds, and None is returned."""
    organisations = await services.organisations.curated(person.id)
    if not organisations:
        await message.answer(_("You curate no organisation. Use /orgs to invite a curator."))
        return None
    if len(organisations) > 1:
        await message.answer(
            question, reply_markup=organisation_choice_keyboard(organisations, make)
        )
        return None
    return organisations[0].id
