"""Buttons of a data-defined form: the options of the current question (ticked ones marked under
a multiple choice), then Other / Done / Keep / Skip / Back, and under the summary Save, an Edit
button per answer (its number), Back and Cancel."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.telegram.callbacks import FormAnswerCallback
from services.forms.definitions import Answer, Question, QuestionKind
from services.forms.flow import OTHER_PREFIX

BACK = "back"
SKIP = "skip"
KEEP = "keep"
SAVE = "save"
CANCEL = "cancel"
TODAY = "today"
YESTERDAY = "yesterday"
DONE = "done"
OTHER = "other"
# The summary is not a question; its buttons carry this instead of a question id, and an Edit
# button carries EDIT_PREFIX + the question id.
SUMMARY = "~"
EDIT_PREFIX = "e."
EDIT_ROW = 5  # numbered Edit buttons in a row
NAMED_EDIT_ROW = 2  # Edit buttons named by their answer in a row
CHECK = "✓ "  # an option chosen (ticked, or the answer given before)

# Rows of buttons. The markup is built directly rather than through aiogram's
# InlineKeyboardBuilder, whose export deep-copies every button: a third of a form step's time.
Rows = list[list[InlineKeyboardButton]]


def _button(text: str, question: str, value: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=FormAnswerCallback(question=question, value=value).pack()
    )


def ordered_options(question: Question, suggested: str | None) -> list[tuple[str, str]]:
    """A choice's options, the suggested one first (the pair's next stage, say)."""
    options = list(question.options)
    options.sort(key=lambda option: option[0] != suggested)
    return options


def _scale(rows: Rows, question: Question) -> None:
    minimum = question.minimum or 0
    maximum = question.maximum if question.maximum is not None else minimum
    numbers = [str(number) for number in range(minimum, maximum + 1)]
    # Up to six numbers fit a phone's row; a 1–10 scale takes two rows.
    size = len(numbers) if len(numbers) <= 6 else 5
    for start in range(0, len(numbers), size):
        rows.append(
            [_button(number, question.id, number) for number in numbers[start : start + size]]
        )


def question_keyboard(
    question: Question,
    *,
    suggested: str | None,
    answer: Answer,
    back: bool,
    keep: bool = True,
    translate_options: bool = True,
) -> InlineKeyboardMarkup | None:
    rows: Rows = []
    if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
        chosen = answer if isinstance(answer, list) else [answer]
        for code, label in ordered_options(question, suggested):
            text = _(label) if translate_options else label
            if code in chosen:
                text = CHECK + text
            rows.append([_button(text, question.id, code)])
        if question.kind == QuestionKind.MULTI:
            # Typed "others" are shown ticked too; pressing one takes it out.
            others = [item for item in chosen if isinstance(item, dict)]
            for index, item in enumerate(others):
                text = CHECK + str(item.get(OTHER, ""))
                rows.append([_button(text, question.id, f"{OTHER_PREFIX}{index}")])
        if question.allow_other and question.other_button:
            rows.append([_button("✍️ " + _("Other — type it"), question.id, OTHER)])
    elif question.kind == QuestionKind.SCALE:
        _scale(rows, question)
    elif question.kind == QuestionKind.DATE and question.quick:
        rows.append([_button(_(label), question.id, f"d{days}") for days, label in question.quick])
    elif question.kind == QuestionKind.DATE:
        rows.append(
            [
                _button(_("Today"), question.id, TODAY),
                _button(_("Yesterday"), question.id, YESTERDAY),
            ]
        )
    last_row = []
    if keep and answer is not None and question.kind != QuestionKind.MULTI:
        last_row.append(_button("✔️ " + _("Keep as it is"), question.id, KEEP))
    if not question.required:
        skip = _(question.skip_label) if question.skip_label else "⏭ " + _("Skip")
        last_row.append(_button(skip, question.id, SKIP))
    if back:
        last_row.append(_button("« " + _("Back"), question.id, BACK))
    if question.kind == QuestionKind.MULTI:
        last_row.append(_button("✅ " + _("Done"), question.id, DONE))
    if last_row:
        rows.append(last_row)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def summary_keyboard(
    edits: Sequence[tuple[str, str | None]], *, confirm: str | None = None
) -> InlineKeyboardMarkup:
    """Save (or the purpose's own words); an Edit button per answer, "✏️ Topics" when the
    question has a short name, else "✏️ 1" by its number; Back and Cancel."""
    rows: Rows = [[_button(confirm or "💾 " + _("Save"), SUMMARY, SAVE)]]
    buttons = [
        _button(f"✏️ {name or number}", SUMMARY, EDIT_PREFIX + question_id)
        for number, (question_id, name) in enumerate(edits, start=1)
    ]
    size = NAMED_EDIT_ROW if any(name for _id, name in edits) else EDIT_ROW
    rows.extend(buttons[start : start + size] for start in range(0, len(buttons), size))
    rows.append(
        [_button("« " + _("Back"), SUMMARY, BACK), _button("✖️ " + _("Cancel"), SUMMARY, CANCEL)]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)
