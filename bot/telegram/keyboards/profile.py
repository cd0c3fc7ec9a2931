"""Buttons of the profile form, its summary, and /profile."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import ProfileCallback
from bot.telegram.labels import (
    POSITIONS,
    SUBJECTS,
    day_name,
    domain_name,
    meeting_format_name,
    mentee_category_name,
    position_name,
    profile_field_name,
    subject_name,
    time_name,
)
from models import CompetenceDomain, MeetingFormat, MenteeCategory, ProfileRole
from services.people.profiles import DAYS, TIMES, ProfileDraft

# ProfileCallback actions. The form's buttons carry the step they belong to (in the action or
# the value), so a button of an earlier question is recognised as stale.
BACK = "back"  # value: the step the button was shown at
DONE = "done"  # value: the multi-select step being finished
POSITION = "pos"
SUBJECT = "sub"
CUSTOM_SUBJECT = "subx"  # value: index of a typed subject in the list (pressing removes it)
ROLE = "role"
CATEGORY = "cat"
NEEDED_DOMAIN = "nd"
OFFERED_DOMAIN = "od"
FORMAT = "fmt"
DAY = "day"
TIME = "time"
EDIT = "edit"  # summary: value is the field
CONFIRM = "ok"
# /profile, outside the form.
PROFILE_EDIT = "pedit"
CAPACITY = "cap"
UNAVAILABLE = "until"
CLEAR_UNAVAILABLE = "clear"
VIEW = "view"

CAPACITY_CHOICES = range(6)
CHECK = "✓ "


def _back_row(builder: InlineKeyboardBuilder, step: str, *, done: bool = False) -> None:
    buttons = [
        InlineKeyboardButton(
            text="« " + _("Back"),
            callback_data=ProfileCallback(action=BACK, value=step).pack(),
        )
    ]
    if done:
        buttons.append(
            InlineKeyboardButton(
                text="✅ " + _("Done"),
                callback_data=ProfileCallback(action=DONE, value=step).pack(),
            )
        )
    builder.row(*buttons)


def _done_row(builder: InlineKeyboardBuilder, step: str) -> None:
    builder.row(
        InlineKeyboardButton(
            text="✅ " + _("Done"), callback_data=ProfileCallback(action=DONE, value=step).pack()
        )
    )


def _mark(chosen: bool, label: str) -> str:
    return CHECK + label if chosen else label


def _options(step: str, draft: ProfileDraft) -> tuple[InlineKeyboardBuilder, int]:
    """The answer buttons of one step, and how many go in a row."""
    builder = InlineKeyboardBuilder()
    if step == "position":
        for key, stored in POSITIONS:
            builder.button(
                text=_mark(draft.position == stored, position_name(stored)),
                callback_data=ProfileCallback(action=POSITION, value=key),
            )
        return builder, 2
    if step == "subjects":
        presets = {stored for _key, stored in SUBJECTS}
        for key, stored in SUBJECTS:
            builder.button(
                text=_mark(stored in draft.subjects, subject_name(stored)),
                callback_data=ProfileCallback(action=SUBJECT, value=key),
            )
        for index, subject in enumerate(draft.subjects):
            if subject not in presets:
                builder.button(
                    text=CHECK + subject,
                    callback_data=ProfileCallback(action=CUSTOM_SUBJECT, value=str(index)),
                )
        return builder, 2
    if step == "role":
        for role, label in (
            (ProfileRole.MENTEE, _("Mentee: I want support")),
            (ProfileRole.MENTOR, _("Mentor: I can help")),
            (ProfileRole.BOTH, _("Both")),
        ):
            builder.button(
                text=_mark(draft.role == role, label),
                callback_data=ProfileCallback(action=ROLE, value=role.value),
            )
        return builder, 1
    if step == "mentee_category":
        for category in MenteeCategory:
            builder.button(
                text=_mark(draft.mentee_category == category, mentee_category_name(category)),
                callback_data=ProfileCallback(action=CATEGORY, value=category.value),
            )
        return builder, 1
    if step in ("needed_domains", "offered_domains"):
        action = NEEDED_DOMAIN if step == "needed_domains" else OFFERED_DOMAIN
        chosen = draft.needed_domains if step == "needed_domains" else draft.offered_domains
        for domain in CompetenceDomain:
            builder.button(
                text=_mark(domain.value in chosen, domain_name(domain)),
                callback_data=ProfileCallback(action=action, value=domain.value),
            )
        return builder, 1
    if step == "meeting_format":
        for meeting_format in MeetingFormat:
            builder.button(
                text=_mark(
                    draft.meeting_format == meeting_format, meeting_format_name(meeting_format)
                ),
                callback_data=ProfileCallback(action=FORMAT, value=meeting_format.value),
            )
        return builder, 3
    if step == "days":
        for day in DAYS:
            builder.button(
                text=_mark(day in draft.days, day_name(day)),
                callback_data=ProfileCallback(action=DAY, value=day),
            )
        return builder, 3
    if step == "times":
        for time in TIMES:
            builder.button(
                text=_mark(time in draft.times, time_name(time)),
                callback_data=ProfileCallback(action=TIME, value=time),
            )
        return builder, 2
    return builder, 1


MULTI_SELECT_STEPS = frozenset({"subjects", "needed_domains", "offered_domains", "days", "times"})


def question_keyboard(step: str, draft: ProfileDraft, *, back: bool) -> InlineKeyboardMarkup | None:
    """The buttons under one question: its answers, Done for multi-selects, Back if allowed."""
    builder, width = _options(step, draft)
    builder.adjust(width)
    multi = step in MULTI_SELECT_STEPS
    if back:
        _back_row(builder, step, done=multi)
    elif multi:
        _done_row(builder, step)
    markup = builder.as_markup()
    return markup if markup.inline_keyboard else None


def summary_keyboard(fields: list[str]) -> InlineKeyboardMarkup:
    """An Edit button per answer, Back, and Confirm."""
    builder = InlineKeyboardBuilder()
    for field in fields:
        builder.button(
            text="✏️ " + profile_field_name(field),
            callback_data=ProfileCallback(action=EDIT, value=field),
        )
    builder.adjust(2)
    builder.row(
        InlineKeyboardButton(
            text="« " + _("Back"),
            callback_data=ProfileCallback(action=BACK, value="summary").pack(),
        ),
        InlineKeyboardButton(
            text="✅ " + _("Confirm"), callback_data=ProfileCallback(action=CONFIRM).pack()
        ),
    )
    return builder.as_markup()


def profile_keyboard(
    fields: list[str], *, mentor: bool, capacity: int, unavailable: bool
) -> InlineKeyboardMarkup:
    """/profile: an Edit button per answer; for mentors, capacity 0–5 and a date of absence."""
    builder = InlineKeyboardBuilder()
    for field in fields:
        builder.button(
            text="✏️ " + profile_field_name(field),
            callback_data=ProfileCallback(action=PROFILE_EDIT, value=field),
        )
    builder.adjust(2)
    if mentor:
        builder.row(
            *(
                InlineKeyboardButton(
                    text=_mark(number == capacity, str(number)),
                    callback_data=ProfileCallback(action=CAPACITY, value=str(number)).pack(),
                )
                for number in CAPACITY_CHOICES
            )
        )
        builder.row(
            InlineKeyboardButton(
                text="📅 " + _("Unavailable until…"),
                callback_data=ProfileCallback(action=UNAVAILABLE).pack(),
            )
        )
        if unavailable:
            builder.row(_clear_button())
    return builder.as_markup()


def _clear_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=_("Clear the date"), callback_data=ProfileCallback(action=CLEAR_UNAVAILABLE).pack()
    )


def availability_keyboard(*, unavailable: bool) -> InlineKeyboardMarkup:
    """Under the question "unavailable until which date?"."""
    builder = InlineKeyboardBuilder()
    if unavailable:
        builder.row(_clear_button())
    builder.row(
        InlineKeyboardButton(
            text="« " + _("Back"), callback_data=ProfileCallback(action=VIEW).pack()
        )
    )
    return builder.as_markup()
