"""Buttons of the curator's /capacity: organisation choice, the mentors list, a mentor's places."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import MentorCapacityCallback
from services.pairs.capacity import MentorCard, MentorPage

CHOSEN = "✓ "
LABEL_MAX = 60
# MentorCapacityCallback actions.
PAGE = "page"
SHOW = "show"
SET = "set"
# MentorCapacityCallback value of SET meaning "back to the organisation's default".
DEFAULT = -1
CAPACITY_CHOICES = (0, 1, 2, 3, 4, 5, 10)


def mentors_keyboard(organisation_id: int, page: MentorPage, first: int) -> InlineKeyboardMarkup:
    """A button per mentor on the page (numbered as in the text), then the pages."""
    builder = InlineKeyboardBuilder()
    sizes: list[int] = []
    for number, row in enumerate(page.rows, start=first):
        name = row.full_name or _("mentor #{number}").format(number=row.person_id)
        builder.button(
            text=f"{number}. {name}"[:LABEL_MAX],
            callback_data=MentorCapacityCallback(
                organisation_id=organisation_id, action=SHOW, mentor_id=row.person_id
            ),
        )
        sizes.append(1)
    paging = 0
    if page.page > 0:
        builder.button(
            text="◀️ " + _("Previous"),
            callback_data=MentorCapacityCallback(
                organisation_id=organisation_id, action=PAGE, value=page.page - 1
            ),
        )
        paging += 1
    if page.page < page.pages - 1:
        builder.button(
            text=_("Next") + " ▶️",
            callback_data=MentorCapacityCallback(
                organisation_id=organisation_id, action=PAGE, value=page.page + 1
            ),
        )
        paging += 1
    if paging:
        sizes.append(paging)
    builder.adjust(*sizes)
    return builder.as_markup()


def mentor_capacity_keyboard(organisation_id: int, card: MentorCard) -> InlineKeyboardMarkup:
    """The numbers of places, the organisation's default, and the way back to the list."""
    mentor = card.mentor
    builder = InlineKeyboardBuilder()
    for number in CAPACITY_CHOICES:
        current = not mentor.is_default and mentor.capacity == number
        builder.button(
            text=(CHOSEN if current else "") + str(number),
            callback_data=MentorCapacityCallback(
                organisation_id=organisation_id,
                action=SET,
                mentor_id=mentor.person_id,
                value=number,
            ),
        )
    default = _("Organisation default ({count})").format(count=card.default_capacity)
    builder.button(
        text=(CHOSEN if mentor.is_default else "") + default,
        callback_data=MentorCapacityCallback(
            organisation_id=organisation_id,
            action=SET,
            mentor_id=mentor.person_id,
            value=DEFAULT,
        ),
    )
    builder.button(
        text="« " + _("All mentors"),
        callback_data=MentorCapacityCallback(
            organisation_id=organisation_id, action=PAGE, value=card.page
        ),
    )
    builder.adjust(len(CAPACITY_CHOICES), 1, 1)
    return builder.as_markup()
