"""Buttons of /request (a live request, suggestions; the form's are the engine's), of /request_for,
and of the mentee's notifications about their request."""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import ChooseMentorCallback, FileForCallback, RequestActionCallback
from bot.telegram.keyboards.common import NotificationKeyboard
from models import RequestStatus
from services.requests.filing import RequestView, Suggestion

# RequestActionCallback actions.
SHOW = "show"
EDIT_REQUEST = "edit"
WITHDRAW = "withdraw"
WITHDRAW_YES = "withdraw_yes"
SUGGEST = "suggest"
TO_CURATOR = "curator"

CHECK = "✓ "
FILE_FOR_PAGE_SIZE = 10


def _action(text: str, request_id: int, action: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text,
        callback_data=RequestActionCallback(request_id=request_id, action=action).pack(),
    )


def curator_button(request_id: int) -> InlineKeyboardButton:
    return _action("🧭 " + _("Let the curator choose"), request_id, TO_CURATOR)


def request_keyboard(view: RequestView) -> InlineKeyboardMarkup:
    """Under a live request: Edit, Withdraw; while open also suggestions and the curator."""
    builder = InlineKeyboardBuilder()
    builder.row(
        _action("✏️ " + _("Edit"), view.id, EDIT_REQUEST),
        _action("🗑 " + _("Withdraw"), view.id, WITHDRAW),
    )
    if view.status == RequestStatus.OPEN:
        builder.row(_action("🔎 " + _("Show suggestions"), view.id, SUGGEST))
        if not view.left_to_curator:
            builder.row(curator_button(view.id))
    return builder.as_markup()


def withdraw_keyboard(request_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.row(
        _action(_("Yes, withdraw"), request_id, WITHDRAW_YES),
        _action(_("No, keep it"), request_id, SHOW),
    )
    return builder.as_markup()


def ask_button(request_id: int, mentor_id: int, name: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text="🙋 " + _("Ask {name}").format(name=name),
        callback_data=ChooseMentorCallback(request_id=request_id, mentor_id=mentor_id).pack(),
    )


def suggestions_keyboard(
    request_id: int, suggestions: list[Suggestion], *, curator: bool
) -> InlineKeyboardMarkup | None:
    """A button per suggested mentor, and "Let the curator choose"."""
    builder = InlineKeyboardBuilder()
    for suggestion in suggestions:
        builder.row(ask_button(request_id, suggestion.mentor_id, suggestion.name))
    if curator:
        builder.row(curator_button(request_id))
    markup = builder.as_markup()
    return markup if markup.inline_keyboard else None


# --- /request_for (a curator files on a mentee's behalf) -------------------------------------


def mentee_page(
    mentees: list[tuple[int, str]], page: int
) -> tuple[list[tuple[int, str]], int, int]:
    """One page of the list: (its mentees, the page shown, the number of pages). A page past
    the end (the list shrank since the button was drawn) shows the last one."""
    pages = max(1, -(-len(mentees) // FILE_FOR_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    start = page * FILE_FOR_PAGE_SIZE
    return mentees[start : start + FILE_FOR_PAGE_SIZE], page, pages


def file_for_keyboard(
    organisation_id: int, mentees: list[tuple[int, str]], *, page: int, pages: int
) -> InlineKeyboardMarkup | None:
    """A button per mentee on this page, and the pages around it."""
    builder = InlineKeyboardBuilder()
    for mentee_id, name in mentees:
        builder.row(
            InlineKeyboardButton(
                text=name[:60] or "—",
                callback_data=FileForCallback(
                    organisation_id=organisation_id, mentee_id=mentee_id
                ).pack(),
            )
        )
    paging = []
    if page > 0:
        paging.append(
            InlineKeyboardButton(
                text="◀️ " + _("Previous"),
                callback_data=FileForCallback(
                    organisation_id=organisation_id, page=page - 1
                ).pack(),
            )
        )
    if page < pages - 1:
        paging.append(
            InlineKeyboardButton(
                text=_("Next") + " ▶️",
                callback_data=FileForCallback(
                    organisation_id=organisation_id, page=page + 1
                ).pack(),
            )
        )
    if paging:
        builder.row(*paging)
    markup = builder.as_markup()
    return markup if markup.inline_keyboard else None


# --- notifications ---------------------------------------------------------------------------


def _offer_failed(payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    """The next suggestion to ask, and the curator; nothing when no mentor is left."""
    request_id = payload.get("request_id")
    mentor_id = payload.get("next_mentor_id")
    if request_id is None or mentor_id is None:
        return None
    builder = InlineKeyboardBuilder()
    builder.row(ask_button(int(request_id), int(mentor_id), str(payload["next_mentor_name"])))
    builder.row(curator_button(int(request_id)))
    return builder.as_markup()


NOTIFICATION_KEYBOARDS: dict[str, NotificationKeyboard] = {"offer_failed": _offer_failed}
