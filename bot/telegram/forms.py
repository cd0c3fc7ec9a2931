"""Rendering of the one form engine (services/forms): a question with its progress and buttons,
the summary with an Edit button per answer, the words for each validation problem; what Save
does for each purpose is registered in bot/telegram/form_purposes.py (`purpose` is re-exported
here). The engine's steps are handled in handlers/forms.py.

A feature starts a form with `start_form(...)` and registers what Save does with
`@purpose("name")`: an async function (services, texts, person, context, answers) -> the reply
(a text, or a text with buttons). A purpose may also give its own summary (a function rendering
it from the answers), the words of its Save button, and what Back shows when it leaves a live
edit; a form a curator uploads needs none of them. A validator registered for a form written in
code may come with its own words for its problems (`@problem_words`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram import form_purposes as purposes
from bot.telegram.form_purposes import Reply as Reply
from bot.telegram.form_purposes import problem_words as problem_words
from bot.telegram.form_purposes import purpose as purpose
from bot.telegram.form_purposes import purpose_of as purpose_of
from bot.telegram.form_purposes import saver_of as saver_of
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import forms as keyboards
from bot.telegram.reply import QUEUED_MESSAGE_ID
from bot.telegram.states import FormStates
from bot.telegram.texts import Texts, no_visible_text
from services.core.errors import StaleAction
from services.forms import flow, registry
from services.forms.definitions import OTHER, Answer, FormSpec, Question, QuestionKind
from services.forms.flow import Progress
from services.organisations.timezones import local_date

DEFAULT_TIMEZONE = "Europe/Moscow"
DATE_FORMAT = "%d.%m.%Y"


def spec_of(progress: Progress) -> FormSpec:
    """The form being answered, with the options resolved when it started; a form no longer
    known (a deploy removed it) makes every step stale."""
    spec = registry.form(progress.form_id)
    if spec is None:
        raise StaleAction
    if not progress.options:
        return spec
    options = tuple(
        (question_id, tuple((str(code), str(label)) for code, label in pairs))
        for question_id, pairs in sorted(progress.options.items())
    )
    return _with_options(spec, options)


@functools.lru_cache(maxsize=1024)
def _with_options(
    spec: FormSpec, options: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
) -> FormSpec:
    # Every step of a form with options resolved at its start (a pair's members) would build
    # the same questions again; the same people answer the same forms, so remember them.
    return spec.with_options(
        {question_id: [list(pair) for pair in pairs] for question_id, pairs in options}
    )


def today_of(progress: Progress, now: datetime) -> date:
    """Today where the form's dates are meant: its organisation's zone."""
    return local_date(now, str(progress.context.get("timezone", DEFAULT_TIMEZONE)))


# --- words -------------------------------------------------------------------------------------


def _option_words(progress: Progress, question: Question, code: str) -> str:
    label = question.option_label(code)
    return label if question.id in progress.options else _(label)


def display(progress: Progress, question: Question, value: Answer) -> str:
    """An answer in words of the current language."""
    if value is None or value == []:
        return "—"
    if isinstance(value, dict):
        return str(value.get(OTHER, ""))
    if isinstance(value, list):
        return ", ".join(
            str(item.get(OTHER, ""))
            if isinstance(item, dict)
            else _option_words(progress, question, str(item))
            for item in value
        )
    if question.kind == QuestionKind.CHOICE:
        return _option_words(progress, question, str(value))
    if question.kind == QuestionKind.DATE:
        return date.fromisoformat(str(value)).strftime(DATE_FORMAT)
    if question.kind == QuestionKind.SCALE:
        return f"{value} / {question.maximum}"
    return str(value)


def _detail(question: Question) -> str:
    """How to answer, under the question."""
    parts = []
    if question.detail is not None:
        if question.detail:
            parts.append(_(question.detail))
    elif question.kind == QuestionKind.TEXT:
        parts.append(_("Up to {limit} characters.").format(limit=question.max_length))
    elif question.kind == QuestionKind.DATE:
        parts.append(_("Send the date as DD.MM.YYYY or press a button."))
    elif question.kind == QuestionKind.NUMBER:
        parts.append(
            _("A whole number from {minimum} to {maximum}.").format(
                minimum=question.minimum, maximum=question.maximum
            )
        )
    elif question.kind == QuestionKind.MULTI:
        if question.max_choices is not None:
            parts.append(
                _("Choose up to {limit}, then press Done.").format(limit=question.max_choices)
            )
        else:
            parts.append(_("Choose one or more, then press Done."))
    if not question.required:
        parts.append(_("You may skip this question."))
    return " ".join(parts)


def _range_text(question: Question) -> str:
    return _("Please send a whole number from {minimum} to {maximum}.").format(
        minimum=question.minimum, maximum=question.maximum
    )


def problem_text(
    question: Question,
    reason: str,
    today: date,
    raw: str = "",
    answers: dict[str, Answer] | None = None,
) -> str:
    """What was wrong with an answer, in words, by the reason the validation gave."""
    words = purposes.PROBLEM_WORDS.get(question.validator) if question.validator else None
    worded = None if words is None else words(question, reason, raw, answers or {})
    if worded is not None:
        return worded
    own = question.message(reason)
    if own is not None:
        return _(own)
    if question.kind == QuestionKind.SCALE:
        return _("Please press one of the buttons from {minimum} to {maximum}.").format(
            minimum=question.minimum, maximum=question.maximum
        )
    texts: dict[str, Callable[[], str]] = {
        "not_an_option": lambda: _("Please use the buttons below."),
        "too_many": lambda: _("You can choose at most {limit}.").format(limit=question.max_choices),
        "too_long": lambda: _("That is too long: at most {limit} characters.").format(
            limit=question.max_length
        ),
        "not_a_number": lambda: _range_text(question),
        "too_small": lambda: "{} {}".format(
            _("That is less than {minimum}.").format(minimum=question.minimum),
            _range_text(question),
        ),
        "too_large": lambda: "{} {}".format(
            _("That is more than {maximum}.").format(maximum=question.maximum),
            _range_text(question),
        ),
        "future": lambda: _(
            "This date has not come yet. Please send today's date or an earlier one."
        ),
        "too_late": lambda: _("This date is too far ahead. Please send an earlier one."),
        "too_old": lambda: _("That is too long ago. Please send a date from {earliest}.").format(
            earliest=(today + timedelta(days=question.date_bounds[0])).strftime(DATE_FORMAT)
        ),
    }
    if reason == "empty":
        if question.kind == QuestionKind.MULTI:
            return _("Please choose at least one.")
        if raw.strip():
            return no_visible_text()  # something was typed, but nothing visible was left
        if question.required:
            return _("Please write a few words.")
        return _("Please write a few words, or press Skip.")
    if reason in texts:
        return texts[reason]()
    return _("Please send the date as DD.MM.YYYY.")


def unexpected_hint(message: Message, question: Question | None) -> str:
    """A photo, a sticker, a command where the question wants something else."""
    if message.text and message.text.startswith("/"):
        return _(
            "This command does not work inside the form. Answer the question, "
            "or send /cancel to leave the form."
        )
    if question is None or not question.typed or question.kind == QuestionKind.SCALE:
        return _("Please use the buttons below.")
    if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
        return _("Please choose a button or answer with text.")
    if question.kind == QuestionKind.DATE:
        return _("Please send the date as DD.MM.YYYY.")
    return _("Please answer with text.")


def typed_option(progress: Progress, question: Question, text: str) -> str:
    """Typed words that name one of the buttons count as pressing it."""
    folded = text.strip().casefold()
    if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
        for code, _label in question.options:
            if folded == _option_words(progress, question, code).casefold():
                return code
    if question.kind == QuestionKind.DATE:
        for code, label in (
            (keyboards.TODAY, _("Today")),
            (keyboards.YESTERDAY, _("Yesterday")),
        ):
            if folded == label.casefold():
                return code
    return text


# --- showing -----------------------------------------------------------------------------------


def label_of(question: Question) -> str:
    """The question in the current language; "{limit}" in it stands for its length limit."""
    text = _(question.label)
    if question.max_length is not None:
        text = text.replace("{limit}", str(question.max_length))
    return text


def _summary(texts: Texts, spec: FormSpec, progress: Progress, hint: str | None) -> str:
    known = purposes.purpose_of(progress)
    if known is not None and known.summary is not None:
        return known.summary(texts, progress, hint)
    rows = [
        {
            "label": _(item.label),
            "value": display(progress, item, progress.answers.get(item.id)),
        }
        for item in flow.visible(spec, progress.answers)
    ]
    return texts.render(
        "forms/summary.j2", rows=rows, hint=hint, heading=progress.context.get("heading")
    )


def render(
    texts: Texts, spec: FormSpec, progress: Progress, *, hint: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons of the form's current screen: its question, or the summary."""
    if progress.current is None:
        known = purposes.purpose_of(progress)
        # A fixed answer (an invite's role) is shown but has no Edit button.
        edits = [
            (item.id, _(item.short_label) if item.short_label else None)
            for item in flow.asked(spec, progress)
        ]
        confirm = known.confirm() if known is not None and known.confirm is not None else None
        summary_markup = keyboards.summary_keyboard(edits, confirm=confirm)
        return _summary(texts, spec, progress, hint), summary_markup
    question = spec.question(progress.current)
    number, total = flow.position(spec, progress)
    value = progress.answers.get(question.id)
    shown_value = value if question.kind != QuestionKind.MULTI else None
    text = texts.render(
        "forms/question.j2",
        hint=hint,
        title=_(spec.title) if spec.title else None,
        heading=progress.context.get("heading"),
        number=number,
        total=total,
        label=label_of(question),
        detail=_detail(question),
        current=None if shown_value is None else display(progress, question, shown_value),
    )
    suggested = dict(progress.context.get("suggested", {})).get(question.id)
    markup = keyboards.question_keyboard(
        question,
        suggested=suggested,
        answer=value,
        back=flow.can_go_back(spec, progress),
        # While an answer is being changed, Back keeps it as it was.
        keep=progress.editing != question.id,
        translate_options=question.id not in progress.options,
    )
    return text, markup


async def show(
    bot: Bot,
    services: Services,
    texts: Texts,
    chat_id: int,
    progress: Progress,
    *,
    hint: str | None = None,
    intro: str | None = None,
) -> None:
    """Send the current screen and remember it reached the person: only then does a typed
    message count as the answer to it. `intro` goes above it, in the same message."""
    text, markup = render(texts, spec_of(progress), progress, hint=hint)
    if intro:
        text = f"{intro.rstrip()}\n\n{text}"
    sent = await bot.send_message(chat_id, text, reply_markup=markup)
    if sent.message_id != QUEUED_MESSAGE_ID:
        await services.forms.shown(progress, sent.message_id)


async def start_form(
    bot: Bot,
    state: FSMContext,
    services: Services,
    texts: Texts,
    person: TelegramPerson,
    spec: FormSpec,
    purpose: str,
    *,
    answers: dict[str, Answer] | None = None,
    suggested: dict[str, str] | None = None,
    options: dict[str, list[list[str]]] | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    intro: str | None = None,
    heading: str | None = None,
    review: bool = False,
    resume: bool = False,
    at: str | None = None,
    fixed: tuple[str, ...] = (),
    **ids: Any,
) -> Progress:
    """Begin answering `spec` (replacing any form in progress); Save calls what `purpose`
    registered, with `ids` (meeting_id=7, pair_id=3…) as the context. `answers` pre-fills (a
    correction), `suggested` puts an option of a choice first (question id -> option code),
    `options` supplies a choice's options known only now, `timezone` decides what "today" is,
    `intro` is put above the first question in its message, `heading` above every screen (whom
    the form is for). `review` opens the summary of the pre-filled answers (a saved record to
    change); `resume` opens the first question the pre-filled answers leave unanswered (or
    the summary); `at` opens one question of them and saves as soon as it is answered (a live edit
    from a view screen; Back leaves it unchanged). `fixed` names pre-filled answers that are
    shown but neither asked nor editable (the role an invite set)."""
    if purpose not in purposes.PURPOSES:
        raise LookupError(f"no form purpose {purpose!r} is registered")
    registry.register(spec)
    filled = {key: value for key, value in (answers or {}).items() if value is not None}
    context: dict[str, Any] = {
        **ids,
        "purpose": purpose,
        "timezone": timezone,
        "suggested": dict(suggested or {}),
        "options": dict(options or {}),
    }
    if heading:
        context["heading"] = heading
    if fixed:
        context[flow.FIXED] = list(fixed)
    first: str | None = flow.first(spec.with_options(options or {}), filled, fixed)
    if resume:
        # Where the person stopped: the first question asked and not answered yet.
        # A skipped question (None) counts as answered here.
        first = flow.first_unanswered(spec.with_options(options or {}), dict(answers or {}))
    if review or (resume and first is None):
        first = None
    elif at is not None:
        first = spec.question(at).id
        context[flow.LIVE] = True
        context[flow.EDIT] = {"question": first, "answers": filled}
    progress = await services.forms.start(
        person.id,
        spec.id,
        first=first,
        context=context,
        answers=filled,
        reviewing=at is not None,
    )
    # The FSM state only routes the person's messages to the form (and keeps other commands
    # quiet inside it); the form itself is in the database.
    await state.set_state(FormStates.answering)
    await show(bot, services, texts, person.chat_id, progress, intro=intro)
    return progress
