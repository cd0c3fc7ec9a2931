"""Buttons of the mentor's side (offers, /requests for mentors) and the curator's /requests."""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import (
    AssignCallback,
    CuratorRequestCallback,
    CuratorRequestsCallback,
    DeclineReasonCallback,
    OfferCallback,
    OpenRequestsPageCallback,
    TakeRequestCallback,
)
from bot.telegram.keyboards.common import NotificationKeyboard
from bot.telegram.mentoring_labels import decline_reason_name
from models import DeclineReason
from services.requests.brief import RequestBrief
from services.requests.curator import CURATOR_PAGE_SIZE, CuratorRequestPage
from services.requests.filing import Suggestion

# OfferCallback actions.
ACCEPT = "accept"
CLOSE = "close"  # accept and close the intake
DECLINE = "decline"
SKIP = "skip"  # no comment to a decline
SHOW = "show"
# TakeRequestCallback and AssignCallback steps.
ASK = "ask"
YES = "yes"

BUTTON_NAME_MAX = 40


def _short(name: str) -> str:
    return name if len(name) <= BUTTON_NAME_MAX else name[: BUTTON_NAME_MAX - 1] + "…"


def _paging(
    builder: InlineKeyboardBuilder, page: int, pages: int, make: Any, sizes: list[int]
) -> None:
    buttons = 0
    if page > 0:
        builder.button(text="◀️ " + _("Previous"), callback_data=make(page - 1))
        buttons += 1
    if page < pages - 1:
        builder.button(text=_("Next") + " ▶️", callback_data=make(page + 1))
        buttons += 1
    if buttons:
        sizes.append(buttons)


# --- the mentor: an offered request ----------------------------------------------------------


def offer_keyboard(offer_id: int, *, show: bool = False) -> InlineKeyboardMarkup:
    """Accept / Accept and close my intake / Decline (and, in a reminder, Show the request)."""
    builder = InlineKeyboardBuilder()
    if show:
        builder.button(
            text=_("Show the request"), callback_data=OfferCallback(offer_id=offer_id, action=SHOW)
        )
    builder.button(
        text="✅ " + _("Accept"), callback_data=OfferCallback(offer_id=offer_id, action=ACCEPT)
    )
    if not show:
        builder.button(
            text=_("Accept and close my intake"),
            callback_data=OfferCallback(offer_id=offer_id, action=CLOSE),
        )
    builder.button(
        text=_("Decline"), callback_data=OfferCallback(offer_id=offer_id, action=DECLINE)
    )
    builder.adjust(1)
    return builder.as_markup()


def decline_reasons_keyboard(offer_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for reason in DeclineReason:
        builder.button(
            text=decline_reason_name(reason),
            callback_data=DeclineReasonCallback(offer_id=offer_id, reason=reason.value),
        )
    builder.adjust(1)
    return builder.as_markup()


def skip_comment_keyboard(offer_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Skip") + " ▶️", callback_data=OfferCallback(offer_id=offer_id, action=SKIP)
    )
    return builder.as_markup()


# --- the mentor: /requests -------------------------------------------------------------------


def open_requests_keyboard(
    briefs: list[RequestBrief], page: int, pages: int
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    sizes: list[int] = []
    for brief in briefs:
        builder.button(
            text=_("Take {name}'s request").format(name=_short(brief.mentee_first_name)),
            callback_data=TakeRequestCallback(request_id=brief.request_id, step=ASK),
        )
        sizes.append(1)
    _paging(builder, page, pages, lambda number: OpenRequestsPageCallback(page=number), sizes)
    builder.adjust(*sizes)
    return builder.as_markup()


def take_confirm_keyboard(request_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text="✅ " + _("Yes, I take it"),
        callback_data=TakeRequestCallback(request_id=request_id, step=YES),
    )
    builder.button(
        text="« " + _("Back to the list"), callback_data=OpenRequestsPageCallback(page=0)
    )
    builder.adjust(1)
    return builder.as_markup()


# --- the curator: /requests ------------------------------------------------------------------


def curator_requests_keyboard(page: CuratorRequestPage) -> InlineKeyboardMarkup:
    """A button per request on the page, then the pages."""
    builder = InlineKeyboardBuilder()
    sizes: list[int] = []
    first = page.page * CURATOR_PAGE_SIZE + 1
    for number, row in enumerate(page.rows, start=first):
        builder.button(
            text=f"{number}. {_short(row.view.mentee_name)}",
            callback_data=CuratorRequestCallback(request_id=row.view.id, action=SHOW),
        )
        sizes.append(1)
    _paging(
        builder,
        page.page,
        page.pages,
        lambda number: CuratorRequestsCallback(organisation_id=page.organisation_id, page=number),
        sizes,
    )
    builder.adjust(*sizes)
    return builder.as_markup()


def curator_request_keyboard(
    request_id: int, organisation_id: int, suggestions: list[Suggestion]
) -> InlineKeyboardMarkup:
    """ "Assign <name>" for each suggestion, and back to the list."""
    builder = InlineKeyboardBuilder()
    for suggestion in suggestions:
        builder.button(
            text=_("Assign {name}").format(name=_short(suggestion.name)),
            callback_data=AssignCallback(
                request_id=request_id, mentor_id=suggestion.mentor_id, step=ASK
            ),
        )
    builder.button(
        text="« " + _("All requests"),
        callback_data=CuratorRequestsCallback(organisation_id=organisation_id),
    )
    builder.adjust(1)
    return builder.as_markup()


def assign_confirm_keyboard(request_id: int, mentor_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text="✅ " + _("Yes, assign"),
        callback_data=AssignCallback(request_id=request_id, mentor_id=mentor_id, step=YES),
    )
    builder.button(
        text="« " + _("Back"),
        callback_data=CuratorRequestCallback(request_id=request_id, action=SHOW),
    )
    builder.adjust(1)
    return builder.as_markup()


# --- buttons under notifications -------------------------------------------------------------


def _offer_received(payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    offer_id = payload.get("offer_id")
    return offer_keyboard(int(offer_id)) if offer_id else None


def _offer_reminder(payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    offer_id = payload.get("offer_id")
    return offer_keyboard(int(offer_id), show=True) if offer_id else None


def _request_needs_curator(payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    request_id = payload.get("request_id")
    if not request_id:
        return None
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Open the request"),
        callback_data=CuratorRequestCallback(request_id=int(request_id), action=SHOW),
    )
    return builder.as_markup()


NOTIFICATION_KEYBOARDS: dict[str, NotificationKeyboard] = {
    "offer_received": _offer_received,
    "offer_reminder": _offer_reminder,
    "request_needs_curator": _request_needs_curator,
}
