"""Buttons of a data-defined form: the options of the current question, then Keep / Skip / Back,
and Save / Back / Cancel under the summary."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.telegram.callbacks import FormAnswerCallback
from services.forms.definitions import Question, QuestionKind

BACK = "back"
SKIP = "skip"
KEEP = "keep"
SAVE = "save"
CANCEL = "cancel"
TODAY = "today"
YESTERDAY = "yesterday"
# The summary is not a question; its buttons carry this instead of a question id.
SUMMARY = "~"


def _button(text: str, question: str, value: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=FormAnswerCallback(question=question, value=value).pack()
    )


def ordered_options(question: Question, suggested: str | None) -> list[tuple[str, str]]:
    """A choice's options, the suggested one first (the pair's next stage, say)."""
    options = list(question.options)
    options.sort(key=lambda option: option[0] != suggested)
    return options


def question_keyboard(
    question: Question,
    *,
    suggested: str | None,
    answered: bool,
    back: bool,
) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    if question.kind == QuestionKind.CHOICE:
        for code, label in ordered_options(question, suggested):
            builder.row(_button(_(label), question.id, code))
    elif question.kind == QuestionKind.SCALE and question.minimum is not None:
        maximum = question.maximum if question.maximum is not None else question.minimum
        numbers = [str(number) for number in range(question.minimum, maximum + 1)]
        # Up to six numbers fit a phone's row; a 1–10 scale takes two rows.
        size = len(numbers) if len(numbers) <= 6 else 5
        for start in range(0, len(numbers), size):
            builder.row(
                *(_button(number, question.id, number) for number in numbers[start : start + size])
            )
    elif question.kind == QuestionKind.DATE:
        builder.row(
            _button(_("Today"), question.id, TODAY),
            _button(_("Yesterday"), question.id, YESTERDAY),
        )
    last_row = []
    if answered:
        last_row.append(_button("✔️ " + _("Keep as it is"), question.id, KEEP))
    if not question.required:
        last_row.append(_button("⏭ " + _("Skip"), question.id, SKIP))
    if back:
        last_row.append(_button("« " + _("Back"), question.id, BACK))
    if last_row:
        builder.row(*last_row)
    markup = builder.as_markup()
    return markup if markup.inline_keyboard else None


def summary_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.row(_button("💾 " + _("Save"), SUMMARY, SAVE))
    builder.row(
        _button("« " + _("Back"), SUMMARY, BACK),
        _button("✖️ " + _("Cancel"), SUMMARY, CANCEL),
    )
    return builder.as_markup()
