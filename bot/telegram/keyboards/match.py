"""Buttons of /match: the draft's lines, the objective, approval; a line's mentor options."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import MatchCallback, MatchPickCallback
from services.matching.cohort import Objective
from services.matching.cohort_match import MatchDraft
from services.requests.filing import Suggestion

LINES_PER_PAGE = 15


def draft_keyboard(draft: MatchDraft, page: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    first = page * LINES_PER_PAGE
    shown = draft.lines[first : first + LINES_PER_PAGE]
    for number, line in enumerate(shown, start=first + 1):
        builder.button(
            text=_("Change {number}").format(number=number),
            callback_data=MatchCallback(action="edit", value=line.request_id),
        )
    sizes = [4] * ((len(shown) + 3) // 4)
    navigation = 0
    if page > 0:
        builder.button(text="◀", callback_data=MatchCallback(action="page", value=page - 1))
        navigation += 1
    if first + LINES_PER_PAGE < len(draft.lines):
        builder.button(text="▶", callback_data=MatchCallback(action="page", value=page + 1))
        navigation += 1
    if navigation:
        sizes.append(navigation)
    if draft.objective == Objective.BEST_FIT:
        toggle = _("Prefer: everyone gets a mentor")
        other = 1
    else:
        toggle = _("Prefer: best total fit")
        other = 0
    builder.button(text=toggle, callback_data=MatchCallback(action="objective", value=other))
    if draft.matched:
        builder.button(
            text=_("✅ Approve and create {count} pairs").format(count=draft.matched),
            callback_data=MatchCallback(action="approve"),
        )
    builder.button(text=_("Cancel"), callback_data=MatchCallback(action="cancel"))
    builder.adjust(*sizes, 1, 1, 1)
    return builder.as_markup()


def options_keyboard(request_id: int, options: list[Suggestion], page: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for option in options:
        builder.button(
            text=f"{option.name} — {option.score}",
            callback_data=MatchPickCallback(request_id=request_id, mentor_id=option.mentor_id),
        )
    builder.button(
        text=_("Leave without a mentor"),
        callback_data=MatchPickCallback(request_id=request_id, mentor_id=0),
    )
    builder.button(
        text=_("« Back to the draft"), callback_data=MatchCallback(action="page", value=page)
    )
    builder.adjust(1)
    return builder.as_markup()
