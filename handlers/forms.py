"""The steps of the one form engine: a typed answer, a button (an option, Back, Skip, Keep, Done,
Other, the summary's Save / Edit / Cancel), anything unexpected, and /cancel. The form in progress
is read from the database on every step, so a restart (or a lost FSM storage) continues it: the
person's next message answers the question that was on their screen."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram import forms
from bot.telegram.callbacks import FormAnswerCallback
from bot.telegram.filters import NotACommand, TypedText
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards import forms as keyboards
from bot.telegram.once import already_done_text
from bot.telegram.redraw import drop_buttons, message_id_of, send_or_edit
from bot.telegram.states import FormStates
from bot.telegram.texts import Texts
from services.core.clock import Clock
from services.core.errors import DomainError, StaleAction, ValidationFailed
from services.forms import flow
from services.forms.definitions import FormSpec, Question, QuestionKind
from services.forms.flow import Progress


class FormInProgress(Filter):
    """A form is open in the database though the FSM storage forgot it (a restart)."""

    async def __call__(
        self, message: Message, services: Services, person: TelegramPerson | None = None
    ) -> bool:
        if person is None:
            return False
        progress = await services.forms.current(person.id)
        return progress is not None and not progress.submitted


async def _open(state: FSMContext, services: Services, person: TelegramPerson) -> Progress:
    progress = await services.forms.current(person.id)
    if progress is None or progress.submitted:
        await state.clear()
        raise StaleAction
    await state.set_state(FormStates.answering)
    return progress


async def on_text(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    clock: Clock,
    bot: Bot,
) -> None:
    """A typed answer to the question on screen."""
    progress = await _open(state, services, person)
    chat_id = message.chat.id
    if not progress.shown_message_id:
        # The question was never delivered (its reply failed): show it rather than guess what
        # this text answers, so no answer lands on a question the person has not seen.
        await forms.show(bot, services, texts, chat_id, progress)
        return
    if progress.current is None:
        hint = forms.unexpected_hint(message, None)
        await forms.show(bot, services, texts, chat_id, progress, hint=hint)
        return
    spec = forms.spec_of(progress)
    question = spec.question(progress.current)
    raw = forms.typed_option(progress, question, message.text or "")
    if not question.typed and raw not in dict(question.options):
        await forms.show(
            bot, services, texts, chat_id, progress, hint=forms.unexpected_hint(message, question)
        )
        return
    await _change(bot, state, person, services, texts, clock, spec, progress, question, raw)


async def _change(
    bot: Bot,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    clock: Clock,
    spec: FormSpec,
    progress: Progress,
    question: Question,
    raw: str,
    *,
    callback: CallbackQuery | None = None,
) -> None:
    """Apply an answer; a problem re-asks with its words, a success shows the next screen (a
    multiple choice redraws its own message instead)."""
    chat_id = person.chat_id
    edit_message_id = message_id_of(callback)
    today = forms.today_of(progress, clock.now())
    from_step = progress.step
    try:
        flow.answer(spec, progress, question.id, raw, today=today)
    except ValidationFailed as problem:
        hint = forms.problem_text(question, problem.reason, today, raw, progress.answers)
        if callback is not None:
            # A pressed button that cannot be taken (one more than allowed): the screen stays.
            await callback.answer(hint, show_alert=True)
            return
        await forms.show(bot, services, texts, chat_id, progress, hint=hint)
        return
    await _store(services, person, progress, from_step)
    if progress.current is None and (not spec.confirm or progress.live):
        await _submit(bot, state, person, services, texts, progress, callback=callback)
        return
    if callback is not None:
        await callback.answer()
    if question.kind == QuestionKind.MULTI and edit_message_id is not None:
        text, markup = forms.render(texts, spec, progress)
        await send_or_edit(bot, chat_id, text, markup, edit_message_id)
        return
    await forms.show(bot, services, texts, chat_id, progress)


async def _store(
    services: Services, person: TelegramPerson, progress: Progress, from_step: int
) -> None:
    """Store a changed form (a press of an older screen is stale) and hand the answers so far
    to its purpose, if it keeps them."""
    if not await services.forms.save(progress, from_step=from_step):
        raise StaleAction
    known = forms.purpose_of(progress)
    if known is not None and known.keep is not None:
        await known.keep(services, person, progress.context, dict(progress.answers))


async def on_unexpected(
    message: Message,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
) -> None:
    """A photo, a sticker or a command in the middle of the form: the question again."""
    progress = await _open(state, services, person)
    question = None
    if progress.current is not None:
        question = forms.spec_of(progress).question(progress.current)
    hint = forms.unexpected_hint(message, question)
    await forms.show(bot, services, texts, message.chat.id, progress, hint=hint)


def _is_button_of(question: Question, value: str) -> bool:
    """Whether the question shows a button with this value (anything else is forged or old)."""
    if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
        return value in dict(question.options)
    if question.kind == QuestionKind.SCALE:
        low, high = question.minimum or 0, question.maximum or 0
        return value.isdigit() and low <= int(value) <= high
    if question.kind == QuestionKind.DATE and question.quick:
        return value in {f"d{days}" for days, _label in question.quick}
    if question.kind == QuestionKind.DATE:
        return value in (keyboards.TODAY, keyboards.YESTERDAY)
    return False


async def on_button(
    callback: CallbackQuery,
    callback_data: FormAnswerCallback,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    clock: Clock,
    bot: Bot,
) -> None:
    """A button of the form; one that does not belong to the screen the form is on is stale."""
    progress = await services.forms.current(person.id)
    target, value = callback_data.question, callback_data.value
    if (
        progress is not None
        and progress.submitted
        and (target, value)
        == (
            keyboards.SUMMARY,
            keyboards.SAVE,
        )
    ):
        await callback.answer(already_done_text())
        return
    progress = await _open(state, services, person)
    spec = forms.spec_of(progress)
    chat_id = person.chat_id
    if target == keyboards.SUMMARY:
        await _on_summary(callback, state, person, services, texts, bot, spec, progress, value)
        return
    if progress.current != target:
        raise StaleAction
    question = spec.question(target)
    from_step = progress.step
    if value == keyboards.OTHER and question.allow_other:
        await callback.answer(_("Type your answer and send it."), show_alert=True)
        return
    if question.kind == QuestionKind.MULTI and value.startswith(flow.OTHER_PREFIX):
        index = value.removeprefix(flow.OTHER_PREFIX)
        if not index.isdigit():
            raise StaleAction
        try:
            flow.untick_other(spec, progress, target, int(index))
        except ValidationFailed:
            raise StaleAction from None
        await _store(services, person, progress, from_step)
        await callback.answer()
        text, markup = forms.render(texts, spec, progress)
        await send_or_edit(bot, chat_id, text, markup, message_id_of(callback))
        return
    if _is_button_of(question, value):
        await _change(
            bot,
            state,
            person,
            services,
            texts,
            clock,
            spec,
            progress,
            question,
            value,
            callback=callback,
        )
        return
    steps = {
        keyboards.BACK: flow.back,
        keyboards.SKIP: flow.skip,
        keyboards.KEEP: flow.keep,
        keyboards.DONE: flow.done,
    }
    if value not in steps:
        raise StaleAction
    try:
        steps[value](spec, progress, target)
    except ValidationFailed as problem:
        today = forms.today_of(progress, clock.now())
        hint = forms.problem_text(question, problem.reason, today, answers=progress.answers)
        await callback.answer(hint, show_alert=True)
        return
    if progress.live and progress.current is None and value == keyboards.BACK:
        await _leave(callback, state, person, services, texts, bot, progress)
        return
    await _store(services, person, progress, from_step)
    if progress.current is None and (not spec.confirm or progress.live):
        await _submit(bot, state, person, services, texts, progress, callback=callback)
        return
    await callback.answer()
    await forms.show(bot, services, texts, chat_id, progress)


async def _leave(
    callback: CallbackQuery,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
    progress: Progress,
) -> None:
    """Back from a live edit: nothing changes, and the record is shown as it is."""
    if not await services.forms.drop(person.id):
        raise StaleAction
    await state.clear()
    await callback.answer()
    known = forms.purpose_of(progress)
    if known is None or known.leave is None:
        await bot.send_message(person.chat_id, _("Cancelled. Nothing was saved."))
        return
    reply = await known.leave(services, texts, person, progress.context)
    text, markup = (reply, None) if isinstance(reply, str) else reply
    await bot.send_message(person.chat_id, text, reply_markup=markup)


async def _on_summary(
    callback: CallbackQuery,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    bot: Bot,
    spec: FormSpec,
    progress: Progress,
    value: str,
) -> None:
    chat_id = person.chat_id
    if progress.current is not None:
        raise StaleAction
    if value == keyboards.CANCEL:
        await services.forms.drop(person.id)
        await state.clear()
        await callback.answer()
        await drop_buttons(bot, chat_id, message_id_of(callback))
        await bot.send_message(chat_id, _("Cancelled. Nothing was saved."))
        return
    if value == keyboards.SAVE:
        await _submit(bot, state, person, services, texts, progress, callback=callback)
        return
    from_step = progress.step
    if value == keyboards.BACK:
        flow.back(spec, progress, None)
    elif value.startswith(keyboards.EDIT_PREFIX):
        flow.edit(spec, progress, value.removeprefix(keyboards.EDIT_PREFIX))
    else:
        raise StaleAction
    await _store(services, person, progress, from_step)
    await callback.answer()
    await forms.show(bot, services, texts, chat_id, progress)


async def _submit(
    bot: Bot,
    state: FSMContext,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    progress: Progress,
    *,
    callback: CallbackQuery | None,
) -> None:
    """Save, exactly once: the press that claims the form saves it; any other is told it is
    already done. A form without a summary is saved by its last answer (`callback` None when
    that answer was typed)."""
    chat_id = person.chat_id
    saver = forms.saver_of(progress)
    if saver is None:
        await services.forms.drop(person.id)
        await state.clear()
        raise StaleAction
    if not await services.forms.claim(progress):
        if callback is not None:
            await callback.answer(already_done_text())
        else:
            await bot.send_message(chat_id, already_done_text())
        return
    try:
        reply = await saver(services, texts, person, progress.context, dict(progress.answers))
    except DomainError:
        # The pair or the entry changed meanwhile: leave the form; the error router says why.
        await services.forms.drop(person.id)
        await state.clear()
        raise
    except BaseException:
        await services.forms.release(progress)
        raise
    await state.clear()
    if callback is not None:
        await callback.answer()
        await drop_buttons(bot, chat_id, message_id_of(callback))
    text, markup = (reply, None) if isinstance(reply, str) else reply
    await bot.send_message(chat_id, text, reply_markup=markup)


async def on_cancel(
    message: Message, state: FSMContext, person: TelegramPerson, services: Services
) -> None:
    """/cancel in the middle of a form: leave it, keeping nothing half written (unless its
    purpose keeps the answers as they are given)."""
    progress = await services.forms.current(person.id)
    known = None if progress is None else forms.purpose_of(progress)
    await services.forms.drop(person.id)
    await state.clear()
    if known is not None and known.cancelled is not None:
        await message.answer(known.cancelled())
        return
    await message.answer(_("Cancelled. Nothing was saved."))


def get_cancel_router() -> Router:
    """/cancel of a form; included before the settings' own /cancel, which knows only the FSM."""
    router = Router(name="forms_cancel")
    router.message.register(on_cancel, Command("cancel"), StateFilter(FormStates.answering))
    router.message.register(on_cancel, Command("cancel"), StateFilter(None), FormInProgress())
    return router


def get_answer_router() -> Router:
    """A typed answer or a form's button while the FSM knows the form is open. Included early:
    nothing else handles these, and a step then skips the filters of every other router (about
    ninety checks, a third of a step's time)."""
    router = Router(name="forms_answers")
    router.message.register(on_text, StateFilter(FormStates.answering), TypedText())
    router.callback_query.register(on_button, FormAnswerCallback.filter())
    return router


def get_router() -> Router:
    """The engine's other steps; included late, so that a person whose FSM state was lost (a
    restart) reaches it with plain text only after every feature had its chance, and a command
    in a form reaches its own handler first."""
    router = Router(name="forms")
    restored = (StateFilter(None), FormInProgress())
    router.message.register(on_unexpected, StateFilter(FormStates.answering))
    router.message.register(on_text, *restored, TypedText())
    router.message.register(on_unexpected, *restored, NotACommand())
    return router
