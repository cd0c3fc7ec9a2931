"""/match (curator): the whole cohort of open requests matched at once; review, edit, approve.

The draft lives in the FSM data as the curator's edits plus the assignment last shown, so what is
approved is exactly what the curator saw; each pair is re-checked when it is created.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.container import Services
from bot.telegram.callbacks import MatchCallback, MatchPickCallback
from bot.telegram.identity import TelegramPerson
from bot.telegram.keyboards.match import (
    LINES_PER_PAGE,
    draft_keyboard,
    options_keyboard,
)
from bot.telegram.once import answer_already_done, claim, is_spent
from bot.telegram.organisation_choice import curated_organisation
from bot.telegram.redraw import message_id_of, send_or_edit
from bot.telegram.states import CohortMatch
from bot.telegram.texts import Texts
from handlers.errors import request_problem_text
from services.core.errors import StaleAction
from services.matching.cohort import Objective

OPTIONS = 6


async def cmd_match(
    message: Message, person: TelegramPerson, services: Services, texts: Texts, state: FSMContext
) -> None:
    """/match: the draft for the curator's organisation (or first a choice of organisation)."""
    await state.clear()
    organisation_id = await curated_organisation(
        message,
        person,
        services,
        _("Which organisation's requests do you want to match?"),
        lambda org_id: MatchCallback(action="org", value=org_id),
    )
    if organisation_id is None:
        return
    await _start(organisation_id, person, services, texts, state, message.answer)


async def on_match_organisation(
    callback: CallbackQuery,
    callback_data: MatchCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    state: FSMContext,
    bot: Bot,
) -> None:
    """An organisation chosen for /match."""
    await callback.answer()

    async def send(text: str, reply_markup: InlineKeyboardMarkup | None = None) -> Any:
        return await bot.send_message(person.chat_id, text, reply_markup=reply_markup)

    await _start(callback_data.value, person, services, texts, state, send)


async def _start(
    organisation_id: int,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    state: FSMContext,
    send: Any,
) -> None:
    draft = await services.cohort.draft(person.id, organisation_id)
    if not draft.lines:
        await state.clear()
        await send(
            _(
                "There are no open requests to match: every request has a mentor or is with a "
                "mentor deciding. /requests shows them all."
            )
        )
        return
    await state.set_state(CohortMatch.review)
    await state.set_data(
        {"organisation_id": organisation_id, "objective": Objective.BEST_FIT.value, "edits": {}}
    )
    text, markup = await _render(person, services, texts, state, page=0)
    await send(text, reply_markup=markup)


async def _render(
    person: TelegramPerson, services: Services, texts: Texts, state: FSMContext, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    data = await state.get_data()
    edits = {int(key): (value or None) for key, value in data["edits"].items()}
    draft = await services.cohort.draft(
        person.id, data["organisation_id"], Objective(data["objective"]), edits
    )
    pages = max((len(draft.lines) + LINES_PER_PAGE - 1) // LINES_PER_PAGE, 1)
    page = min(max(page, 0), pages - 1)
    # Approval creates exactly what was shown last.
    await state.update_data(
        assignment={str(key): value for key, value in draft.assignment.items()}, page=page
    )
    first = page * LINES_PER_PAGE
    text = texts.render(
        "match/draft.j2",
        draft=draft,
        objective=draft.objective.value,
        lines=draft.lines[first : first + LINES_PER_PAGE],
        first=first + 1,
    )
    return text, draft_keyboard(draft, page)


async def _show(
    callback: CallbackQuery,
    bot: Bot,
    person: TelegramPerson,
    text: str,
    markup: InlineKeyboardMarkup,
) -> None:
    await callback.answer()
    await send_or_edit(bot, person.chat_id, text, markup, message_id_of(callback))


async def on_match_action(
    callback: CallbackQuery,
    callback_data: MatchCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    state: FSMContext,
    bot: Bot,
) -> None:
    """The draft's buttons: objective, page, change a line, approve, cancel."""
    data = await state.get_data()
    action = callback_data.action
    if action == "cancel":
        await state.clear()
        await callback.answer()
        await bot.send_message(person.chat_id, _("Matching cancelled. Nothing was created."))
        return
    if action == "objective":
        objective = Objective.EVERYONE if callback_data.value else Objective.BEST_FIT
        await state.update_data(objective=objective.value)
        text, markup = await _render(person, services, texts, state, page=0)
        await _show(callback, bot, person, text, markup)
        return
    if action == "page":
        text, markup = await _render(person, services, texts, state, page=callback_data.value)
        await _show(callback, bot, person, text, markup)
        return
    if action == "edit":
        request_id = callback_data.value
        options = await services.requests.suggestions(person.id, request_id, limit=OPTIONS)
        view = await services.curator_requests.request_for_curator(person.id, request_id)
        text = texts.render("match/options.j2", mentee_name=view.mentee_name, options=options)
        await _show(
            callback, bot, person, text, options_keyboard(request_id, options, data["page"])
        )
        return
    if action == "approve":
        assignment = {int(key): value for key, value in data.get("assignment", {}).items()}
        if not assignment:
            if await is_spent(state, callback):
                await answer_already_done(callback)
                return
            raise StaleAction
        organisation_id = data["organisation_id"]
        if not await claim(state, callback):
            await answer_already_done(callback)
            return
        await state.clear()
        result = await services.cohort.approve(person.id, organisation_id, assignment)
        settings = await services.programme.get(person.id, organisation_id)
        text = texts.render(
            "match/result.j2",
            created=len(result.created),
            pending_order=settings.pairs_require_order,
            skipped=[(name, request_problem_text(problem)) for name, problem in result.skipped],
        )
        await bot.send_message(person.chat_id, text)
        return
    raise StaleAction


async def on_match_pick(
    callback: CallbackQuery,
    callback_data: MatchPickCallback,
    person: TelegramPerson,
    services: Services,
    texts: Texts,
    state: FSMContext,
    bot: Bot,
) -> None:
    """A mentor (or nobody) chosen for one line of the draft."""
    data = await state.get_data()
    edits = dict(data["edits"])
    edits[str(callback_data.request_id)] = callback_data.mentor_id
    await state.update_data(edits=edits)
    text, markup = await _render(person, services, texts, state, page=data.get("page", 0))
    await _show(callback, bot, person, text, markup)


def get_router() -> Router:
    router = Router(name="match")
    router.message.register(cmd_match, Command("match"))
    router.callback_query.register(on_match_organisation, MatchCallback.filter(F.action == "org"))
    router.callback_query.register(
        on_match_action, MatchCallback.filter(), StateFilter(CohortMatch.review)
    )
    router.callback_query.register(
        on_match_pick, MatchPickCallback.filter(), StateFilter(CohortMatch.review)
    )
    return router
