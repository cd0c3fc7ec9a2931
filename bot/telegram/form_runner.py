"""One runner for every data-defined form (services/forms.py): one question per message, Back on
every step after the first, Skip on optional questions, a summary with Save / Cancel.

The form itself, its purpose and the ids it is about travel in the FSM data, so any FormSpec works
(one built in code today, one a questionnaire engine loads tomorrow). What Save does is looked up
by purpose in a registry: a feature registers `@purpose("name")` with an async function
(services, person, ids, answers) -> reply text, and nothing here changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import FormAnswerCallback
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import forms as keyboards
from bot.telegram.states import MeetingFeedback
from bot.telegram.texts import Texts
from services.core.clock import Clock
from services.core.errors import DomainError, StaleAction, ValidationFailed
from services.forms.definitions import Answer, FormSpec, Question, QuestionKind, stored, validate
from services.organisations.timezones import local_date
from services.people.directory import PersonView

DEFAULT_TIMEZONE = "Europe/Moscow"
DATE_FORMAT = "%d.%m.%Y"

Saver = Callable[[Services, PersonView, dict[str, int], dict[str, Answer]], Awaitable[str]]
_SAVERS: dict[str, Saver] = {}


def purpose(name: str) -> Callable[[Saver], Saver]:
    """Register what Save does for forms started with this purpose."""

    def register(saver: Saver) -> Saver:
        if name in _SAVERS and _SAVERS[name] is not saver:
            raise ValueError(f"form purpose {name!r} is registered twice")
        _SAVERS[name] = saver
        return saver

    return register


@dataclass(slots=True)
class FormRun:
    """A form being answered, as kept in the FSM data."""

    spec: FormSpec
    purpose: str
    ids: dict[str, int]
    timezone: str
    step: int = 0  # the question being asked; len(questions) is the summary
    answers: dict[str, Answer] = field(default_factory=dict)
    suggested: dict[str, str] = field(default_factory=dict)

    def to_state(self) -> dict[str, Any]:
        return {
            "form": self.spec.to_data(),
            "purpose": self.purpose,
            "ids": self.ids,
            "timezone": self.timezone,
            "step": self.step,
            "answers": self.answers,
            "suggested": self.suggested,
        }

    @classmethod
    def from_state(cls, data: Mapping[str, Any]) -> FormRun:
        return cls(
            spec=FormSpec.from_data(data["form"]),
            purpose=str(data["purpose"]),
            ids={str(key): int(value) for key, value in data["ids"].items()},
            timezone=str(data["timezone"]),
            step=int(data["step"]),
            answers=dict(data["answers"]),
            suggested=dict(data["suggested"]),
        )

    @property
    def question(self) -> Question | None:
        questions = self.spec.questions
        return questions[self.step] if self.step < len(questions) else None


# --- words -------------------------------------------------------------------------------------


def display(question: Question, value: Answer) -> str:
    """An answer in words of the current language."""
    if value is None:
        return "—"
    if question.kind == QuestionKind.CHOICE:
        return _(question.option_label(str(value)))
    if question.kind == QuestionKind.DATE:
        return date.fromisoformat(str(value)).strftime(DATE_FORMAT)
    if question.kind == QuestionKind.SCALE:
        return f"{value} / {question.maximum}"
    return str(value)


def _detail(question: Question) -> str:
    """How to answer, under the question."""
    parts = []
    if question.kind == QuestionKind.TEXT:
        parts.append(_("Up to {limit} characters.").format(limit=question.max_length))
    elif question.kind == QuestionKind.DATE:
        parts.append(_("Send the date as DD.MM.YYYY or press a button."))
    elif question.kind == QuestionKind.NUMBER:
        parts.append(
            _("A whole number from {minimum} to {maximum}.").format(
                minimum=question.minimum, maximum=question.maximum
            )
        )
    if not question.required:
        parts.append(_("You may skip this question."))
    return " ".join(parts)


def _range_text(question: Question) -> str:
    return _("Please send a whole number from {minimum} to {maximum}.").format(
        minimum=question.minimum, maximum=question.maximum
    )


def problem_text(question: Question, reason: str, today: date) -> str:
    """What was wrong with an answer, in words, by the reason the validation gave."""
    if question.kind == QuestionKind.SCALE:
        return _("Please press one of the buttons from {minimum} to {maximum}.").format(
            minimum=question.minimum, maximum=question.maximum
        )
    if reason == "not_an_option":
        return _("Please use the buttons below.")
    if reason == "empty":
        if question.required:
            return _("Please write a few words.")
        return _("Please write a few words, or press Skip.")
    if reason == "too_long":
        return _("That is too long: at most {limit} characters.").format(limit=question.max_length)
    if reason == "not_a_number":
        return _range_text(question)
    if reason == "too_small":
        limit = _("That is less than {minimum}.").format(minimum=question.minimum)
        return f"{limit} {_range_text(question)}"
    if reason == "too_large":
        limit = _("That is more than {maximum}.").format(maximum=question.maximum)
        return f"{limit} {_range_text(question)}"
    if reason == "future":
        return _("This date has not come yet. Please send today's date or an earlier one.")
    if reason == "too_late":
        return _("This date is too far ahead. Please send an earlier one.")
    if reason == "too_old":
        earliest = today + timedelta(days=question.date_bounds[0])
        return _("That is too long ago. Please send a date from {earliest}.").format(
            earliest=earliest.strftime(DATE_FORMAT)
        )
    return _("Please send the date as DD.MM.YYYY.")


def _unexpected_hint(message: Message, question: Question | None) -> str:
    if message.text and message.text.startswith("/"):
        return _(
            "This command does not work inside the form. Answer the question, "
            "or send /cancel to leave the form."
        )
    if question is None or question.kind in (QuestionKind.CHOICE, QuestionKind.SCALE):
        return _("Please use the buttons below.")
    if question.kind == QuestionKind.DATE:
        return _("Please send the date as DD.MM.YYYY.")
    return _("Please answer with text.")


# --- asking ------------------------------------------------------------------------------------


async def _show(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    texts: Texts,
    run: FormRun,
    *,
    hint: str | None = None,
) -> None:
    """Ask the current question, or show the summary once every question is answered."""
    await state.set_state(MeetingFeedback.answering)
    await state.set_data(run.to_state())
    question = run.question
    if question is None:
        rows = [
            {"label": _(item.label), "value": display(item, run.answers.get(item.id))}
            for item in run.spec.questions
        ]
        text = texts.render("forms/summary.j2", rows=rows, hint=hint)
        await bot.send_message(chat_id, text, reply_markup=keyboards.summary_keyboard())
        return
    answered = run.answers.get(question.id) is not None
    text = texts.render(
        "forms/question.j2",
        hint=hint,
        number=run.step + 1,
        total=len(run.spec.questions),
        label=_(question.label),
        detail=_detail(question),
        current=display(question, run.answers[question.id]) if answered else None,
    )
    markup = keyboards.question_keyboard(
        question,
        suggested=run.suggested.get(question.id),
        answered=answered,
        back=run.step > 0,
    )
    await bot.send_message(chat_id, text, reply_markup=markup)


async def start_form(
    bot: Bot,
    state: FSMContext,
    texts: Texts,
    chat_id: int,
    spec: FormSpec,
    purpose: str,
    *,
    answers: Mapping[str, Answer] | None = None,
    suggested: Mapping[str, str] | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    intro: str | None = None,
    **ids: int,
) -> None:
    """Begin answering `spec`; Save calls what `purpose` registered, with `ids` (meeting_id=7,
    pair_id=3…). `answers` pre-fills (correcting an entry), `suggested` puts an option of a choice
    first (question id -> option code), `timezone` decides what "today" is for date questions,
    `intro` is sent before the first question."""
    if purpose not in _SAVERS:
        raise LookupError(f"no form purpose {purpose!r} is registered")
    run = FormRun(
        spec=spec,
        purpose=purpose,
        ids=dict(ids),
        timezone=timezone,
        answers={key: value for key, value in (answers or {}).items() if value is not None},
        suggested=dict(suggested or {}),
    )
    await state.clear()
    if intro:
        await bot.send_message(chat_id, intro)
    await _show(bot, chat_id, state, texts, run)


async def _load(state: FSMContext) -> FormRun:
    """The form being answered; anything else (no form, data lost) is a stale action."""
    if await state.get_state() != MeetingFeedback.answering.state:
        raise StaleAction
    try:
        return FormRun.from_state(await state.get_data())
    except (KeyError, TypeError, ValueError):
        await state.clear()
        raise StaleAction from None


def _typed_option(question: Question, text: str) -> str:
    """Typed words that name one of the buttons count as pressing it."""
    folded = text.strip().casefold()
    if question.kind == QuestionKind.CHOICE:
        for code, label in question.options:
            if folded == _(label).casefold():
                return code
    if question.kind == QuestionKind.DATE:
        for code, label in (
            (keyboards.TODAY, _("Today")),
            (keyboards.YESTERDAY, _("Yesterday")),
        ):
            if folded == label.casefold():
                return code
    return text


async def _answer(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    texts: Texts,
    clock: Clock,
    run: FormRun,
    question: Question,
    raw: str,
) -> None:
    today = local_date(clock.now(), run.timezone)
    try:
        value = validate(question, raw, today=today)
    except ValidationFailed as problem:
        await _show(
            bot, chat_id, state, texts, run, hint=problem_text(question, problem.reason, today)
        )
        return
    run.answers[question.id] = stored(value)
    run.step += 1
    await _show(bot, chat_id, state, texts, run)


# --- handlers ----------------------------------------------------------------------------------


async def form_text(
    message: Message, state: FSMContext, texts: Texts, clock: Clock, bot: Bot
) -> None:
    """A typed answer to the current question."""
    run = await _load(state)
    question = run.question
    if question is None:
        await _show(bot, message.chat.id, state, texts, run, hint=_unexpected_hint(message, None))
        return
    raw = _typed_option(question, message.text or "")
    await _answer(bot, message.chat.id, state, texts, clock, run, question, raw)


async def form_unexpected(message: Message, state: FSMContext, texts: Texts, bot: Bot) -> None:
    """A photo, a sticker or a command in the middle of the form: ask again."""
    run = await _load(state)
    hint = _unexpected_hint(message, run.question)
    await _show(bot, message.chat.id, state, texts, run, hint=hint)


async def _drop_buttons(bot: Bot, callback: CallbackQuery) -> None:
    if callback.message is None:
        return
    with suppress(TelegramBadRequest):
        await bot.edit_message_reply_markup(
            chat_id=callback.message.chat.id,
            message_id=callback.message.message_id,
            reply_markup=None,
        )


def _is_button_of(question: Question, value: str) -> bool:
    """Whether the question shows a button with this value (anything else is forged or old)."""
    if question.kind == QuestionKind.CHOICE:
        return value in dict(question.options)
    if question.kind == QuestionKind.SCALE:
        low, high = question.minimum or 0, question.maximum or 0
        return value.isdigit() and low <= int(value) <= high
    if question.kind == QuestionKind.DATE:
        return value in (keyboards.TODAY, keyboards.YESTERDAY)
    return False


async def on_form_answer(
    callback: CallbackQuery,
    callback_data: FormAnswerCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    clock: Clock,
    bot: Bot,
) -> None:
    """A button of the form; one that does not belong to the current step is stale."""
    run = await _load(state)
    question, value = run.question, callback_data.value
    chat_id = person.chat_id
    if question is None:
        if callback_data.question != keyboards.SUMMARY:
            raise StaleAction
        await _on_summary(callback, state, person, services, texts, bot, run, value)
        return
    if callback_data.question != question.id:
        raise StaleAction
    if value == keyboards.BACK and run.step > 0:
        run.step -= 1
    elif value == keyboards.SKIP and not question.required:
        run.answers[question.id] = None
        run.step += 1
    elif value == keyboards.KEEP and run.answers.get(question.id) is not None:
        run.step += 1
    elif _is_button_of(question, value):
        await callback.answer()
        await _answer(bot, chat_id, state, texts, clock, run, question, value)
        return
    else:
        raise StaleAction
    await callback.answer()
    await _show(bot, chat_id, state, texts, run)


async def _on_summary(
    callback: CallbackQuery,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
    run: FormRun,
    value: str,
) -> None:
    chat_id = person.chat_id
    if value == keyboards.BACK:
        await callback.answer()
        run.step = len(run.spec.questions) - 1
        await _show(bot, chat_id, state, texts, run)
    elif value == keyboards.CANCEL:
        await state.clear()
        await callback.answer()
        await _drop_buttons(bot, callback)
        await bot.send_message(chat_id, _("Cancelled. Nothing was saved."))
    elif value == keyboards.SAVE:
        saver = _SAVERS.get(run.purpose)
        if saver is None:
            await state.clear()
            raise StaleAction
        try:
            reply = await saver(services, person, run.ids, dict(run.answers))
        except DomainError:
            # The pair or the entry changed meanwhile: leave the form; the error router says why.
            await state.clear()
            raise
        await state.clear()
        await callback.answer()
        await _drop_buttons(bot, callback)
        await bot.send_message(chat_id, reply)
    else:
        raise StaleAction


def form_router() -> Router:
    """The runner's handlers; a feature router includes it (handlers/meetings.py does)."""
    router = Router(name="forms")
    in_form = StateFilter(MeetingFeedback.answering)
    router.message.register(form_text, in_form, F.text & ~F.text.startswith("/"))
    router.message.register(form_unexpected, in_form)
    router.callback_query.register(on_form_answer, FormAnswerCallback.filter())
    return router
