"""Buttons of /participants: organisation choice, role and status filters, pages, reminders."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import ParticipantsActionCallback, ParticipantsCallback
from bot.telegram.labels import participant_status_name
from services.organisations.participants import ParticipantPage, ParticipantStatus

CHOSEN = "✓ "
# One letter per status keeps the button data within Telegram's 64 bytes even for huge ids.
STATUS_CODES: dict[ParticipantStatus, str] = {
    ParticipantStatus.INVITED: "i",
    ParticipantStatus.CONSENTED: "c",
    ParticipantStatus.PROFILE_COMPLETE: "p",
    ParticipantStatus.DECLINED: "d",
    ParticipantStatus.WITHDRAWN: "w",
    ParticipantStatus.UNREACHABLE: "u",
}
STATUSES_BY_CODE = {code: status for status, code in STATUS_CODES.items()}


def participants_keyboard(
    organisation_id: int, page: ParticipantPage, *, role: str, status: str
) -> InlineKeyboardMarkup:
    """Every button keeps the other filter; changing a filter goes back to the first page."""
    builder = InlineKeyboardBuilder()
    sizes: list[int] = []

    roles = (("", _("All roles")), ("mentee", _("Mentees")), ("mentor", _("Mentors")))
    for value, label in roles:
        builder.button(
            text=(CHOSEN if value == role else "") + label,
            callback_data=ParticipantsCallback(
                organisation_id=organisation_id, role=value, status=status
            ),
        )
    sizes.append(len(roles))

    statuses = [("", _("All statuses"))] + [
        (code, participant_status_name(value).capitalize()) for value, code in STATUS_CODES.items()
    ]
    for value, label in statuses:
        builder.button(
            text=(CHOSEN if value == status else "") + label,
            callback_data=ParticipantsCallback(
                organisation_id=organisation_id, role=role, status=value
            ),
        )
    sizes += [1] + [2] * ((len(statuses) - 1) // 2) + [1] * ((len(statuses) - 1) % 2)

    paging = 0
    if page.page > 0:
        builder.button(
            text="◀️ " + _("Previous"),
            callback_data=ParticipantsCallback(
                organisation_id=organisation_id, role=role, status=status, page=page.page - 1
            ),
        )
        paging += 1
    if page.page < page.pages - 1:
        builder.button(
            text=_("Next") + " ▶️",
            callback_data=ParticipantsCallback(
                organisation_id=organisation_id, role=role, status=status, page=page.page + 1
            ),
        )
        paging += 1
    if paging:
        sizes.append(paging)

    if page.counts[ParticipantStatus.INVITED]:
        builder.button(
            text="🔔 " + _("Remind those waiting for consent"),
            callback_data=ParticipantsActionCallback(
                organisation_id=organisation_id, action="remind"
            ),
        )
        sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()
